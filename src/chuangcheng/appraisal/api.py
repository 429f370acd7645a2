"""Unit appraisal as JSON under /api/v1/appraisal/.

Scoped like the page: an office or leader over a district gets every unit (ranked, then listed
apart); a unit gets its own rows, each with its rank among all units. Component values are
exact decimals between 0 and 1 (0.7700 = 77 %) or null when the unit has no data for them.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.appraisal.domain import access
from chuangcheng.appraisal.domain.components import label
from chuangcheng.appraisal.domain.ranking import Ranking, RankRow, default_formula, exact
from chuangcheng.appraisal.models import AppraisalFormula
from chuangcheng.cases.api_figures import (
    PeriodOut,
    RegionRef,
    UnitRef,
    period_out,
    region_ref,
    unit_ref,
)
from chuangcheng.cases.domain.periods import Period, PeriodError, period_from_query
from chuangcheng.core.api_support import Error

router = Router(tags=["appraisal"])
VALUE_PLACES = Decimal("0.0001")


class RankingParams(Schema):
    period: str = Field("", description="2026-10, 2026-Q4 or 2026; default: this month")
    region: int | None = Field(None, description="District id; default: the broadest")
    formula: str = Field("", description="Appraisal formula code; default: the default formula")


class FormulaOut(Schema):
    code: str
    name: str
    scheme: str = Field(..., description="Code of the cases scheme scoring rectification")
    weights: dict[str, Decimal]
    min_due: int = Field(..., description="Cases due (应结案数) needed to be ranked")
    used: list[str] = Field(..., description="Components weighed and available")
    left_out: list[str] = Field(..., description="Components weighed but not available yet")


class ComponentOut(Schema):
    code: str
    label: str
    weight: Decimal
    value: Decimal | None = Field(..., description="0–1, 4 places; null: no data, left out")


class RowOut(Schema):
    unit: UnitRef
    rank: int | None
    previous_rank: int | None
    composite: Decimal | None = Field(..., description="Out of 100, 2 places")
    due: int
    components: list[ComponentOut]
    not_ranked: str = Field(..., description="'', 'below_volume' or 'no_composite'")


class RankingOut(Schema):
    period: PeriodOut
    previous: PeriodOut | None
    as_of: dt.datetime
    region: RegionRef | None
    formula: FormulaOut
    overview: bool = Field(..., description="True: every unit of the region")
    ranked: int = Field(..., description="Units ranked in the whole ranking")
    rows: list[RowOut]


def row_out(r: RankRow) -> RowOut:
    return RowOut(
        unit=unit_ref(r.unit),
        rank=r.rank,
        previous_rank=r.previous_rank,
        composite=r.composite,
        due=r.due,
        components=[
            ComponentOut(
                code=p.code,
                label=label(p.code),
                weight=p.weight,
                value=None if p.value is None else exact(p.value, VALUE_PLACES),
            )
            for p in r.parts
        ],
        not_ranked=r.reason,
    )


def ranking_out(ranking: Ranking, *, overview: bool, ranked: int) -> RankingOut:
    f = ranking.formula
    return RankingOut(
        period=period_out(ranking.period),
        previous=period_out(ranking.previous) if ranking.previous else None,
        as_of=ranking.now,
        region=region_ref(ranking.region) if overview else None,
        formula=FormulaOut(
            code=f.code,
            name=f.name,
            scheme=f.scheme.code,
            weights=f.weights(),
            min_due=f.min_due,
            used=ranking.used,
            left_out=ranking.left_out,
        ),
        overview=overview,
        ranked=ranked,
        rows=[row_out(r) for r in ranking.every_row],
    )


def _period(text: str) -> Period:
    try:
        return period_from_query(text)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc


def _formula(code: str) -> AppraisalFormula:
    if not code:
        return default_formula()
    found = AppraisalFormula.objects.select_related("scheme").filter(code=code).first()
    if found is None:
        raise HttpError(422, f"unknown formula {code!r}")
    return found


@router.get(
    "/",
    response={200: RankingOut, 403: Error, 404: Error, 422: Error},
    summary="Units ranked by composite appraisal for a period, with each component",
)
def rankings(request: HttpRequest, params: Query[RankingParams]) -> RankingOut:
    if not access.may_view(request.user):
        raise HttpError(403, "You may not see unit appraisals.")
    period = _period(params.period)
    region = None
    if params.region is not None:
        region = access.region_in_scope(request.user, params.region)
        if region is None:
            raise Http404
    scoped = access.scoped_ranking(request.user, period, region, formula=_formula(params.formula))
    if scoped is None:
        raise Http404
    return ranking_out(scoped.ranking, overview=scoped.overview, ranked=scoped.ranked)
