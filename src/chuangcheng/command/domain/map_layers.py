"""The layers of the 挂图指挥 map, each scoped with ``visible_to`` and read in a fixed number of
queries whatever the number of rows.

Rows are compact lists (not objects) so a district's thousands of points and cases stay small on
the wire; the docstring of each function gives the columns.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, OuterRef, Subquery
from django.utils import timezone
from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import shape
from shapely.prepared import prep

from chuangcheng.cases.domain.periods import Period, PeriodError, current_month, parse_period
from chuangcheng.cases.filters import CaseFilters
from chuangcheng.cases.models import Case, overdue_q
from chuangcheng.cases.queries import map_rows
from chuangcheng.command.domain.trends_periods import NOT_PROBLEMS
from chuangcheng.command.models import KeyArea
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.models import Inspection, Observation
from chuangcheng.inspections.results import COUNTS
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.overview import street_rows
from chuangcheng.scoring.domain.reading import campaign_region, default_framework, live_run
from chuangcheng.scoring.domain.tree import load_tree

# A point whose latest visit found some items non-compliant is "minor" while its compliance
# rate (符合 / (符合 + 不符合)) is at least this, "major" below it.
MINOR_FROM = Decimal("0.8")
HEAT_WEEKS = 52
HEAT_LIMIT = 50_000


def compliance_state(passed: int, failed: int) -> str:
    """none (never inspected, or nothing rated) / pass (all 符合) / minor / major."""
    rated = passed + failed
    if not rated:
        return "none"
    if not failed:
        return "pass"
    return "minor" if Decimal(passed) / rated >= MINOR_FROM else "major"


def point_rows(user: Any) -> list[list[Any]]:
    """Active visible points coloured by their latest visit (2 queries):
    ``[code, name, lng, lat, state, passed, failed, type]``."""
    latest = (
        Inspection.objects.filter(round_point__point=OuterRef("pk"))
        .order_by("-observed_at", "-pk")
        .values("pk")[:1]
    )
    points = (
        Point.objects.visible_to(user)
        .filter(active=True)
        .annotate(latest=Subquery(latest))
        .order_by("code")
    )
    counts = {
        inspection: (passed, failed)
        for inspection, passed, failed, _na in Observation.objects.filter(
            inspection_id__in=points.values("latest")
        )
        .values("inspection_id")
        .annotate(**COUNTS)
        .order_by()
        .values_list(*("inspection_id", *COUNTS))
    }
    out = []
    for code, name, lng, lat, type_name, inspection in points.values_list(
        "code", "name", "lng", "lat", "type__name", "latest"
    ):
        passed, failed = counts.get(inspection, (0, 0))
        out.append(
            [
                code,
                name,
                float(lng),
                float(lat),
                compliance_state(passed, failed),
                passed,
                failed,
                type_name,
            ]
        )
    return out


def case_rows(user: Any, now: dt.datetime | None = None) -> list[list[Any]]:
    """Open visible cases with a position, as the case map draws them (1 query): ``[pk, number,
    lng, lat, state, category, status label, due ISO or ""]``; state is overdue / soon / ok /
    wait (see :func:`chuangcheng.cases.queries.map_rows`)."""
    return map_rows(user, CaseFilters(status="open"), now)


def score_period(text: str = "") -> Period:
    """The month whose live score run shades the streets: the one asked for, else the month
    of the latest inspection (so the map is not blank early in a month), else this month."""
    if text:
        try:
            period = parse_period(text)
        except PeriodError:
            period = None
        if period is not None and period.kind == "month":
            return period
    last = Inspection.objects.aggregate(last=Max("observed_at"))["last"]
    return current_month(timezone.localdate(last) if last else None)


def _street_scores(user: Any, streets: list[Region], period: Period) -> dict[int, float | None]:
    """得分率 of each street the user may see region scores of, from the live run of the
    campaign region (the streets are compared there); {} when there is no run to read."""
    allowed = [s for s in streets if user.has_perm("scoring.view_region_scores", s)]
    if not allowed:
        return {}
    try:
        run = live_run(default_framework(), campaign_region(), period)
    except ScoringError:
        return {}
    rows = street_rows(run, load_tree(run.framework_id))
    ids = {s.pk for s in allowed}
    found: dict[int, float | None] = {}
    for row in rows:
        if row.region is not None and row.region.pk in ids:
            rate = row.total.rate
            found[row.region.pk] = None if rate is None else round(float(rate), 4)
    return found


def street_figures(
    user: Any, now: dt.datetime | None = None, period_text: str = ""
) -> dict[str, Any]:
    """Per visible street: open cases, overdue cases (at a unit past the deadline) and the
    score rate (only for readers of region scores; None when not measured). Joined to the
    outlines by ``code``."""
    now = now or timezone.now()
    streets = list(Region.objects.visible_to(user).filter(level=RegionLevel.STREET))
    index = StreetIndex({s.path: s for s in streets})
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Case.objects.visible_to(user)
        .open()
        .values("region__path")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=overdue_q(now)),
        )
        .order_by()
    )
    for row in rows:
        street = index.street_of(row["region__path"])
        if street is not None:
            counts[street.pk][0] += row["n"]
            counts[street.pk][1] += row["overdue"]
    period = score_period(period_text)
    scores = _street_scores(user, streets, period)
    return {
        "period": period.key,
        "period_label": str(period.label),
        "scored": bool(scores),
        "streets": [
            {
                "code": s.code,
                "name": s.name,
                "open": counts[s.pk][0],
                "overdue": counts[s.pk][1],
                "rate": scores.get(s.pk),
            }
            for s in streets
        ],
    }


def heat_rows(user: Any, now: dt.datetime | None = None) -> dict[str, Any]:
    """Problems (cases, declined and merged ones left out) reported in the last 52 weeks, with
    a position (1 query): ``start`` (the first day, ISO) and rows ``[lat, lng, day]`` where
    ``day`` counts from ``start``; the page groups days into weeks on its own."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = today - dt.timedelta(days=7 * HEAT_WEEKS - 1)
    since = dt.datetime.combine(start, dt.time.min, tzinfo=timezone.get_current_timezone())
    rows = (
        Case.objects.visible_to(user)
        .exclude(status__in=NOT_PROBLEMS)
        .filter(reported_at__gte=since, reported_at__lte=now, lng__isnull=False, lat__isnull=False)
        .order_by("-reported_at")
        .values_list("lat", "lng", "reported_at")[:HEAT_LIMIT]
    )
    out = [
        [
            round(float(lat or 0), 5),
            round(float(lng or 0), 5),
            (timezone.localdate(at) - start).days,
        ]
        for lat, lng, at in rows
    ]
    return {"start": start.isoformat(), "days": (today - start).days + 1, "rows": out}


def key_area_rows(user: Any) -> list[dict[str, Any]]:
    """Visible key areas with the number of open visible cases inside each (2 queries)."""
    areas = list(KeyArea.objects.visible_to(user).select_related("region"))
    if not areas:
        return []
    positions = [
        ShapelyPoint(float(lng or 0), float(lat or 0))
        for lng, lat in Case.objects.visible_to(user)
        .open()
        .filter(lng__isnull=False, lat__isnull=False)
        .values_list("lng", "lat")
    ]
    out = []
    for area in areas:
        inside = prep(shape(area.geometry))
        out.append(
            {
                "id": area.pk,
                "name": area.name,
                "note": area.note,
                "region": area.region.name,
                "geometry": area.geometry,
                "open": sum(1 for p in positions if inside.covers(p)),
            }
        )
    return out
