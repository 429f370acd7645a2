"""Score analysis as JSON under /api/v1/score-analysis/: the gap list, the what-if projection
and the trends. Scoped like the pages: a region or unit outside the user's scores answers 404,
and so does a case or point the user may not see (the same answer as for one that does not
exist). Points are exact decimals (4 places), rates are per cent (2 places).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.cases.domain.periods import Period, PeriodError, period_from_query
from chuangcheng.core.api_support import Error
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.analysis_scope import Scope, resolve_scope
from chuangcheng.scoring.domain.gaps import gap_list
from chuangcheng.scoring.domain.trends import GRAINS, TrendError, trend
from chuangcheng.scoring.domain.whatif import NodeChange, NotVisibleError, what_if

router = Router(tags=["score analysis"])


class AnalysisScopeParams(Schema):
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; default: this month")
    region: int | None = Field(None, description="District or street id; default: the broadest")
    unit: int | None = Field(None, description="Unit id (instead of a region)")


class AnalysisScopeOut(Schema):
    kind: str = Field(..., description="region or unit")
    id: int
    name: str


class GapCaseOut(Schema):
    id: int
    number: str
    status: str
    point_id: int
    point_name: str
    observation_id: int


class GapRowOut(Schema):
    node_id: int
    code: str
    name: str
    scope: AnalysisScopeOut
    max_score: Decimal
    measured_max: Decimal
    score: Decimal
    lost: Decimal
    open_cases: list[GapCaseOut]
    recoverable: Decimal = Field(..., description="exact: the clause recomputed with them passed")
    per_case: Decimal | None


class GapsOut(Schema):
    period: str
    run_id: int
    cutoff: dt.datetime
    scope: AnalysisScopeOut
    score: Decimal | None = Field(..., description="the scope's total now")
    measured_max: Decimal
    recoverable: Decimal = Field(..., description="the scope's total gain if all listed pass")
    rows: list[GapRowOut]


class WhatIfIn(Schema):
    period: str = ""
    region: int | None = None
    unit: int | None = None
    cases: list[int] = Field(default_factory=list, description="open case ids to close")
    points: list[int] = Field(default_factory=list, description="point ids re-inspected as passing")


class ScoreChangeOut(Schema):
    node_id: int | None
    code: str
    name: str
    level: str
    now: Decimal | None
    projected: Decimal | None
    delta: Decimal


class WhatIfOut(Schema):
    period: str
    run_id: int
    scope: AnalysisScopeOut
    flipped_observations: list[int]
    ignored_cases: list[int]
    ignored_points: list[int]
    total: ScoreChangeOut
    outline: list[ScoreChangeOut] = Field(..., description="projects and indicators")
    clauses: list[ScoreChangeOut] = Field(..., description="scored clauses that change")


class ScoreTrendParams(Schema):
    region: int | None = None
    unit: int | None = None
    grain: str = Field("month", description="month (12), quarter (8) or year (5)")
    node: int | None = Field(None, description="framework node id; default: the whole framework")


class TrendPointOut(Schema):
    period: str
    run_id: int
    run_kind: str
    current: bool
    score: Decimal | None = Field(..., description="null: 未测")
    measured_max: Decimal
    rate_pct: Decimal | None
    coverage: Decimal
    delta_pp: Decimal | None


class YearOut(Schema):
    year: int
    weight: Decimal
    rate_pct: Decimal | None
    used_weight: Decimal | None


class TrendOut(Schema):
    scope: AnalysisScopeOut
    grain: str
    node_id: int | None
    code: str
    name: str
    points: list[TrendPointOut]
    weighted_average_pct: Decimal | None
    renormalised: bool
    years: list[YearOut]


def _period(text: str) -> Period:
    try:
        return period_from_query(text)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc


def _scope(request: HttpRequest, region: int | None, unit: int | None) -> Scope:
    if not access.may_view(request.user):
        raise HttpError(403, "You may not see scores.")
    scope = resolve_scope(request.user, region, unit)
    if scope is None:
        raise HttpError(404, "No such region or unit among the scores you may see.")
    return scope


def scope_out(scope: Scope) -> AnalysisScopeOut:
    return AnalysisScopeOut(kind=scope.key[0], id=scope.key[1], name=scope.name)


def change_out(c: NodeChange) -> ScoreChangeOut:
    return ScoreChangeOut(
        node_id=c.node_id,
        code=c.code,
        name=c.name,
        level=c.level,
        now=c.now.score,
        projected=c.projected.score,
        delta=c.delta,
    )


@router.get(
    "/gaps",
    response={200: GapsOut, 403: Error, 404: Error, 422: Error},
    summary="Clauses losing points by street (or for a unit), with their open cases",
)
def gaps(request: HttpRequest, params: Query[AnalysisScopeParams]) -> GapsOut:
    scope = _scope(request, params.region, params.unit)
    found = gap_list(request.user, scope, _period(params.period))
    total = found.total
    return GapsOut(
        period=found.basis.period.key,
        run_id=found.basis.run.pk,
        cutoff=found.basis.run.cutoff,
        scope=scope_out(scope),
        score=total.score if total else None,
        measured_max=total.measured_max if total else Decimal(0),
        recoverable=found.total_recoverable,
        rows=[
            GapRowOut(
                node_id=r.node.id,
                code=r.node.code,
                name=r.node.name,
                scope=AnalysisScopeOut(kind=r.key[0], id=r.key[1], name=r.scope_name),
                max_score=r.max_score,
                measured_max=r.measured_max,
                score=r.score,
                lost=r.lost,
                open_cases=[
                    GapCaseOut(
                        id=o.case_id or 0,
                        number=o.case_number,
                        status=o.case_status,
                        point_id=o.point_id,
                        point_name=o.point_name,
                        observation_id=o.id,
                    )
                    for o in r.cases
                ],
                recoverable=r.recoverable,
                per_case=r.per_case,
            )
            for r in found.rows
        ],
    )


@router.post(
    "/what-if",
    response={200: WhatIfOut, 403: Error, 404: Error, 422: Error},
    summary="Projected scores if the chosen cases' and points' failures passed (writes nothing)",
)
def project(request: HttpRequest, body: WhatIfIn) -> WhatIfOut:
    scope = _scope(request, body.region, body.unit)
    try:
        result = what_if(
            request.user,
            scope,
            _period(body.period),
            case_ids=body.cases,
            point_ids=body.points,
        )
    except NotVisibleError as exc:
        kind, pk = str(exc).split(" ", 1)
        raise HttpError(404, f"{kind.capitalize()} {pk} was not found.") from exc
    assert result.total is not None
    return WhatIfOut(
        period=result.basis.period.key,
        run_id=result.basis.run.pk,
        scope=scope_out(scope),
        flipped_observations=[o.id for o in result.flipped],
        ignored_cases=result.ignored_cases,
        ignored_points=result.ignored_points,
        total=change_out(result.total),
        outline=[change_out(c) for c in result.outline],
        clauses=[change_out(c) for c in result.clauses],
    )


@router.get(
    "/trends",
    response={200: TrendOut, 403: Error, 404: Error, 422: Error},
    summary="A node's scores by period and the three-year weighted average",
)
def trends(request: HttpRequest, params: Query[ScoreTrendParams]) -> TrendOut:
    scope = _scope(request, params.region, params.unit)
    if params.grain not in GRAINS:
        raise HttpError(422, "grain: use month, quarter or year")
    try:
        found = trend(scope, grain=params.grain, node_id=params.node)
    except TrendError as exc:
        raise HttpError(404, "No such node in the framework in force.") from exc
    avg = found.average
    return TrendOut(
        scope=scope_out(scope),
        grain=found.grain,
        node_id=found.node_id,
        code=found.node_code,
        name=found.node_name,
        points=[
            TrendPointOut(
                period=p.period.key,
                run_id=p.run.pk,
                run_kind=p.run.kind,
                current=p.current,
                score=p.cell.score,
                measured_max=p.cell.measured_max,
                rate_pct=p.rate_pct,
                coverage=p.cell.coverage,
                delta_pp=p.delta_pp,
            )
            for p in found.points
        ],
        weighted_average_pct=avg.rate_pct,
        renormalised=avg.renormalised,
        years=[
            YearOut(year=y.year, weight=y.weight, rate_pct=y.rate_pct, used_weight=y.used_weight)
            for y in avg.years
        ],
    )
