"""Unit figures (单位考核数据) for a period: what each responsible unit was due to finish and how
it did, per unit, per sub-region and for the whole region (../shared/domain.md §6).

Definitions (the ADR docs/adr/0007-unit-figures.md gives the reasons):

- The unit of a case is the unit of its **lead** assignment (主办). Partner units (协办) are not
  counted. Rejected and merged cases never count.
- The **cohort** of a period is the dispatched cases whose current deadline (``due_at``, after
  any granted extension or a resumption) falls in the period. Figures are read from the cases'
  state at ``now``: a period that has ended changes only as late cases get handled.
- **处置数** (handled): cohort cases whose feedback stands — awaiting re-check or closed. A failed
  re-check clears the feedback, so a case in rework is not handled.
- **超期未处置数** (overdue): cohort cases at the unit (dispatched or in rework) whose deadline
  is before ``now``.
- **应结案数** (due) = 处置数 + 超期未处置数. Cohort cases not yet due and not handled, and cases
  currently suspended (缓办: the clock stops), are not due yet; they are counted as **在办**.
- **结案数**: due cases that are closed. 结案率 = 结案数 / 应结案数.
- **处置率** = 处置数 / 应结案数; **超期待处置率** = 超期未处置数 / 应结案数.
- **缓办数**: due cases that were ever suspended (``was_suspended``).
- **按期处置数**: handled cases never suspended whose feedback came on or before the deadline.
  按期处置率 = 按期处置数 / (应结案数 − 缓办数): suspended cases leave numerator and denominator.
- **返工数**: re-checks failed (返工 events, ``rework_count``) on due cases; 返工率 = 返工数 /
  应结案数 (it may exceed 100 % when a case goes back several times).
- **延期数**: due cases with at least one extension granted; 延期率 = 延期数 / 应结案数.
- Rates are exact fractions shown rounded half-up to 0.01 %; a zero denominator gives no rate
  ("—"), never 0 or 100 %.
- The **composite score** follows an :class:`~chuangcheng.cases.models_appraisal.AppraisalScheme`:
  Σ weight × term (the rate, or 1 − rate for 返工, 超期 and 延期, never below 0) + the volume
  band points for 应结案数, rounded half-up to 0.01. A term with a non-zero weight and no rate
  leaves the unit without a score. Units are ranked by score (ties share a rank).

Every figure is a conditional ``COUNT``/``SUM`` in one grouped query, so the number of queries
does not grow with the number of units, regions or cases.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment
from chuangcheng.cases.models_appraisal import AppraisalScheme
from chuangcheng.orgs.models import Region, Unit

S = CaseStatus
RATE_PLACES = Decimal("0.0001")  # 83.33 %
SCORE_PLACES = Decimal("0.01")
NO_DATA = "—"
NEVER_COUNTED = (S.REJECTED, S.MERGED)
HANDLED = (S.FEEDBACK, S.CLOSED)
AT_UNIT = (S.DISPATCHED, S.REWORK)

# The figures a drill-down can list, in table order.
FIGURES = ("due", "handled", "closed", "on_time", "suspended", "rework", "overdue", "extended")


def _exact(value: Fraction, places: Decimal) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class Rate:
    """``num / den`` kept exact; no value when ``den`` is 0."""

    num: int
    den: int

    @property
    def fraction(self) -> Fraction | None:
        return Fraction(self.num, self.den) if self.den else None

    @property
    def value(self) -> Decimal | None:
        """The ratio rounded half-up to 4 places (0.8333), or None without data."""
        frac = self.fraction
        return None if frac is None else _exact(frac, RATE_PLACES)

    @property
    def percent(self) -> Decimal | None:
        value = self.value
        return None if value is None else value * 100

    def __str__(self) -> str:
        pct = self.percent
        return NO_DATA if pct is None else f"{pct:.2f}%"


@dataclass(frozen=True)
class Counts:
    """The counts behind every rate; adding two gives the figures of both together."""

    due: int = 0  # 应结案数
    handled: int = 0  # 处置数
    closed: int = 0  # 结案数
    on_time: int = 0  # 按期处置数
    suspended: int = 0  # 缓办数
    rework: int = 0  # 返工数 (events)
    overdue: int = 0  # 超期未处置数
    extended: int = 0  # 延期数
    pending: int = 0  # 在办: in the cohort, not due yet or suspended now

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    @property
    def handled_rate(self) -> Rate:
        return Rate(self.handled, self.due)

    @property
    def closed_rate(self) -> Rate:
        return Rate(self.closed, self.due)

    @property
    def on_time_rate(self) -> Rate:
        return Rate(self.on_time, self.due - self.suspended)

    @property
    def rework_rate(self) -> Rate:
        return Rate(self.rework, self.due)

    @property
    def overdue_rate(self) -> Rate:
        return Rate(self.overdue, self.due)

    @property
    def extension_rate(self) -> Rate:
        return Rate(self.extended, self.due)


def total(counts: Iterable[Counts]) -> Counts:
    result = Counts()
    for c in counts:
        result = result + c
    return result


# -- composite score ---------------------------------------------------------------------------


def band_points(scheme: AppraisalScheme, due: int) -> Fraction:
    """The points of the highest volume band whose minimum ``due`` reaches; 0 below all."""
    best: tuple[int, Fraction] | None = None
    for minimum, points in scheme.volume_bands or []:
        if due >= int(minimum) and (best is None or int(minimum) > best[0]):
            best = (int(minimum), Fraction(str(points)))
    return best[1] if best else Fraction(0)


def score(counts: Counts, scheme: AppraisalScheme) -> Decimal | None:
    """The composite score of ``counts`` under ``scheme``, or None without data."""
    if counts.due == 0:
        return None
    terms: list[tuple[Decimal, Rate, bool]] = [
        (scheme.w_closed, counts.closed_rate, False),
        (scheme.w_handled, counts.handled_rate, False),
        (scheme.w_on_time, counts.on_time_rate, False),
        (scheme.w_rework, counts.rework_rate, True),
        (scheme.w_overdue, counts.overdue_rate, True),
        (scheme.w_extension, counts.extension_rate, True),
    ]
    result = band_points(scheme, counts.due)
    for weight, rate, inverted in terms:
        if not weight:
            continue
        frac = rate.fraction
        if frac is None:
            return None
        term = max(Fraction(0), 1 - frac) if inverted else frac
        result += Fraction(str(weight)) * term
    return _exact(result, SCORE_PLACES)


def default_scheme() -> AppraisalScheme:
    """The scheme marked default, else the first; an unsaved closure-30 preset without rows."""
    found = AppraisalScheme.objects.order_by("-is_default", "seq", "code").first()
    if found is not None:
        return found
    return AppraisalScheme(
        code="closure-30",
        name=_("Closure rate ×30 + on-time rate ×30 + (1 − rework rate) ×30 + volume band"),
        w_closed=Decimal(30),
        w_on_time=Decimal(30),
        w_rework=Decimal(30),
        volume_bands=[[100, 10], [50, 8], [20, 6], [10, 4], [1, 2]],
    )


# -- conditions and the grouped query --------------------------------------------------------


def conditions(prefix: str, now: dt.datetime) -> dict[str, Q]:
    """Each figure's condition on a case reached through ``prefix`` ("" or "case__")."""

    def q(**kw: Any) -> Q:
        return Q(**{prefix + k: v for k, v in kw.items()})

    handled = q(status__in=HANDLED)
    overdue = q(status__in=AT_UNIT, due_at__lt=now)
    due = handled | overdue
    return {
        "due": due,
        "handled": handled,
        "closed": q(status=S.CLOSED),
        "on_time": handled
        & q(was_suspended=False)
        & Q(**{prefix + "feedback_at__lte": F(prefix + "due_at")}),
        "suspended": due & q(was_suspended=True),
        "rework": due & q(rework_count__gt=0),
        "overdue": overdue,
        "extended": due & q(extension_count__gt=0),
        "pending": ~due,
    }


def cohort_filter(prefix: str, period: Period) -> Q:
    start, end = period.bounds()
    return (
        Q(**{prefix + "dispatched_at__isnull": False})
        & Q(**{prefix + "due_at__gte": start, prefix + "due_at__lt": end})
        & ~Q(**{prefix + "status__in": NEVER_COUNTED})
    )


def _aggregates(prefix: str, now: dt.datetime) -> dict[str, Any]:
    cond = conditions(prefix, now)
    aggs: dict[str, Any] = {
        name: Count("pk", filter=cond[name]) for name in cond if name not in ("rework",)
    }
    aggs["rework"] = Coalesce(Sum(prefix + "rework_count", filter=cond["due"]), 0)
    return aggs


def _counts(row: Mapping[str, Any]) -> Counts:
    return Counts(**{f.name: int(row.get(f.name) or 0) for f in fields(Counts)})


def lead_assignments(period: Period, region: Region | None) -> QuerySet[CaseAssignment]:
    """The lead assignments of the period's cohort, limited to cases located in ``region``."""
    qs = CaseAssignment.objects.filter(cohort_filter("case__", period), lead=True)
    if region is not None:
        qs = qs.filter(case__region__path__startswith=region.path)
    return qs


# -- the table -----------------------------------------------------------------------------------


@dataclass
class UnitRow:
    unit: Unit
    counts: Counts
    score: Decimal | None = None
    rank: int | None = None


@dataclass
class RegionRow:
    """A sub-region (the streets of a district, the communities of a street): the cases located
    there, whichever unit leads them."""

    region: Region
    counts: Counts
    score: Decimal | None = None


@dataclass
class FigureTable:
    period: Period
    region: Region | None
    scheme: AppraisalScheme
    now: dt.datetime
    units: list[UnitRow] = field(default_factory=list)
    regions: list[RegionRow] = field(default_factory=list)
    total: Counts = field(default_factory=Counts)
    total_score: Decimal | None = None

    def unit_row(self, unit_id: int) -> UnitRow | None:
        return next((r for r in self.units if r.unit.pk == unit_id), None)

    @property
    def ranked(self) -> int:
        """How many units have a rank."""
        return sum(1 for r in self.units if r.rank is not None)


def rank_rows(rows: list[UnitRow]) -> list[UnitRow]:
    """Sort by score (highest first; ties by more cases due, then name), units without a score
    last; equal scores share a rank (1, 2, 2, 4)."""
    rows.sort(key=lambda r: (r.score is None, -(r.score or 0), -r.counts.due, r.unit.name))
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row.score is None:
            row.rank = None
            continue
        if row.score != previous:
            rank = position
            previous = row.score
        row.rank = rank
    return rows


def sub_regions(region: Region | None) -> list[Region]:
    """The regions a table is broken down into: the children of ``region``, or the districts."""
    if region is None:
        return list(Region.objects.filter(level="district").order_by("seq", "path"))
    return list(Region.objects.filter(parent=region).order_by("seq", "path"))


def figure_table(
    period: Period,
    region: Region | None = None,
    *,
    now: dt.datetime | None = None,
    scheme: AppraisalScheme | None = None,
) -> FigureTable:
    """Every unit's and every sub-region's figures for ``period`` over the cases located in
    ``region`` (None: everywhere). Four queries whatever the size: the grouped counts, the
    units, the sub-regions and the case regions met."""
    now = now or timezone.now()
    scheme = scheme or default_scheme()
    grouped = list(
        lead_assignments(period, region)
        .order_by()
        .values("unit_id", "case__region_id")
        .annotate(**_aggregates("case__", now))
    )
    by_unit: dict[int, Counts] = {}
    by_case_region: dict[int, Counts] = {}
    for row in grouped:
        c = _counts(row)
        by_unit[row["unit_id"]] = by_unit.get(row["unit_id"], Counts()) + c
        rid = row["case__region_id"]
        by_case_region[rid] = by_case_region.get(rid, Counts()) + c
    units = Unit.objects.in_bulk(list(by_unit))
    table = FigureTable(period=period, region=region, scheme=scheme, now=now)
    table.units = rank_rows(
        [UnitRow(units[uid], c, score(c, scheme)) for uid, c in by_unit.items()]
    )
    table.regions = _fold_regions(region, by_case_region, scheme)
    table.total = total(by_unit.values())
    table.total_score = score(table.total, scheme)
    return table


def _fold_regions(
    region: Region | None, by_case_region: dict[int, Counts], scheme: AppraisalScheme
) -> list[RegionRow]:
    parts = sub_regions(region)
    paths = dict(Region.objects.filter(pk__in=list(by_case_region)).values_list("pk", "path"))
    sums: dict[int, Counts] = {}
    own = Counts()
    for rid, c in by_case_region.items():
        path = paths.get(rid, "")
        part = next((p for p in parts if path.startswith(p.path)), None)
        if part is None:
            own = own + c
        else:
            sums[part.pk] = sums.get(part.pk, Counts()) + c
    rows = [RegionRow(p, sums.get(p.pk, Counts())) for p in parts]
    if region is not None and own != Counts():
        rows.append(RegionRow(region, own))
    for row in rows:
        row.score = score(row.counts, scheme)
    return rows


# -- a unit over time ----------------------------------------------------------------------------


@dataclass
class MonthRow:
    period: Period
    counts: Counts
    score: Decimal | None


def monthly(
    unit: Unit,
    months: Sequence[Period],
    *,
    now: dt.datetime | None = None,
    scheme: AppraisalScheme | None = None,
) -> list[MonthRow]:
    """``unit``'s figures for each of ``months`` (consecutive months), in one grouped query."""
    now = now or timezone.now()
    scheme = scheme or default_scheme()
    span = Period("span", "range", months[0].start, months[-1].end)
    rows = (
        CaseAssignment.objects.filter(cohort_filter("case__", span), lead=True, unit=unit)
        .annotate(month=TruncMonth("case__due_at"))
        .order_by()
        .values("month")
        .annotate(**_aggregates("case__", now))
    )
    found: dict[tuple[int, int], Counts] = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month) if timezone.is_aware(month) else month
        found[(month.year, month.month)] = _counts(row)
    result = []
    for p in months:
        c = found.get((p.start.year, p.start.month), Counts())
        result.append(MonthRow(p, c, score(c, scheme)))
    return result


# -- the cases behind a number -------------------------------------------------------------------


def cases_behind(
    period: Period,
    figure: str,
    *,
    region: Region | None = None,
    unit: Unit | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[Case]:
    """The cases a figure counts (for 返工数: the due cases reworked at least once). ``region``
    limits to cases located there, ``unit`` to cases it leads."""
    if figure not in (*FIGURES, "pending"):
        raise ValueError(figure)
    now = now or timezone.now()
    qs = Case.objects.filter(cohort_filter("", period)).filter(conditions("", now)[figure])
    if region is not None:
        qs = qs.filter(region__path__startswith=region.path)
    if unit is not None:
        qs = qs.filter(assignments__unit=unit, assignments__lead=True)
    return qs.order_by("due_at", "id")
