"""The big screen's figures for one region: aggregated only (counts, rates, names of streets
and units), never a case, a person or a place, so the same answer can be shown on a control-room
screen opened with a read-only link. A fixed number of queries whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from chuangcheng.cases.domain.periods import Period, current_month
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, overdue_q
from chuangcheng.command.domain.boards_cases import (
    by_street,
    open_and_overdue,
    per_day,
    per_month,
    streets_under,
)
from chuangcheng.command.domain.boards_scores import score_figures
from chuangcheng.orgs.models import Region

UNITS_SHOWN = 10
LINK_KEYS = ("url", "open_url", "overdue_url")


def region_cases(region: Region) -> Any:
    return Case.objects.filter(region__path__startswith=region.path)


def _totals(cases: Any, now: dt.datetime, today: dt.date) -> dict[str, int]:
    """Open, overdue, reported today, closed this month: two queries, each reading only the
    rows it counts through an index (status; reported_at and closed_at)."""
    tz = timezone.get_current_timezone()
    day = dt.datetime.combine(today, dt.time.min, tzinfo=tz)
    month = current_month(today).bounds()[0]
    found = open_and_overdue(cases, now)
    recent = Q(reported_at__gte=day)
    closed = Q(status=CaseStatus.CLOSED, closed_at__gte=month)
    counts = cases.filter(Q(reported_at__gte=day) | Q(closed_at__gte=month)).aggregate(
        today=Count("pk", filter=recent), closed_month=Count("pk", filter=closed)
    )
    return {"open": found["open"], "overdue": found["overdue"], **counts}


def overdue_by_unit(cases: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """Overdue cases by their lead unit, most first (one query, joining from the overdue
    cases: the index on status finds them, not a scan of every assignment)."""
    rows = (
        cases.filter(overdue_q(now), assignments__lead=True)
        .values("assignments__unit__name", "assignments__unit__short_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "assignments__unit__name")[:UNITS_SHOWN]
    )
    return [
        {"unit": r["assignments__unit__short_name"] or r["assignments__unit__name"], "n": r["n"]}
        for r in rows
    ]


def _without_links(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in r.items() if k not in LINK_KEYS} for r in rows]


def screen_figures(region: Region, period: Period, now: dt.datetime) -> dict[str, Any]:
    """Everything the screen draws, for ``region`` over ``period`` as of ``now``."""
    today = timezone.localdate(now)
    cases = region_cases(region)
    score = score_figures(region, period)
    streets = streets_under(region)
    gauge = None
    if score is not None:
        gauge = {
            k: score[k]
            for k in (
                "framework",
                "period_label",
                "rate_pct",
                "coverage_pct",
                "projected",
                "max_score",
                "target_pct",
                "target_score",
            )
        }
        gauge["streets"] = _without_links(score["streets"])
    return {
        "region": region.name,
        "at": timezone.localtime(now).strftime("%Y-%m-%d %H:%M"),
        "totals": _totals(cases, now, today),
        "score": gauge,
        "per_day": _without_links(per_day(cases, today)),
        "per_month": _without_links(per_month(cases, today)),
        "streets": _without_links(by_street(cases, streets, now)),
        "overdue_units": overdue_by_unit(cases, now),
    }


def outlines(region: Region) -> dict[str, Any]:
    """The region's streets as GeoJSON (code and name only), for the screen's small map."""
    streets = Region.objects.filter(
        Q(pk=region.pk) | Q(parent=region), boundary__isnull=False
    ).only("code", "name", "level", "boundary")
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": s.boundary,
                "properties": {"code": s.code, "name": s.name, "own": s.pk == region.pk},
            }
            for s in streets
        ],
    }
