"""Read-side queries for the round pages, the phone pages and the API: always scoped."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections.domain import checklist
from chuangcheng.inspections.domain.planning import PLANNABLE_LEVELS
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.models import Round, RoundPoint
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point, PointType


def rounds_for(user: Any) -> QuerySet[Round]:
    """Visible rounds with ``n_points`` (drawn) and ``n_done`` (inspected): 1 query a page."""
    return (
        Round.objects.visible_to(user)
        .select_related("framework", "region")
        .annotate(
            n_points=Count("round_points", distinct=True),
            n_done=Count("round_points__inspection", distinct=True),
        )
        .order_by("-period_start", "-id")
    )


def plannable_regions(user: Any) -> list[Region]:
    """The district and streets where ``user`` may plan rounds (1 query)."""
    regions = Region.objects.visible_to(user).filter(level__in=PLANNABLE_LEVELS).order_by("path")
    return [r for r in regions if user.has_perm("inspections.plan_round", r)]


def active_frameworks(user: Any) -> QuerySet[Framework]:
    return Framework.objects.visible_to(user).filter(status=FrameworkStatus.ACTIVE)


@dataclass(frozen=True)
class QuotaRow:
    point_type: PointType
    available: int  # active points of the type in the region
    clauses: int  # field clauses checked at the type


def quota_rows(framework: Framework | None, region: Region | None) -> list[QuotaRow]:
    """Point types the framework checks in the field, with the active points of each type in the
    region (3 queries)."""
    if framework is None:
        return []
    clauses = checklist.field_clauses(framework)
    type_ids = checklist.point_type_ids(clauses)
    available: dict[int, int] = {}
    if region is not None:
        available = dict(
            Point.objects.filter(
                active=True, type_id__in=type_ids, region__path__startswith=region.path
            )
            .values("type_id")
            .annotate(n=Count("pk"))
            .values_list("type_id", "n")
        )
    return [
        QuotaRow(
            point_type=t,
            available=available.get(t.pk, 0),
            clauses=sum(1 for c in clauses if t.pk in c.point_type_ids),
        )
        for t in PointType.objects.filter(pk__in=type_ids).order_by("seq", "code")
    ]


def round_points(round_: Round) -> list[RoundPoint]:
    """The drawn points with everything a row shows (2 queries), each with ``street`` and
    ``visit`` (its inspection, or None)."""
    rows = list(
        round_.round_points.select_related(
            "point",
            "point__type",
            "point__region",
            "point__territorial_unit",
            "inspector",
            "inspection",
        ).order_by("seq")
    )
    streets = StreetIndex.under(round_.region)
    for rp in rows:
        rp.street = streets.street_of(rp.point.region.path)  # type: ignore[attr-defined]
        rp.visit = getattr(rp, "inspection", None)  # type: ignore[attr-defined]
    return rows


@dataclass(frozen=True)
class Shortfall:
    point_type: str
    wanted: int
    drawn: int


def shortfalls(round_: Round, rows: list[RoundPoint]) -> list[Shortfall]:
    """Types where fewer points were drawn than asked (the region has too few)."""
    drawn: dict[int, int] = {}
    for rp in rows:
        drawn[rp.point.type_id] = drawn.get(rp.point.type_id, 0) + 1
    return [
        Shortfall(q.point_type.name, q.count, drawn.get(q.point_type_id, 0))
        for q in round_.quotas.select_related("point_type")
        if drawn.get(q.point_type_id, 0) < q.count
    ]


def field_rounds(user: Any) -> QuerySet[Round]:
    """Open rounds with points the user inspects, with ``n_mine`` and ``n_done`` of them."""
    mine = RoundPoint.objects.for_field(user)
    return (
        Round.objects.filter(pk__in=mine.values("round_id"))
        .select_related("region")
        .annotate(
            n_mine=Count("round_points", filter=Q(round_points__in=mine), distinct=True),
            n_done=Count(
                "round_points",
                filter=Q(round_points__in=mine, round_points__inspection__isnull=False),
                distinct=True,
            ),
        )
        .order_by("period_end", "pk")
    )


def field_points(user: Any) -> QuerySet[RoundPoint]:
    """Round points the user may inspect, with the point and its inspection (if any)."""
    return RoundPoint.objects.for_field(user).select_related(
        "round", "round__region", "point", "point__type", "point__region", "inspection"
    )
