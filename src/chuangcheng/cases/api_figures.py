"""Unit figures as JSON under /api/v1/case-figures/ — what the scoring work reads.

Scoped like the page: an office or leader over a region gets every unit leading cases there,
the sub-regions and the total; a unit gets its own rows, each with its rank among all units.
Rates are exact decimals (0.5714 = 57.14 %) or null when there is nothing to divide by.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.cases.domain import figures_access as access
from chuangcheng.cases.domain.figures import Counts, FigureTable, default_scheme, monthly
from chuangcheng.cases.domain.periods import Period, PeriodError, period_from_query
from chuangcheng.cases.models_appraisal import AppraisalScheme
from chuangcheng.core.api_support import Error
from chuangcheng.orgs.models import Region, Unit

router = Router(tags=["case figures"])


class FigureParams(Schema):
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; default: this month")
    date_from: str = Field("", alias="from", description="First day (YYYY-MM-DD), with `to`")
    date_to: str = Field("", alias="to", description="Last day (YYYY-MM-DD), with `from`")
    region: int | None = Field(None, description="District or street id; default: the broadest")
    street: int | None = Field(None, description="Same as `region`")
    scheme: str = Field("", description="Appraisal scheme code; default: the default scheme")


class PeriodOut(Schema):
    key: str
    kind: str
    start: dt.date
    end: dt.date = Field(..., description="First day after the period")
    label: str


class FiguresOut(Schema):
    due: int = Field(..., description="应结案数 = handled + overdue")
    handled: int = Field(..., description="处置数")
    closed: int = Field(..., description="结案数")
    on_time: int = Field(..., description="按期处置数 (never-suspended cases)")
    suspended: int = Field(..., description="缓办数 among due cases")
    rework: int = Field(..., description="返工数: failed re-checks")
    overdue: int = Field(..., description="超期未处置数")
    extended: int = Field(..., description="延期数: due cases with an extension")
    pending: int = Field(..., description="在办: not due yet or suspended now")
    handled_rate: Decimal | None
    closed_rate: Decimal | None
    on_time_rate: Decimal | None = Field(..., description="on_time / (due − suspended)")
    rework_rate: Decimal | None
    overdue_rate: Decimal | None
    extension_rate: Decimal | None


class UnitRef(Schema):
    id: int
    code: str
    name: str
    short_name: str


class RegionRef(Schema):
    id: int
    code: str
    name: str
    level: str


class SchemeOut(Schema):
    code: str
    name: str
    w_closed: Decimal
    w_handled: Decimal
    w_on_time: Decimal
    w_rework: Decimal
    w_overdue: Decimal
    w_extension: Decimal
    volume_bands: list[list[Decimal]]
    is_default: bool


class UnitFiguresOut(Schema):
    unit: UnitRef
    rank: int | None
    score: Decimal | None
    figures: FiguresOut


class RegionFiguresOut(Schema):
    region: RegionRef
    score: Decimal | None
    figures: FiguresOut


class TableOut(Schema):
    period: PeriodOut
    as_of: dt.datetime
    region: RegionRef | None
    scheme: SchemeOut
    overview: bool = Field(..., description="True: every unit, the sub-regions and the total")
    ranked: int = Field(..., description="Units with a rank in the whole table")
    units: list[UnitFiguresOut]
    regions: list[RegionFiguresOut]
    total: FiguresOut | None
    total_score: Decimal | None


class MonthOut(Schema):
    period: PeriodOut
    score: Decimal | None
    figures: FiguresOut


class UnitHistoryOut(Schema):
    unit: UnitRef
    scheme: SchemeOut
    months: list[MonthOut]


def figures_out(c: Counts) -> FiguresOut:
    return FiguresOut(
        due=c.due,
        handled=c.handled,
        closed=c.closed,
        on_time=c.on_time,
        suspended=c.suspended,
        rework=c.rework,
        overdue=c.overdue,
        extended=c.extended,
        pending=c.pending,
        handled_rate=c.handled_rate.value,
        closed_rate=c.closed_rate.value,
        on_time_rate=c.on_time_rate.value,
        rework_rate=c.rework_rate.value,
        overdue_rate=c.overdue_rate.value,
        extension_rate=c.extension_rate.value,
    )


def period_out(p: Period) -> PeriodOut:
    return PeriodOut(key=p.key, kind=p.kind, start=p.start, end=p.end, label=str(p.label))


def unit_ref(u: Unit) -> UnitRef:
    return UnitRef(id=u.pk, code=u.code, name=u.name, short_name=u.short_name)


def region_ref(r: Region) -> RegionRef:
    return RegionRef(id=r.pk, code=r.code, name=r.name, level=r.level)


def scheme_out(s: AppraisalScheme) -> SchemeOut:
    return SchemeOut(
        code=s.code,
        name=s.name,
        w_closed=s.w_closed,
        w_handled=s.w_handled,
        w_on_time=s.w_on_time,
        w_rework=s.w_rework,
        w_overdue=s.w_overdue,
        w_extension=s.w_extension,
        volume_bands=[[Decimal(str(v)) for v in band] for band in s.volume_bands or []],
        is_default=s.is_default,
    )


def _period(params: FigureParams) -> Period:
    try:
        return period_from_query(params.period, params.date_from, params.date_to)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc


def _scheme(code: str) -> AppraisalScheme | None:
    if not code:
        return None
    found = AppraisalScheme.objects.filter(code=code).first()
    if found is None:
        raise HttpError(422, f"unknown scheme {code!r}")
    return found


def table_out(table: FigureTable, *, overview: bool, ranked: int) -> TableOut:
    return TableOut(
        period=period_out(table.period),
        as_of=table.now,
        region=region_ref(table.region) if table.region and overview else None,
        scheme=scheme_out(table.scheme),
        overview=overview,
        ranked=ranked,
        units=[
            UnitFiguresOut(
                unit=unit_ref(r.unit), rank=r.rank, score=r.score, figures=figures_out(r.counts)
            )
            for r in table.units
        ],
        regions=[
            RegionFiguresOut(
                region=region_ref(r.region), score=r.score, figures=figures_out(r.counts)
            )
            for r in table.regions
        ],
        total=figures_out(table.total) if overview else None,
        total_score=table.total_score if overview else None,
    )


@router.get(
    "/",
    response={200: TableOut, 403: Error, 404: Error, 422: Error},
    summary="Unit and region figures for a period",
)
def figures(request: HttpRequest, params: Query[FigureParams]) -> TableOut:
    if not access.may_view_figures(request.user):
        raise HttpError(403, "You may not see unit figures.")
    period = _period(params)
    region_id = params.region or params.street
    region = None
    if region_id is not None:
        region = access.region_in_scope(request.user, region_id)
        if region is None:
            raise Http404
    scoped = access.scoped_table(request.user, period, region, scheme=_scheme(params.scheme))
    if scoped is None:
        raise Http404
    return table_out(scoped.table, overview=scoped.overview, ranked=scoped.ranked)


@router.get(
    "/units/{unit_id}",
    response={200: UnitHistoryOut, 403: Error, 404: Error, 422: Error},
    summary="One unit's figures for the twelve months up to the period",
)
def unit_history(request: HttpRequest, unit_id: int, params: Query[FigureParams]) -> UnitHistoryOut:
    if not access.may_view_figures(request.user):
        raise HttpError(403, "You may not see unit figures.")
    unit = access.unit_in_scope(request.user, unit_id)
    if unit is None:
        raise Http404
    scheme = _scheme(params.scheme) or default_scheme()
    rows = monthly(unit, _period(params).previous_months(12), scheme=scheme)
    return UnitHistoryOut(
        unit=unit_ref(unit),
        scheme=scheme_out(scheme),
        months=[
            MonthOut(period=period_out(m.period), score=m.score, figures=figures_out(m.counts))
            for m in rows
        ],
    )


@router.get("/schemes", response=list[SchemeOut], summary="Appraisal schemes")
def schemes(request: HttpRequest) -> list[SchemeOut]:
    return [scheme_out(s) for s in AppraisalScheme.objects.all()]
