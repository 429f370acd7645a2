"""The top recurring problems (屡改屡犯) over the trend's whole span, and where they cluster.

- A **recurring group** is two or more cases of the same category at the same point, or — for
  cases without a point — in the same square of about 50 m (latitude steps of 0.00045°,
  longitude steps of 0.000587°, about 50 m at 40° N). Squares are fixed in the database
  (``FLOOR`` of the position over the step), so two reports a few metres apart on either side
  of a square's edge are two places: the figure is exact and repeatable, not a clustering.
- **Reworked cases**: cases whose re-check failed more than once (``rework_count`` ≥ 2).
- Declined reports and merged duplicates never count. Groups are ranked by size, then by the
  latest report; each lists the cases behind it (up to :data:`MEMBERS`).
- **By street**: per street, the groups (by the point's street; for a square, the street of
  its first region path), the cases in them, and the reworked cases.

A fixed number of grouped queries, whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, IntegerField, Max, Min, Q, QuerySet, Value
from django.db.models.functions import Cast, Floor

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case
from chuangcheng.command.domain.trends_periods import (
    TrendFilters,
    bounds,
    problem_cases,
    street_options,
)
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.orgs.models import Region

MIN_CASES = 2
LIMIT = 30
MEMBERS = 20
REWORK_FROM = 2
# Square sides in millionths of a degree (about 50 m; see the module docstring).
LAT_STEP = 450
LNG_STEP = 587
MILLION = Decimal(1_000_000)


@dataclass(frozen=True)
class CaseRef:
    pk: int
    number: str
    reported: dt.datetime


@dataclass
class RecurringGroup:
    kind: str  # "point" or "place"
    place: str
    point_code: str
    category: str
    category_id: int
    street: Region | None
    count: int
    last: dt.datetime
    key: tuple[int, ...]
    cases: list[CaseRef] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "place": self.place,
            "point": self.point_code,
            "category": self.category,
            "street": self.street.name if self.street else "",
            "count": self.count,
            "last": self.last.isoformat(),
            "cases": [{"id": c.pk, "number": c.number} for c in self.cases],
        }


@dataclass(frozen=True)
class ReworkRow:
    pk: int
    number: str
    category: str
    street: Region | None
    rework: int
    status: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.pk,
            "number": self.number,
            "category": self.category,
            "street": self.street.name if self.street else "",
            "rework": self.rework,
            "status": self.status,
        }


@dataclass
class StreetCluster:
    street: Region
    groups: int = 0
    cases: int = 0
    rework: int = 0

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.street.code,
            "name": self.street.name,
            "groups": self.groups,
            "cases": self.cases,
            "rework": self.rework,
        }


@dataclass
class Recurring:
    groups: list[RecurringGroup]
    rework: list[ReworkRow]
    streets: list[StreetCluster]

    def as_json(self) -> dict[str, Any]:
        return {
            "groups": [g.as_json() for g in self.groups],
            "rework": [r.as_json() for r in self.rework],
            "streets": [s.as_json() for s in self.streets],
        }


def _cells(qs: QuerySet[Case]) -> QuerySet[Case]:
    """``cy``/``cx``: the ~50 m square of each case's position, computed in the database."""
    return qs.annotate(
        cy=Cast(Floor(F("lat") * Value(MILLION) / Value(LAT_STEP)), IntegerField()),
        cx=Cast(Floor(F("lng") * Value(MILLION) / Value(LNG_STEP)), IntegerField()),
    )


def _point_groups(cases: QuerySet[Case], index: StreetIndex) -> list[RecurringGroup]:
    rows = (
        cases.filter(point__isnull=False, category__isnull=False)
        .values(
            "point_id",
            "point__code",
            "point__name",
            "point__region__path",
            "category_id",
            "category__name",
        )
        .annotate(n=Count("pk"), last=Max("reported_at"))
        .filter(n__gte=MIN_CASES)
        .order_by("-n", "-last", "point__code")
    )
    return [
        RecurringGroup(
            "point",
            r["point__name"],
            r["point__code"],
            r["category__name"],
            r["category_id"],
            index.street_of(r["point__region__path"]),
            r["n"],
            r["last"],
            (r["point_id"], r["category_id"]),
        )
        for r in rows
    ]


def _place_groups(cases: QuerySet[Case], index: StreetIndex) -> list[RecurringGroup]:
    rows = (
        _cells(cases.filter(point__isnull=True, category__isnull=False, lat__isnull=False))
        .exclude(lng__isnull=True)
        .values("cy", "cx", "category_id", "category__name")  # type: ignore[misc]
        .annotate(
            n=Count("pk"), last=Max("reported_at"), address=Min("address"), path=Min("region__path")
        )
        .filter(n__gte=MIN_CASES)
        .order_by("-n", "-last", "cy", "cx")
    )
    return [
        RecurringGroup(
            "place",
            r["address"] or "",
            "",
            r["category__name"],
            r["category_id"],
            index.street_of(r["path"]),
            r["n"],
            r["last"],
            (int(r["cy"]), int(r["cx"]), r["category_id"]),
        )
        for r in rows
    ]


def _attach_members(cases: QuerySet[Case], groups: list[RecurringGroup]) -> None:
    """The cases behind each group, newest first (1 query for all groups)."""
    cond = Q(pk__in=[])
    for g in groups:
        if g.kind == "point":
            cond |= Q(point_id=g.key[0], category_id=g.key[1])
        else:
            cond |= Q(point__isnull=True, cy=g.key[0], cx=g.key[1], category_id=g.key[2])
    by_key = {(g.kind, g.key): g for g in groups}
    rows = (
        _cells(cases)
        .filter(cond)  # type: ignore[misc]
        .order_by("-reported_at", "-pk")
        .values_list("pk", "number", "reported_at", "point_id", "category_id", "cy", "cx")
    )
    for pk, number, reported, point_id, category_id, cy, cx in rows:
        key = (
            ("point", (point_id, category_id))
            if point_id is not None
            else ("place", (int(cy), int(cx), category_id))
        )
        group = by_key.get(key)
        if group is not None and len(group.cases) < MEMBERS:
            group.cases.append(CaseRef(pk, number, reported))


def _rework(cases: QuerySet[Case], index: StreetIndex) -> list[ReworkRow]:
    labels = dict(CaseStatus.choices)
    rows = (
        cases.filter(rework_count__gte=REWORK_FROM)
        .order_by("-rework_count", "-reported_at", "-pk")
        .values_list("pk", "number", "category__name", "region__path", "rework_count", "status")
    )
    return [
        ReworkRow(pk, number, category or "", index.street_of(path), n, str(labels[status]))
        for pk, number, category, path, n, status in rows
    ]


def recurring(user: Any, f: TrendFilters) -> Recurring:
    """Recurring groups and reworked cases over the span of ``f``'s periods: 5 queries (4 when
    nothing recurs). Every group and reworked case counts by street; the top ones are listed."""
    shown = f.periods()
    start, end = bounds(shown[0], shown[-1])
    cases = problem_cases(user, f).filter(reported_at__gte=start, reported_at__lt=end)
    streets = list(street_options(user))
    index = StreetIndex({s.path: s for s in streets})
    every = sorted(
        _point_groups(cases, index) + _place_groups(cases, index),
        key=lambda g: (-g.count, -g.last.timestamp(), g.kind, g.key),
    )
    groups = every[:LIMIT]
    if groups:
        _attach_members(cases, groups)
    rework = _rework(cases, index)
    clusters = {s.pk: StreetCluster(s) for s in streets}
    for g in every:
        if g.street is not None and g.street.pk in clusters:
            clusters[g.street.pk].groups += 1
            clusters[g.street.pk].cases += g.count
    for r in rework:
        if r.street is not None and r.street.pk in clusters:
            clusters[r.street.pk].rework += 1
    ranked = sorted(
        (c for c in clusters.values() if c.groups or c.rework),
        key=lambda c: (-c.cases, -c.rework, c.street.path),
    )
    return Recurring(groups, rework[: LIMIT * 2], ranked)
