"""The kinds of condition a warning rule can watch, and the registry apps add theirs to.

A kind is a function ``(params, now) → findings``: it looks at the data as it is now and returns
one ``Finding`` per place where the condition holds (a street below the threshold, a unit's case
overdue, a calendar deadline two days away). The rule engine (``alerts.domain.engine``) raises a
warning for a finding whose key has no open warning of the same rule, and resolves the open
warnings whose key is no longer found — so a warning is never repeated while its condition
persists. Apps above ``alerts`` (the calendar, archives, surveys) register their kinds in their
own ``ready()``; a kind must answer in a constant number of queries whatever the data's size.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise


class Level:
    """Warning levels, most severe first (红 / 橙 / 黄)."""

    RED = "red"
    ORANGE = "orange"
    YELLOW = "yellow"


@dataclass(frozen=True)
class Param:
    """One setting of a rule of this kind, edited by the office (a threshold, a day count)."""

    label: Promise | str
    type: type = float  # float, int or str
    default: Any = None
    help: Promise | str = ""
    # Bounds for a number (both included); None: unbounded. Checked when a rule is saved.
    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True)
class Finding:
    """One place where the condition holds now.

    ``key`` identifies the condition's place and cause stably across evaluations (for example
    ``"street:110101001"`` or ``"task:42:2026-11-30"``): the same key found again does not
    raise a second warning. ``level`` overrides the rule's level when the kind grades
    severity itself (None keeps the rule's). ``url`` links to the rows behind the figure.
    Texts are rendered in LANGUAGE_CODE when the warning is raised.
    """

    key: str
    title: str
    detail: str = ""
    unit_id: int | None = None
    region_id: int | None = None
    url: str = ""
    value: float | None = None
    level: str | None = None


Evaluate = Callable[[dict[str, Any], dt.datetime], Iterable[Finding]]


@dataclass(frozen=True)
class Kind:
    code: str
    label: Promise | str
    evaluate: Evaluate
    params: dict[str, Param] = field(default_factory=dict)
    description: Promise | str = ""


KINDS: dict[str, Kind] = {}


def register_kind(
    code: str,
    *,
    label: Promise | str,
    params: dict[str, Param] | None = None,
    description: Promise | str = "",
) -> Callable[[Evaluate], Evaluate]:
    """Register ``fn`` as the evaluator of the warning kind ``code`` (e.g. ``"cases.overdue"``)."""

    def deco(fn: Evaluate) -> Evaluate:
        KINDS[code] = Kind(code, label, fn, dict(params or {}), description)
        return fn

    return deco
