"""The trend analysis as JSON under /api/v1/trends/: the same figures as the page, scoped the
same way (a street or unit outside the user's scope is ignored, like on the page)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.command.domain.trends_cases import case_trends
from chuangcheng.command.domain.trends_compliance import compliance_trend
from chuangcheng.command.domain.trends_periods import TrendFilters, read_filters
from chuangcheng.command.domain.trends_recurring import recurring
from chuangcheng.core.api_support import Error

router = Router(tags=["trends"])


class CaseTrendParams(Schema):
    grain: str = Field("month", description="week, month or quarter")
    at: str = Field("", description="a day (YYYY-MM-DD) in the last period; default today")
    street: str = Field("", description="street region id")
    unit: str = Field("", description="unit id")


class TrendPeriodOut(Schema):
    period: str
    label: str
    start: str
    reported: int
    closed: int
    delta: int
    pct: float | None


class TrendChangeOut(Schema):
    key: str
    name: str
    now: int
    before: int
    delta: int
    pct: float | None = Field(..., description="per cent, null when the previous was 0")


class CaseTrendsOut(Schema):
    periods: list[TrendPeriodOut]
    current: str
    previous: str
    categories: list[TrendChangeOut]
    streets: list[TrendChangeOut]
    units: list[TrendChangeOut]


class RateOut(Schema):
    passed: int
    failed: int
    na: int
    rate: float | None


class StreetRatesOut(Schema):
    code: str
    name: str
    rates: list[RateOut]


class ComplianceOut(Schema):
    periods: list[str]
    labels: list[str]
    streets: list[StreetRatesOut]
    total: StreetRatesOut


class CaseRefOut(Schema):
    id: int
    number: str


class GroupOut(Schema):
    kind: str = Field(..., description="point or place (~50 m square)")
    place: str
    point: str
    category: str
    street: str
    count: int
    last: str
    cases: list[CaseRefOut]


class ReworkOut(Schema):
    id: int
    number: str
    category: str
    street: str
    rework: int
    status: str


class ClusterOut(Schema):
    code: str
    name: str
    groups: int
    cases: int
    rework: int


class RecurringOut(Schema):
    groups: list[GroupOut]
    rework: list[ReworkOut]
    streets: list[ClusterOut]


ERRORS: dict[int, Any] = {403: Error}


def _filters(request: HttpRequest, params: CaseTrendParams) -> TrendFilters:
    if not request.user.has_perm("command.view_trends"):
        raise HttpError(403, "You may not see the trend analysis.")
    return read_filters(request.user, params.dict())


@router.get("/cases", response={200: CaseTrendsOut, **ERRORS}, summary="Cases by period")
def cases(request: HttpRequest, params: Query[CaseTrendParams]) -> dict[str, Any]:
    return case_trends(request.user, _filters(request, params)).as_json()


@router.get("/compliance", response={200: ComplianceOut, **ERRORS}, summary="Compliance")
def compliance(request: HttpRequest, params: Query[CaseTrendParams]) -> dict[str, Any]:
    return compliance_trend(request.user, _filters(request, params)).as_json()


@router.get("/recurring", response={200: RecurringOut, **ERRORS}, summary="屡改屡犯")
def recurring_problems(request: HttpRequest, params: Query[CaseTrendParams]) -> dict[str, Any]:
    return recurring(request.user, _filters(request, params)).as_json()
