"""Components of a composite appraisal and the registry of their providers.

A provider is a function ``Context → {unit id → Component}``; it is registered under a component
code (``rectification``, ``clauses``, ``tasks``, ``materials``). A formula weighting a code with
no provider leaves it out and renormalises over the others (no made-up values): the calendar
and archives modules register ``tasks`` and ``materials`` in their own ``ready()`` when they
exist. Values are exact fractions between 0 and 1.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangcheng.cases.domain.periods import Period
from chuangcheng.orgs.models import Region

# Every component a formula may weigh, in display order, with its label.
CODES: dict[str, Promise] = {
    "rectification": _("Rectification"),
    "clauses": _("Led clauses"),
    "tasks": _("Task timeliness"),
    "materials": _("Material timeliness"),
}


@dataclass(frozen=True)
class Context:
    """What a provider is asked about: the units' work in ``region`` during ``period``."""

    period: Period
    region: Region
    now: dt.datetime
    formula: Any  # AppraisalFormula (typed loosely: providers read only what they need)


@dataclass
class Component:
    """One component of one unit: ``value`` in [0, 1] or None when the unit has no data for
    it (then it is left out of the unit's composite). ``detail`` is what the pages show behind
    the value (the counts, the clauses)."""

    value: Fraction | None
    detail: Any = None
    due: int | None = None  # 应结案数, from the rectification provider only


Provider = Callable[[Context], dict[int, Component]]


@dataclass
class Registry:
    providers: dict[str, Provider] = field(default_factory=dict)

    def register(self, code: str) -> Callable[[Provider], Provider]:
        if code not in CODES:
            raise ValueError(f"unknown appraisal component {code!r}")

        def wrap(fn: Provider) -> Provider:
            self.providers[code] = fn
            return fn

        return wrap

    def available(self) -> list[str]:
        return [c for c in CODES if c in self.providers]

    def collect(self, ctx: Context, codes: list[str]) -> dict[str, dict[int, Component]]:
        return {code: self.providers[code](ctx) for code in codes if code in self.providers}


PROVIDERS = Registry()


def label(code: str) -> str:
    return str(CODES[code])
