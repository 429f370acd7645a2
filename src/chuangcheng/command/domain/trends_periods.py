"""The periods and filters of the trend analysis (动态分析).

A trend is a run of consecutive periods of one grain (week, month or quarter) ending with the
one holding the chosen day. Figures are grouped in the database with Django's ``Trunc*``
functions in the deployment's time zone, so a case reported at 23:30 on the last day of a month
counts in that month on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import TruncMonth, TruncQuarter, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.filters import CaseFilters, apply
from chuangcheng.cases.models import Case
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.trends import periods_back

# Grain → (how many periods a trend shows, the Trunc function, its label).
GRAINS: dict[str, tuple[int, Any, Any]] = {
    "week": (12, TruncWeek, gettext_lazy("Week")),
    "month": (12, TruncMonth, gettext_lazy("Month")),
    "quarter": (8, TruncQuarter, gettext_lazy("Quarter")),
}
# Cases that are not problems on the ground: declined reports and merged duplicates.
NOT_PROBLEMS = (CaseStatus.REJECTED, CaseStatus.MERGED)


def week_period(day: dt.date) -> Period:
    """The ISO week (Monday to Sunday) holding ``day``."""
    start = day - dt.timedelta(days=day.weekday())
    year, week, _weekday = start.isocalendar()
    return Period(f"{year}-W{week:02d}", "week", start, start + dt.timedelta(days=7))


def periods(grain: str, count: int, at: dt.date) -> list[Period]:
    """``count`` periods of ``grain`` ending with the one holding ``at``, oldest first."""
    if grain == "week":
        last = week_period(at)
        return [week_period(last.start - dt.timedelta(days=7 * i)) for i in range(count)][::-1]
    return periods_back(grain, count, at)


def label(period: Period) -> str:
    """Short enough for a chart axis: 2026-W47, 2026-11, 2026-Q4."""
    if period.kind == "week":
        return _("%(y)s week %(w)s") % {
            "y": period.start.isocalendar()[0],
            "w": period.start.isocalendar()[1],
        }
    return str(period.label)


def bounds(first: Period, last: Period) -> tuple[dt.datetime, dt.datetime]:
    """Aware local datetimes from the start of ``first`` to the end of ``last``."""
    return first.bounds()[0], last.bounds()[1]


def key_of(value: dt.datetime | dt.date | None) -> dt.date | None:
    """The local first day of a truncated period, as the buckets are keyed."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@dataclass(frozen=True)
class TrendFilters:
    """What the page and the API narrow to. The street and the unit are looked up among those
    the user sees; anything else is ignored, like the case list's filters."""

    grain: str = "month"
    at: dt.date | None = None
    street: Region | None = None
    unit: Unit | None = None

    @property
    def day(self) -> dt.date:
        return self.at or timezone.localdate()

    @property
    def count(self) -> int:
        return GRAINS[self.grain][0]

    def periods(self) -> list[Period]:
        return periods(self.grain, self.count, self.day)

    def as_query(self) -> dict[str, str]:
        values = {
            "grain": self.grain,
            "at": self.at.isoformat() if self.at else "",
            "street": str(self.street.pk) if self.street else "",
            "unit": str(self.unit.pk) if self.unit else "",
        }
        return {k: v for k, v in values.items() if v}

    def as_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.as_query().items())


def _int(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def read_filters(user: Any, params: Any) -> TrendFilters:
    """Filters from GET parameters ``grain``, ``at`` (YYYY-MM-DD), ``street`` and ``unit``
    (ids); 1 query for each of street and unit when given."""

    def get(name: str) -> str:
        return str(params.get(name) or "").strip()[:40]

    grain = get("grain")
    try:
        at: dt.date | None = dt.date.fromisoformat(get("at")) if get("at") else None
    except ValueError:
        at = None
    if at is not None and not 2000 <= at.year <= 2100:
        at = None
    street_id, unit_id = _int(get("street")), _int(get("unit"))
    street = street_options(user).filter(pk=street_id).first() if street_id is not None else None
    unit = unit_options(user).filter(pk=unit_id).first() if unit_id is not None else None
    return TrendFilters(grain if grain in GRAINS else "month", at, street, unit)


def street_options(user: Any) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(level=RegionLevel.STREET).order_by("path")


def unit_options(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).filter(active=True).order_by("kind", "path")


def problem_cases(user: Any, f: TrendFilters) -> QuerySet[Case]:
    """The visible cases the trends count (declined and merged ones left out), narrowed to the
    street and unit with the case list's own filter (no query of its own)."""
    qs = Case.objects.visible_to(user).exclude(status__in=NOT_PROBLEMS)
    return apply(
        qs,
        CaseFilters(street=f.street.pk if f.street else None, unit=f.unit.pk if f.unit else None),
    )


def point_filter(f: TrendFilters, prefix: str = "") -> Q:
    """The same street and unit narrowing for rows reached through a point."""
    cond = Q()
    if f.street is not None:
        cond &= Q(**{f"{prefix}region__path__startswith": f.street.path})
    if f.unit is not None:
        cond &= Q(**{f"{prefix}territorial_unit": f.unit}) | Q(**{f"{prefix}line_unit": f.unit})
    return cond
