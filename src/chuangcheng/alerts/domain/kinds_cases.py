"""Built-in kinds about cases: overdue cases (督办), the on-time rate (按期处置率) and recurring
problems (屡改屡犯). Each answers in a fixed number of grouped queries.

The on-time rate is read from :func:`chuangcheng.cases.domain.figures.figure_table`, the same
figures the unit-figures page and the appraisal show (ADR 0007), never recomputed here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Min, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.alerts.domain.kinds import Finding, Level, Param, register_kind
from chuangcheng.cases.domain.figures import figure_table
from chuangcheng.cases.domain.periods import current_month
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, Category, overdue_q
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

NEVER_COUNTED = (CaseStatus.REJECTED, CaseStatus.MERGED)


def link(name: str, args: tuple[Any, ...] = (), **query: Any) -> str:
    """A page's path with the query (empty values left out; ``from_`` is sent as ``from``)."""
    params = {k.rstrip("_"): v for k, v in query.items() if v not in ("", None)}
    path = reverse(name, args=args)
    return f"{path}?{urlencode(params)}" if params else path


def percent(value: float) -> str:
    """85.5 → "85.5", 80.0 → "80" (a threshold as the office typed it)."""
    return f"{value:g}"


@register_kind(
    "cases.overdue",
    label=gettext_lazy("Overdue cases at a unit (督办)"),
    description=gettext_lazy(
        "A unit leads cases still at the unit past their deadline. The level grows with how "
        "many there are and how long the oldest is overdue."
    ),
    params={
        "min_count": Param(gettext_lazy("Overdue cases needed"), int, 1, minimum=1),
        "orange_count": Param(gettext_lazy("Orange from this many cases"), int, 3, minimum=1),
        "red_count": Param(gettext_lazy("Red from this many cases"), int, 5, minimum=1),
        "orange_days": Param(
            gettext_lazy("Orange when the oldest is overdue this many days"), int, 2, minimum=0
        ),
        "red_days": Param(
            gettext_lazy("Red when the oldest is overdue this many days"), int, 7, minimum=0
        ),
    },
)
def overdue_cases(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    rows = list(
        CaseAssignment.objects.filter(overdue_q(now, "case__"), lead=True)
        .values("unit_id")
        .annotate(n=Count("case_id", distinct=True), oldest=Min("case__due_at"))
        .order_by()
    )
    rows = [r for r in rows if r["n"] >= params["min_count"]]
    units = Unit.objects.in_bulk([r["unit_id"] for r in rows])
    found = []
    for row in sorted(rows, key=lambda r: units[r["unit_id"]].path):
        unit = units[row["unit_id"]]
        days = max(0, (now - row["oldest"]).days)
        n = row["n"]
        if n >= params["red_count"] or days >= params["red_days"]:
            level = Level.RED
        elif n >= params["orange_count"] or days >= params["orange_days"]:
            level = Level.ORANGE
        else:
            level = Level.YELLOW
        values = {
            "unit": unit.name,
            "n": n,
            "due": timezone.localtime(row["oldest"]).strftime("%Y-%m-%d %H:%M"),
            "days": days,
        }
        found.append(
            Finding(
                key=f"unit:{unit.code}",
                title=_("%(unit)s: %(n)d overdue cases (督办)") % values,
                detail=_("The oldest was due %(due)s, %(days)d days ago.") % values,
                unit_id=unit.pk,
                region_id=unit.region_id,
                url=link("cases:list", unit=unit.pk, overdue=1),
                value=float(n),
                level=level,
            )
        )
    return found


@register_kind(
    "cases.on_time_rate",
    label=gettext_lazy("On-time rate (按期处置率) below a threshold"),
    description=gettext_lazy(
        "A unit's on-time rate in the current month, as the unit figures define it, is below "
        "the threshold. Units with too few cases due are left out."
    ),
    params={
        "threshold": Param(gettext_lazy("Threshold (%)"), float, 80, minimum=0, maximum=100),
        "min_due": Param(gettext_lazy("Cases due at least"), int, 3, minimum=1),
    },
)
def on_time_rate(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    period = current_month(timezone.localdate(now))
    table = figure_table(period, None, now=now)
    found = []
    for row in sorted(table.units, key=lambda r: r.unit.path):
        counts, rate = row.counts, row.counts.on_time_rate
        frac = rate.fraction
        if frac is None or counts.due < params["min_due"] or frac * 100 >= params["threshold"]:
            continue
        values = {
            "unit": row.unit.name,
            "rate": str(rate),
            "period": period.label,
            "on_time": counts.on_time,
            "due": counts.due,
            "suspended": counts.suspended,
            "threshold": percent(params["threshold"]),
        }
        found.append(
            Finding(
                key=f"unit:{row.unit.code}:{period.key}",
                title=_("%(unit)s: on-time rate %(rate)s in %(period)s") % values,
                detail=_(
                    "%(on_time)d of %(due)d cases due (%(suspended)d suspended left out) were "
                    "handled on time; the threshold is %(threshold)s%%."
                )
                % values,
                unit_id=row.unit.pk,
                region_id=row.unit.region_id,
                url=link("casefigures:cases", figure="due", unit=row.unit.pk, period=period.key),
                value=float(rate.percent or 0),
            )
        )
    return found


@register_kind(
    "cases.recurring",
    label=gettext_lazy("Recurring problems (屡改屡犯)"),
    description=gettext_lazy(
        "The same problem category is reported again and again at one point (or one address "
        "without a point) within the days given, or a case fails its re-check again and again."
    ),
    params={
        # The defaults are the platform's own definition of 屡改屡犯 (CASE_RECURRENCE_*).
        "count": Param(
            gettext_lazy("Reports at the same place"),
            int,
            settings.CASE_RECURRENCE_COUNT,
            minimum=2,
        ),
        "days": Param(
            gettext_lazy("Within days"), int, settings.CASE_RECURRENCE_DAYS, minimum=1, maximum=366
        ),
        "rework_count": Param(gettext_lazy("Failed re-checks of one case"), int, 2, minimum=1),
    },
)
def recurring(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    since = now - dt.timedelta(days=params["days"])
    recent = Case.objects.filter(
        reported_at__gte=since, reported_at__lte=now, category__isnull=False
    ).exclude(status__in=NEVER_COUNTED)
    at_points = list(
        recent.filter(point__isnull=False)
        .values("point_id", "category_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=params["count"])
        .order_by()
    )
    at_places = list(
        recent.filter(point__isnull=True)
        .exclude(address="")
        .values("region_id", "address", "category_id")
        .annotate(n=Count("pk"), unit_id=Max("territorial_unit_id"))
        .filter(n__gte=params["count"])
        .order_by()
    )
    lead = CaseAssignment.objects.filter(case=OuterRef("pk"), lead=True).values("unit_id")[:1]
    reworked = list(
        Case.objects.filter(rework_count__gte=params["rework_count"])
        .exclude(status__in=(CaseStatus.CLOSED, *NEVER_COUNTED))
        .annotate(lead_unit_id=Subquery(lead))
        .select_related("category")
        .order_by("pk")
    )
    points = Point.objects.in_bulk([r["point_id"] for r in at_points])
    categories = Category.objects.in_bulk(
        {r["category_id"] for r in at_points} | {r["category_id"] for r in at_places}
    )
    regions = Region.objects.in_bulk([r["region_id"] for r in at_places])
    day = timezone.localdate(since).isoformat()
    found = []
    for row in at_points:
        point, category = points[row["point_id"]], categories[row["category_id"]]
        values = {"place": point.name, "category": category.name, "n": row["n"]}
        values["days"] = params["days"]
        found.append(
            Finding(
                key=f"point:{point.code}:{category.code}",
                title=_("%(place)s: %(category)s reported %(n)d times in %(days)d days (屡改屡犯)")
                % values,
                detail=_("The same problem keeps coming back at this point."),
                unit_id=point.territorial_unit_id,
                region_id=point.region_id,
                url=link("cases:list", category=category.pk, street=point.region_id, from_=day),
                value=float(row["n"]),
            )
        )
    for place in at_places:
        category, region = categories[place["category_id"]], regions[place["region_id"]]
        digest = hashlib.sha256(place["address"].encode("utf-8")).hexdigest()[:12]
        values = {"place": place["address"], "category": category.name, "n": place["n"]}
        values["days"] = params["days"]
        found.append(
            Finding(
                key=f"place:{region.code}:{category.code}:{digest}",
                title=_("%(place)s: %(category)s reported %(n)d times in %(days)d days (屡改屡犯)")
                % values,
                detail=_("The same problem keeps coming back at this address."),
                unit_id=place["unit_id"],
                region_id=region.pk,
                url=link(
                    "cases:list",
                    category=category.pk,
                    street=region.pk,
                    q=place["address"][:100],
                    from_=day,
                ),
                value=float(place["n"]),
            )
        )
    for case in reworked:
        values = {"number": case.number, "n": case.rework_count}
        found.append(
            Finding(
                key=f"case:{case.number}:rework",
                title=_("Case %(number)s failed its re-check %(n)d times") % values,
                detail=(case.category.name if case.category else "")
                + " · "
                + case.description[:80],
                unit_id=case.lead_unit_id,  # type: ignore[attr-defined]
                region_id=case.region_id,
                url=reverse("cases:detail", args=[case.pk]),
                value=float(case.rework_count),
            )
        )
    return found
