"""The surveys' warning kind, registered with the alerts engine (ADR 0011).

``surveys.satisfaction``: in the latest survey of a region (open or closed, with satisfaction
questions, started by now), a street's satisfaction rate (Σscore ÷ answers counted, unweighted
so that anyone can recount it from the answers) is below ``min_rate`` %, or has dropped by at
least ``drop_points`` percentage points against the previous survey — the survey it was copied
from, else the region's survey that started before it. A street needs ``min_sample`` answers
counted in each survey compared. One finding per street, key
``survey:<code>:street:<code>``, aimed at the street's territorial unit; the level grows with
the gap (points below the threshold, or points dropped, whichever is larger). Four queries
whatever the number of surveys and responses.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.alerts.domain.kinds import Finding, Level, Param, register_kind
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.surveys.enums import Measure, ResponseState, SurveyStatus
from chuangcheng.surveys.models import Credit, Response, Survey

Tally = tuple[int, Fraction]  # answers counted, Σscore


def _pct(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return (exact * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _rounds(now: dt.datetime) -> list[tuple[Survey, Survey | None]]:
    """(latest, previous) per region among the surveys with satisfaction questions (1 query)."""
    today = timezone.localdate(now)
    surveys = list(
        Survey.objects.filter(
            Q(starts_on__isnull=True) | Q(starts_on__lte=today),
            status__in=(SurveyStatus.OPEN, SurveyStatus.CLOSED),
            questions__measure=Measure.SATISFACTION,
        )
        .distinct()
        # Undated surveys count as the oldest, on every database.
        .order_by("region_id", F("starts_on").asc(nulls_first=True), "created_at", "pk")
    )
    by_region: dict[int, list[Survey]] = defaultdict(list)
    for s in surveys:
        by_region[s.region_id].append(s)
    by_id = {s.pk: s for s in surveys}
    rounds = []
    for ordered in by_region.values():
        latest = ordered[-1]
        previous = by_id.get(latest.copied_from_id) if latest.copied_from_id else None
        if previous is None and len(ordered) > 1:
            previous = ordered[-2]
        rounds.append((latest, previous))
    return rounds


def _tallies(survey_ids: list[int]) -> dict[tuple[int, int], Tally]:
    """(survey, street) → satisfaction answers counted and their Σscore (1 query)."""
    others = Response.objects.filter(survey_id__in=survey_ids).exclude(state=ResponseState.COMPLETE)
    rows = (
        Credit.objects.filter(survey_id__in=survey_ids, measure=Measure.SATISFACTION)
        .exclude(street_id=None)
        .exclude(response_id__in=others.values("pk"))
        .values_list("survey_id", "street_id")
        .annotate(n=Count("id"), s=Sum("score"))
        .order_by()
    )
    return {(sid, street): (n, Fraction(str(s))) for sid, street, n, s in rows}


def _level(gap: Decimal, params: dict[str, Any]) -> str:
    if gap >= Decimal(str(params["red_points"])):
        return Level.RED
    if gap >= Decimal(str(params["orange_points"])):
        return Level.ORANGE
    return Level.YELLOW


@register_kind(
    "surveys.satisfaction",
    label=gettext_lazy("Street satisfaction low or falling (survey)"),
    description=gettext_lazy(
        "In the latest residents survey, a street's satisfaction rate is below the threshold, "
        "or fell by the given points against the previous survey. Streets with too few "
        "answers counted are left out."
    ),
    params={
        "min_rate": Param(
            gettext_lazy("Satisfaction rate at least (%)"), float, 80, minimum=0, maximum=100
        ),
        "min_sample": Param(gettext_lazy("Answers counted at least"), int, 30, minimum=1),
        "drop_points": Param(
            gettext_lazy("Warn on a drop of (percentage points)"),
            float,
            5,
            help=gettext_lazy("Against the previous survey; 0 turns this check off."),
            minimum=0,
            maximum=100,
        ),
        "orange_points": Param(
            gettext_lazy("Orange from a gap of (points)"), float, 5, minimum=0, maximum=100
        ),
        "red_points": Param(
            gettext_lazy("Red from a gap of (points)"), float, 10, minimum=0, maximum=100
        ),
    },
)
def survey_satisfaction(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
    rounds = _rounds(now)
    ids = sorted({s.pk for pair in rounds for s in pair if s is not None})
    if not ids:
        return []
    tallies = _tallies(ids)
    street_ids = {street for (_sid, street) in tallies}
    streets = Region.objects.in_bulk(street_ids)
    offices = {
        u.region_id: u
        for u in Unit.objects.filter(
            kind=UnitKind.TERRITORIAL, active=True, region_id__in=street_ids
        ).order_by("-path")
    }
    minimum = int(params["min_sample"])
    threshold = Decimal(str(params["min_rate"]))
    drop_at = Decimal(str(params["drop_points"]))
    found = []
    for latest, previous in sorted(rounds, key=lambda p: p[0].code):
        mine = sorted(
            (
                (street, n, total)
                for (sid, street), (n, total) in tallies.items()
                if sid == latest.pk
            ),
            key=lambda row: streets[row[0]].path,
        )
        for street_id, n, total in mine:
            if n < minimum:
                continue
            here = StreetRound(latest, previous, streets[street_id], n, _pct(total / n))
            before = tallies.get((previous.pk, street_id)) if previous is not None else None
            if before is not None and before[0] >= minimum:
                here.was = _pct(before[1] / before[0])
            below = threshold - here.rate if here.rate < threshold else None
            if drop_at and here.was is not None and here.was - here.rate >= drop_at:
                here.fell = here.was - here.rate
            if below is None and here.fell is None:
                continue
            gap = max(below or Decimal(0), here.fell or Decimal(0))
            found.append(here.finding(offices.get(street_id), params, _level(gap, params)))
    return found


@dataclass
class StreetRound:
    """One street's satisfaction in the latest survey, against the previous one."""

    survey: Survey
    previous: Survey | None
    street: Region
    n: int
    rate: Decimal
    was: Decimal | None = None
    fell: Decimal | None = None

    def finding(self, office: Unit | None, params: dict[str, Any], level: str) -> Finding:
        values = {
            "street": self.street.name,
            "rate": self.rate,
            "survey": self.survey.title,
            "n": self.n,
            "threshold": f"{params['min_rate']:g}",
            "was": self.was,
            "fell": self.fell,
            "previous": self.previous.title if self.previous else "",
        }
        if self.fell is not None:
            title = _("%(street)s: satisfaction fell %(fell)s points to %(rate)s%%") % values
        else:
            title = _("%(street)s: satisfaction %(rate)s%%, below %(threshold)s%%") % values
        detail = _(
            "%(survey)s: %(rate)s%% over %(n)d answers counted; the threshold is %(threshold)s%%."
        )
        detail %= values
        if self.was is not None:
            detail += " " + _("Previous survey (%(previous)s): %(was)s%%.") % values
        return Finding(
            key=f"survey:{self.survey.code}:street:{self.street.code}",
            title=title,
            detail=detail,
            unit_id=office.pk if office else None,
            region_id=self.street.pk,
            url=reverse("surveys:results", args=[self.survey.pk]) + "#streets",
            value=float(self.rate),
            level=level,
        )
