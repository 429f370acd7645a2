"""Case figures of the dashboards and the big screen, each linking to the case list with the
filters that list exactly the rows counted (``cases/filters.py``: ``status``, ``overdue``,
``street``, ``unit``, ``extension``, ``from``/``to``).

Every function takes the cases already scoped (``Case.objects.visible_to(user)``, or a region's
subtree for a screen link) and answers in one query whatever the number of cases.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.domain.periods import current_month
from chuangcheng.cases.enums import OPEN_STATES
from chuangcheng.cases.models import Case, overdue_q
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region


def case_url(**params: Any) -> str:
    """The case list filtered by ``params`` (the names of ``cases.filters.PARAMS``)."""
    query = urlencode({k.rstrip("_"): v for k, v in params.items()})
    return f"{reverse('cases:list')}?{query}" if query else reverse("cases:list")


def open_q() -> Q:
    return Q(status__in=OPEN_STATES)


def open_and_overdue(cases: QuerySet[Case], now: dt.datetime) -> dict[str, Any]:
    """Open and overdue cases, with their list links (one query)."""
    # Overdue cases are open: counting among the open ones only lets the database read the
    # open cases alone (an index), not every case ever reported.
    found = cases.filter(open_q()).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue_q(now))
    )
    return {
        "open": found["open"],
        "open_url": case_url(status="open"),
        "overdue": found["overdue"],
        "overdue_url": case_url(overdue="1"),
    }


def streets_under(region: Region) -> list[Region]:
    """The streets of the region (the region itself when it is a street); one query."""
    if region.level == RegionLevel.STREET:
        return [region]
    return list(
        Region.objects.filter(level=RegionLevel.STREET, path__startswith=region.path).order_by(
            "seq", "code"
        )
    )


def _street_of(path: str, streets: dict[str, Region]) -> Region | None:
    parts = path.split("/")
    for i in range(1, len(parts)):
        found = streets.get("/".join(parts[:i]) + "/")
        if found is not None:
            return found
    return None


def by_street(
    cases: QuerySet[Case], streets: list[Region], now: dt.datetime
) -> list[dict[str, Any]]:
    """Open and overdue cases per street, most overdue first (one query: grouped by the
    cases' regions, which are added up to their street here)."""
    paths = {s.path: s for s in streets}
    counts: dict[int, list[int]] = {s.pk: [0, 0] for s in streets}
    rows = (
        cases.filter(open_q())
        .values("region__path")
        .annotate(n=Count("pk"), late=Count("pk", filter=overdue_q(now)))
        .order_by()
    )
    for row in rows:
        street = _street_of(row["region__path"], paths)
        if street is not None:
            counts[street.pk][0] += row["n"]
            counts[street.pk][1] += row["late"]
    found = [
        {
            "name": s.name,
            "code": s.code,
            "open": counts[s.pk][0],
            "overdue": counts[s.pk][1],
            "open_url": case_url(status="open", street=s.pk),
            "overdue_url": case_url(overdue="1", street=s.pk),
        }
        for s in streets
    ]
    return sorted(found, key=lambda r: (-r["overdue"], -r["open"], r["code"]))


def _reported_between(
    cases: QuerySet[Case], bounds: list[tuple[dt.datetime, dt.datetime]]
) -> list[int]:
    """Cases reported in each ``[start, end)`` of ``bounds`` (consecutive), in one query: a
    conditional count per range. Comparing times is cheaper than truncating every row's time
    to a local month or day (half the time over a million cases, bench/RESULTS.md)."""
    found = cases.filter(reported_at__gte=bounds[0][0], reported_at__lt=bounds[-1][1]).aggregate(
        **{
            f"n{i}": Count("pk", filter=Q(reported_at__gte=a, reported_at__lt=b))
            for i, (a, b) in enumerate(bounds)
        }
    )
    return [found[f"n{i}"] for i in range(len(bounds))]


def per_month(cases: QuerySet[Case], today: dt.date, months: int = 12) -> list[dict[str, Any]]:
    """Cases reported in each of the last ``months`` months (local time), oldest first."""
    periods = current_month(today).previous_months(months)
    counts = _reported_between(cases, [p.bounds() for p in periods])
    return [
        {
            "period": p.key,
            "n": n,
            "url": case_url(from_=p.start.isoformat(), to=p.last_day.isoformat()),
        }
        for p, n in zip(periods, counts, strict=True)
    ]


def per_day(cases: QuerySet[Case], today: dt.date, days: int = 30) -> list[dict[str, Any]]:
    """Cases reported on each of the last ``days`` days (local time), oldest first."""
    tz = timezone.get_current_timezone()
    each = [today - dt.timedelta(days=days - 1 - i) for i in range(days)]
    starts = [
        dt.datetime.combine(d, dt.time.min, tzinfo=tz)
        for d in [*each, today + dt.timedelta(days=1)]
    ]
    counts = _reported_between(cases, list(itertools.pairwise(starts)))
    return [
        {
            "day": day.isoformat(),
            "n": n,
            "url": case_url(from_=day.isoformat(), to=day.isoformat()),
        }
        for day, n in zip(each, counts, strict=True)
    ]
