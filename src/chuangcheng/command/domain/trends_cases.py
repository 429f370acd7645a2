"""Cases by period with the change against the previous period, and the latest period against
the one before it by category, by street and by unit (动态分析).

- **Reported** (新增): cases reported in the period; declined reports and merged duplicates are
  not problems and never count.
- **Closed** (结案): those cases closed in the period (whenever reported).
- The change Δ is this period minus the previous one; % is Δ over the previous one, and there
  is no % when the previous period had none (never a division by zero shown as 0 or ∞).
- A case's unit is its lead unit (主办); cases not dispatched yet fall under "not dispatched".

Every figure is one grouped query (``GROUP BY`` on a ``Trunc*`` of the date, or on the key), so
the number of queries does not grow with the number of cases, categories, streets or units.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.models import CaseAssignment
from chuangcheng.command.domain.trends_periods import (
    GRAINS,
    TrendFilters,
    bounds,
    key_of,
    label,
    periods,
    problem_cases,
    street_options,
)
from chuangcheng.inspections.domain.streets import StreetIndex

PCT_PLACES = Decimal("0.1")


def change_pct(now: int, before: int) -> Decimal | None:
    """(now − before) / before in per cent, one decimal, half up; None when before is 0."""
    if not before:
        return None
    return (Decimal(100 * (now - before)) / before).quantize(PCT_PLACES, rounding=ROUND_HALF_UP)


class Compared:
    """Δ and % of ``now`` against ``before``."""

    now: int
    before: int

    @property
    def delta(self) -> int:
        return self.now - self.before

    @property
    def pct(self) -> Decimal | None:
        return change_pct(self.now, self.before)

    def change_json(self) -> dict[str, Any]:
        pct = self.pct
        return {"delta": self.delta, "pct": None if pct is None else float(pct)}


@dataclass
class Change(Compared):
    """A figure in the latest period against the one before; ``link`` holds the case-list
    filter naming its cases, ``url`` the page link the view makes of it."""

    key: str
    name: str
    now: int
    before: int
    link: dict[str, str] = field(default_factory=dict)
    url: str = ""

    def as_json(self) -> dict[str, Any]:
        found = {"key": self.key, "name": self.name, "now": self.now, "before": self.before}
        return found | self.change_json()


@dataclass
class PeriodRow(Compared):
    """One period: ``now`` cases reported in it (``before`` in the period before), ``closed``
    closed in it."""

    period: Period
    label: str
    now: int
    closed: int
    before: int
    url: str = ""

    @property
    def reported(self) -> int:
        return self.now

    def as_json(self) -> dict[str, Any]:
        found = {
            "period": self.period.key,
            "label": self.label,
            "start": self.period.start.isoformat(),
            "reported": self.now,
            "closed": self.closed,
        }
        return found | self.change_json()


@dataclass
class CaseTrends:
    periods: list[PeriodRow]
    current: Period
    previous: Period
    categories: list[Change]
    streets: list[Change]
    units: list[Change]

    def as_json(self) -> dict[str, Any]:
        return {
            "periods": [p.as_json() for p in self.periods],
            "current": self.current.key,
            "previous": self.previous.key,
            "categories": [c.as_json() for c in self.categories],
            "streets": [c.as_json() for c in self.streets],
            "units": [c.as_json() for c in self.units],
        }


def _by_period(qs: Any, date_field: str, trunc: Any, start: Any, end: Any) -> dict[Any, int]:
    rows = (
        qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lt": end})
        .annotate(bucket=trunc(date_field))
        .values("bucket")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {key_of(r["bucket"]): r["n"] for r in rows}


def _two(prefix: str, current: Period, previous: Period) -> dict[str, Count]:
    """now / before counts of a grouped query over the two latest periods."""
    (a, b), (c, d) = current.bounds(), previous.bounds()
    return {
        "now": Count(
            "pk", filter=Q(**{f"{prefix}reported_at__gte": a, f"{prefix}reported_at__lt": b})
        ),
        "before": Count(
            "pk", filter=Q(**{f"{prefix}reported_at__gte": c, f"{prefix}reported_at__lt": d})
        ),
    }


def _ranked(rows: list[Change]) -> list[Change]:
    return sorted((r for r in rows if r.now or r.before), key=lambda r: (-r.now, -r.before, r.name))


def case_trends(user: Any, f: TrendFilters) -> CaseTrends:
    """The trend of ``f``'s periods for the cases ``user`` sees (7 queries)."""
    # One more period before the first shown, for the first row's change.
    span = periods(f.grain, f.count + 1, f.day)
    trunc = GRAINS[f.grain][1]
    start, end = bounds(span[0], span[-1])
    cases = problem_cases(user, f)
    reported = _by_period(cases, "reported_at", trunc, start, end)
    closed = _by_period(cases, "closed_at", trunc, start, end)
    rows = []
    for before, period in pairwise(span):
        rows.append(
            PeriodRow(
                period,
                label(period),
                reported.get(period.start, 0),
                closed.get(period.start, 0),
                reported.get(before.start, 0),
            )
        )
    current, previous = span[-1], span[-2]
    window = cases.filter(
        reported_at__gte=previous.bounds()[0], reported_at__lt=current.bounds()[1]
    )
    return CaseTrends(
        rows,
        current,
        previous,
        _categories(window, current, previous),
        _streets(user, window, current, previous),
        _units(window, current, previous),
    )


def _categories(window: Any, current: Period, previous: Period) -> list[Change]:
    rows = (
        window.values("category_id", "category__name", "category__parent__name")
        .annotate(**_two("", current, previous))
        .order_by()
    )
    found = []
    for r in rows:
        name = r["category__name"] or _("Not classified")
        if r["category__parent__name"]:
            name = f"{r['category__parent__name']} › {name}"
        link = {"category": str(r["category_id"])} if r["category_id"] else {}
        found.append(Change(str(r["category_id"] or ""), name, r["now"], r["before"], link))
    return _ranked(found)


def _streets(user: Any, window: Any, current: Period, previous: Period) -> list[Change]:
    streets = list(street_options(user))
    index = StreetIndex({s.path: s for s in streets})
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = window.values("region__path").annotate(**_two("", current, previous)).order_by()
    for r in rows:
        street = index.street_of(r["region__path"])
        if street is not None:
            totals[street.pk][0] += r["now"]
            totals[street.pk][1] += r["before"]
    return _ranked(
        [
            Change(s.code, s.name, totals[s.pk][0], totals[s.pk][1], {"street": str(s.pk)})
            for s in streets
        ]
    )


def _units(window: Any, current: Period, previous: Period) -> list[Change]:
    """By lead unit, and cases with no lead unit yet as one "not dispatched" row (2 queries)."""
    lead_cases = CaseAssignment.objects.filter(lead=True)
    leads = (
        lead_cases.filter(case__in=window)
        .values("unit_id", "unit__name", "unit__short_name")
        .annotate(**_two("case__", current, previous))
        .order_by()
        .values_list(*("unit_id", "unit__name", "unit__short_name", "now", "before"))
    )
    found = [
        Change(str(pk), short or name, now, before, {"unit": str(pk)})
        for pk, name, short, now, before in leads
    ]
    waiting = window.exclude(pk__in=lead_cases.values("case_id")).aggregate(
        **_two("", current, previous)
    )
    found.append(Change("", _("Not dispatched"), waiting["now"], waiting["before"]))
    return _ranked(found)
