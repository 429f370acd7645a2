"""Duplicates (重复上报) and recurrence (屡改屡犯).

A new report of the same category close to an open case, within a few days of it, is probably
the same problem: the clerk is offered those cases, closest first (:func:`candidates`), and a
report at the very same point, in the same category, on the same calendar day as an open case is
merged at intake without asking (:func:`same_day_original`). A place whose cases of one category
keep coming back is marked recurring (:func:`mark_recurrence`).

Thresholds are settings (CASE_DUPLICATE_METRES, CASE_DUPLICATE_DAYS, CASE_RECURRENCE_COUNT,
CASE_RECURRENCE_DAYS). Distances are great-circle (haversine) on WGS-84 positions.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from chuangcheng.cases.enums import OPEN_STATES, CaseStatus
from chuangcheng.cases.models import Case
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction

EARTH_RADIUS_M = 6_371_008.8  # mean radius (IUGG)
METRES_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_M / 180


def haversine_m(lng1: float, lat1: float, lng2: float, lat2: float) -> float:
    """Great-circle distance in metres between two WGS-84 positions."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lng2 - lng1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


@dataclass(frozen=True)
class Candidate:
    """An open case that may be the same problem, and how far it is (0 at the same point)."""

    case: Case
    metres: float


def _position(case: Case) -> tuple[float, float] | None:
    if case.lng is None or case.lat is None:
        return None
    return float(case.lng), float(case.lat)


def category_id_of(case: Case) -> int | None:
    """The category to compare on: the confirmed one, else the suggested one."""
    return case.category_id or case.suggested_category_id


def _distance(a: Case, b: Case) -> float | None:
    if a.point_id is not None and a.point_id == b.point_id:
        return 0.0
    pa, pb = _position(a), _position(b)
    if pa is None or pb is None:
        return None
    return haversine_m(pa[0], pa[1], pb[0], pb[1])


def candidates_for(
    cases: Iterable[Case],
    *,
    within: QuerySet[Case] | None = None,
    metres: float | None = None,
    days: int | None = None,
) -> dict[int, list[Candidate]]:
    """For each case, the open cases of its category within ``metres`` and ``days`` of it,
    closest first, then oldest first. One query for any number of cases; ``within`` limits the
    candidates (pass the user's visible cases)."""
    cases = list(cases)
    limit_m = float(settings.CASE_DUPLICATE_METRES if metres is None else metres)
    window = dt.timedelta(days=settings.CASE_DUPLICATE_DAYS if days is None else days)
    found: dict[int, list[Candidate]] = {c.pk: [] for c in cases}
    categories = {cid for c in cases if (cid := category_id_of(c)) is not None}
    if not categories:
        return found
    start = min(c.reported_at for c in cases) - window
    end = max(c.reported_at for c in cases) + window
    base = within if within is not None else Case.objects.all()
    pool = list(
        base.filter(
            status__in=OPEN_STATES,
            category_id__in=categories,
            reported_at__gte=start,
            reported_at__lte=end,
        ).only("pk", "number", "status", "category_id", "point_id", "lng", "lat", "reported_at")
    )
    for case in cases:
        cid = category_id_of(case)
        hits = []
        for other in pool:
            if other.pk == case.pk or other.category_id != cid:
                continue
            if abs(other.reported_at - case.reported_at) > window:
                continue
            distance = _distance(case, other)
            if distance is not None and distance <= limit_m:
                hits.append(Candidate(other, distance))
        hits.sort(key=lambda c: (c.metres, c.case.reported_at, c.case.pk))
        found[case.pk] = hits
    return found


def candidates(
    case: Case,
    *,
    within: QuerySet[Case] | None = None,
    metres: float | None = None,
    days: int | None = None,
) -> list[Candidate]:
    """Open cases of the same category within the distance and time window, closest first."""
    return candidates_for([case], within=within, metres=metres, days=days)[case.pk]


def _local_day(moment: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    day = timezone.localdate(moment)
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def same_day_original(case: Case) -> Case | None:
    """The open case this report repeats exactly — same point, same category, reported the same
    calendar day (local time) — or None. The earliest such case wins."""
    if case.point_id is None or case.category_id is None:
        return None
    start, end = _local_day(case.reported_at)
    return (
        Case.objects.filter(
            point_id=case.point_id,
            category_id=case.category_id,
            status__in=OPEN_STATES,
            duplicate_of=None,
            reported_at__gte=start,
            reported_at__lt=end,
        )
        .exclude(pk=case.pk)
        .order_by("reported_at", "pk")
        .first()
    )


def _box(lng: float, lat: float, metres: float) -> dict[str, Decimal]:
    """A lng/lat box holding every position within ``metres``, for the database to pre-filter."""
    dlat = metres / METRES_PER_DEGREE_LAT
    dlng = dlat / max(math.cos(math.radians(lat)), 0.01)
    return {
        "lng__gte": Decimal(str(round(lng - dlng, 6))),
        "lng__lte": Decimal(str(round(lng + dlng, 6))),
        "lat__gte": Decimal(str(round(lat - dlat, 6))),
        "lat__lte": Decimal(str(round(lat + dlat, 6))),
    }


def recurring_group(case: Case) -> list[Case]:
    """The cases that count with ``case`` towards recurrence: same category, same point (or,
    without a point, within CASE_DUPLICATE_METRES), reported in the CASE_RECURRENCE_DAYS before
    it; rejected reports and merged duplicates do not count. Includes ``case``."""
    if case.category_id is None:
        return []
    since = case.reported_at - dt.timedelta(days=settings.CASE_RECURRENCE_DAYS)
    qs = Case.objects.filter(
        category_id=case.category_id, reported_at__gte=since, reported_at__lte=case.reported_at
    ).exclude(status__in=[CaseStatus.REJECTED, CaseStatus.MERGED])
    if case.point_id is not None:
        return list(qs.filter(point_id=case.point_id))
    position = _position(case)
    if position is None:
        return []
    limit = float(settings.CASE_DUPLICATE_METRES)
    near = qs.filter(**_box(position[0], position[1], limit))
    return [
        c for c in near if c.pk == case.pk or ((d := _distance(case, c)) is not None and d <= limit)
    ]


def mark_recurrence(case: Case, *, actor: Any) -> list[str]:
    """屡改屡犯: when ``case`` makes CASE_RECURRENCE_COUNT or more cases in its group, mark every
    one of them recurring (audited, one entry per case newly marked). Returns the numbers newly
    marked, oldest first."""
    group = recurring_group(case)
    if len(group) < settings.CASE_RECURRENCE_COUNT:
        return []
    fresh = sorted((c for c in group if not c.recurrent), key=lambda c: (c.reported_at, c.pk))
    if not fresh:
        return []
    Case.objects.filter(pk__in=[c.pk for c in fresh]).update(recurrent=True)
    numbers = [c.number for c in group]
    for c in fresh:
        audit.record(
            actor,
            AuditAction.UPDATE,
            c,
            before={"recurrent": False},
            after={"recurrent": True},
            note="recurrent: " + ", ".join(sorted(numbers))[:480],
        )
        if c.pk == case.pk:
            case.recurrent = True
    return [c.number for c in fresh]
