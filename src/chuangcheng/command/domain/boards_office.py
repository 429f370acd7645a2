"""The office's work queues (受理, 督办, 核查, 延期) and today's inspection rounds, and the basic
data of the region (points, streets, units, frameworks) the overview used to show.

Each queue is a count and its oldest few rows, linking to the case list filtered to exactly the
rows counted and to each row; a fixed number of queries whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from chuangcheng.cases.enums import CaseStatus, ExtensionStatus
from chuangcheng.cases.models import Case, ExtensionRequest, overdue_q
from chuangcheng.command.domain.boards_cases import case_url
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.queries import rounds_for
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

OLDEST = 3
ROUNDS_SHOWN = 8


def _pending_extension() -> Q:
    asked = ExtensionRequest.objects.filter(status=ExtensionStatus.ASKED).values("case_id")
    return Q(pk__in=asked)


def _rows(cases: Any, order: str, when: str) -> list[dict[str, Any]]:
    rows = cases.order_by(order, "pk").values(
        "pk", "number", when, "category__name", "region__name"
    )[:OLDEST]
    return [
        {
            "number": r["number"],
            "what": r["category__name"] or "",
            "where": r["region__name"],
            "at": r[when],
            "url": reverse("cases:detail", args=[r["pk"]]),
        }
        for r in rows
    ]


def work_queues(user: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """Intake, overdue (督办), re-checks due and extensions asked: counts in one query, the
    oldest rows of each in one query per queue."""
    cases = Case.objects.visible_to(user)
    intake = Q(status=CaseStatus.REPORTED)
    review = Q(status=CaseStatus.FEEDBACK)
    late = overdue_q(now)
    extension = _pending_extension()
    counts = cases.aggregate(
        intake=Count("pk", filter=intake),
        overdue=Count("pk", filter=late),
        review=Count("pk", filter=review),
        extension=Count("pk", filter=extension),
    )
    return [
        {
            "code": "intake",
            "n": counts["intake"],
            "url": reverse("cases:intake"),
            "rows": _rows(cases.filter(intake), "reported_at", "reported_at"),
        },
        {
            "code": "overdue",
            "n": counts["overdue"],
            "url": case_url(overdue="1"),
            "rows": _rows(cases.filter(late), "due_at", "due_at"),
        },
        {
            "code": "review",
            "n": counts["review"],
            "url": case_url(status=CaseStatus.FEEDBACK),
            "rows": _rows(cases.filter(review), "feedback_at", "feedback_at"),
        },
        {
            "code": "extension",
            "n": counts["extension"],
            "url": case_url(extension="1"),
            "rows": _rows(cases.filter(extension), "due_at", "due_at"),
        },
    ]


def todays_rounds(user: Any, today: dt.date) -> dict[str, Any]:
    """Rounds in the field whose period holds today, with their progress (one query)."""
    rounds = list(
        rounds_for(user).filter(
            status=RoundStatus.OPEN, period_start__lte=today, period_end__gte=today
        )[: ROUNDS_SHOWN + 1]
    )
    return {
        "more": len(rounds) > ROUNDS_SHOWN,
        "url": reverse("inspections:round_list"),
        "rounds": [
            {
                "name": r.name,
                "region": r.region.name,
                "until": r.period_end,
                "points": r.n_points,  # type: ignore[attr-defined]
                "done": r.n_done,  # type: ignore[attr-defined]
                "pct": round(100 * r.n_done / r.n_points) if r.n_points else 0,  # type: ignore[attr-defined]
                "url": reverse("inspections:round_detail", args=[r.pk]),
            }
            for r in rounds[:ROUNDS_SHOWN]
        ],
    }


def basic_data(user: Any) -> dict[str, Any]:
    """Points by type and street, streets, communities and units, frameworks in force: each
    scoped to what the user may see (5 queries)."""
    points = Point.objects.visible_to(user).filter(active=True)
    by_type = list(points.values("type__name").annotate(n=Count("id")).order_by("-n", "type__name"))
    by_region = (
        points.values("region__parent__name", "region__name", "region__level")
        .annotate(n=Count("id"))
        .order_by("region__name")
    )
    streets: dict[str, int] = {}
    for row in by_region:
        name = (
            row["region__name"]
            if row["region__level"] == RegionLevel.STREET
            else row["region__parent__name"]
        )
        streets[name] = streets.get(name, 0) + row["n"]
    units = Unit.objects.visible_to(user).values("kind").annotate(n=Count("id"))
    unit_counts = {row["kind"]: row["n"] for row in units}
    regions = Region.objects.visible_to(user).values("level").annotate(n=Count("id"))
    region_counts = {row["level"]: row["n"] for row in regions}
    frameworks = Framework.objects.visible_to(user).filter(status="active")
    top = max(streets.values(), default=0)
    return {
        "point_total": sum(r["n"] for r in by_type),
        "points_by_type": [{"name": r["type__name"], "n": r["n"]} for r in by_type[:12]],
        "type_count": len(by_type),
        "points_by_street": sorted(
            (
                {"name": k, "n": v, "pct": round(100 * v / top) if top else 0}
                for k, v in streets.items()
            ),
            key=lambda r: -r["n"],
        ),
        "unit_territorial": unit_counts.get(UnitKind.TERRITORIAL, 0),
        "unit_line": unit_counts.get(UnitKind.LINE, 0) + unit_counts.get(UnitKind.ENTERPRISE, 0),
        "street_count": region_counts.get(RegionLevel.STREET, 0),
        "community_count": region_counts.get(RegionLevel.COMMUNITY, 0),
        "grid_count": region_counts.get(RegionLevel.GRID, 0),
        "frameworks": [f"{f.name} v{f.version}" for f in frameworks],
    }
