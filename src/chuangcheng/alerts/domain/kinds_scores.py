"""Built-in kinds about field results and scores: a street's compliance rate over the last days,
and a clause projected below its pass line in the live score run.

Compliance is 符合 / (符合 + 不符合) of the items judged at inspected points (不适用 is not
judged), as the round results page counts it. The clause figures are the district rows of the
live run, read the way the appraisal reads them
(:func:`chuangcheng.appraisal.domain.providers.clause_reading`).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.alerts.domain.kinds import Finding, Param, register_kind
from chuangcheng.alerts.domain.kinds_cases import link, percent
from chuangcheng.appraisal.domain.providers import clause_reading
from chuangcheng.cases.domain.periods import current_month
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Observation
from chuangcheng.inspections.results import Rate
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.reading import campaign_region


@register_kind(
    "inspections.street_compliance",
    label=gettext_lazy("Street compliance below a threshold"),
    description=gettext_lazy(
        "The share of compliant items judged at a street's inspected points over the last days "
        "is below the threshold. Streets with too few judged items are left out."
    ),
    params={
        "threshold": Param(gettext_lazy("Threshold (%)"), float, 80, minimum=0, maximum=100),
        "days": Param(gettext_lazy("Over the last days"), int, 30, minimum=1, maximum=366),
        "min_items": Param(gettext_lazy("Judged items at least"), int, 10, minimum=1),
    },
)
def street_compliance(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    since = now - dt.timedelta(days=params["days"])
    path = "inspection__round_point__point__region__path"
    rows = (
        Observation.objects.filter(
            result__in=(Result.PASS, Result.FAIL),
            inspection__observed_at__gte=since,
            inspection__observed_at__lt=now,
        )
        .values(path)
        .annotate(
            passed=Count("pk", filter=Q(result=Result.PASS)),
            failed=Count("pk", filter=Q(result=Result.FAIL)),
        )
        .order_by()
        .values_list(path, "passed", "failed")
    )
    streets = StreetIndex({s.path: s for s in Region.objects.filter(level=RegionLevel.STREET)})
    rates: dict[str, Rate] = {}
    for region_path, passed, failed in rows:
        street = streets.street_of(region_path)
        if street is not None:
            rates.setdefault(street.path, Rate(street.name)).add(passed, failed, 0)
    offices = {
        u.region_id: u
        for u in Unit.objects.filter(
            kind=UnitKind.TERRITORIAL,
            active=True,
            region__path__in=list(rates),
        ).order_by("-path")
    }
    found = []
    for street_path, rate in sorted(rates.items()):
        street = streets.by_path[street_path]
        if rate.rated < params["min_items"]:
            continue
        if Fraction(rate.passed * 100, rate.rated) >= Fraction(str(params["threshold"])):
            continue
        office = offices.get(street.pk)
        values = {
            "street": street.name,
            "rate": rate.percent,
            "days": params["days"],
            "passed": rate.passed,
            "rated": rate.rated,
            "threshold": percent(params["threshold"]),
        }
        found.append(
            Finding(
                key=f"street:{street.code}",
                title=_("%(street)s: compliance %(rate)s%% over the last %(days)d days") % values,
                detail=_(
                    "%(passed)d of %(rated)d items judged at inspected points were compliant; "
                    "the threshold is %(threshold)s%%."
                )
                % values,
                unit_id=office.pk if office else None,
                region_id=street.pk,
                url=link("scoring:index", region=street.code),
                value=float(rate.percent or 0),
            )
        )
    return found


@register_kind(
    "scoring.clause_below_pass",
    label=gettext_lazy("Clause projected below its pass line"),
    description=gettext_lazy(
        "In the live score run of the current month, a clause's score rate (points scored over "
        "points measured) is below the pass line. Clauses not measured yet are left out."
    ),
    params={
        "pass_line": Param(gettext_lazy("Pass line (%)"), float, 60, minimum=0, maximum=100),
    },
)
def clause_below_pass(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    try:
        region = campaign_region()
    except ScoringError:
        return []
    period = current_month(timezone.localdate(now))
    reading = clause_reading(period, region)
    if reading.run is None:
        return []
    line = Fraction(str(params["pass_line"])) / 100
    found = []
    for clause in sorted(reading.measured, key=lambda c: c.code):
        rate = clause.rate
        if rate is None or Fraction(rate) >= line:
            continue
        shown = (rate * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        values = {
            "code": clause.code,
            "name": clause.name,
            "rate": shown,
            "line": percent(params["pass_line"]),
            "score": clause.score,
            "measured": clause.measured_max,
            "period": period.label,
        }
        found.append(
            Finding(
                key=f"clause:{clause.node_id}:{period.key}",
                title=_("%(code)s %(name)s: projected %(rate)s%%, below the pass line %(line)s%%")
                % values,
                detail=_(
                    "%(period)s so far: %(score)s of %(measured)s points measured were scored."
                )
                % values,
                unit_id=clause.lead_unit_id or None,
                region_id=reading.run.region_id,
                url=link("scoring:node", args=(clause.node_id,), period=period.key),
                value=float(shown),
            )
        )
    return found
