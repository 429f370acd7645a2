"""The practice figures under /api/v1/practice/figures: the page's figures as JSON, for a period
(this year by default) and a region the user may read (the broadest by default; another answers
404). Rates are exact decimals to four places (0.8333 = 83.33 %) or null with nothing to divide."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.core.api_support import Error
from chuangcheng.practice.domain.figures import Row, compute, pick_region, read_period

router = Router(tags=["practice"])


class PracticeFigureParams(Schema):
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; default: this year")
    date_from: str = Field("", alias="from", description="First day (YYYY-MM-DD), with `to`")
    date_to: str = Field("", alias="to", description="Last day (YYYY-MM-DD), with `from`")
    region: int | None = Field(None, description="District or street id; default: the broadest")


class PracticeOrderFiguresOut(Schema):
    total: int
    by_status: dict[str, int] = Field(..., description="ordered, dispatched, open, accepted, …")
    hours: Decimal = Field(..., description="Σ hours of completed and rated orders")
    fulfilment_rate: Decimal | None = Field(..., description="(completed + rated) ÷ not cancelled")
    satisfaction_rate: Decimal | None = Field(..., description="ratings ≥ 4 ÷ rated")
    mean_rating: Decimal | None
    rated: int


class PracticeWishFiguresOut(Schema):
    published: int
    claimed: int
    fulfilled: int
    fulfilment_rate: Decimal | None = Field(..., description="fulfilled ÷ published")


class PracticeVolunteerFiguresOut(Schema):
    registered: int = Field(..., description="Registered by the end of the period")
    new: int = Field(..., description="Registered in the period")
    active: int = Field(..., description="Completed an order placed in the period")


class PracticeFigureRowOut(Schema):
    id: int = Field(..., description="Team, site or region id (0: no team)")
    code: str
    name: str
    orders: PracticeOrderFiguresOut
    wishes: PracticeWishFiguresOut
    points_awarded: int
    points_redeemed: int
    volunteers: PracticeVolunteerFiguresOut


class PracticePeriodOut(Schema):
    key: str
    start: dt.date
    end: dt.date = Field(..., description="First day after the period")


class PracticeFiguresOut(Schema):
    region: PracticeFigureRowOut
    period: PracticePeriodOut
    teams: list[PracticeFigureRowOut] = Field(..., description="Orders by team, by name")
    stations: list[PracticeFigureRowOut] = Field(..., description="By station, by region code")
    streets: list[PracticeFigureRowOut] = Field(..., description="By street, by code")


def row_json(r: Row) -> dict[str, Any]:
    o = r.orders
    return {
        "id": r.key,
        "code": r.code,
        "name": r.name,
        "orders": {
            "total": o.total,
            "by_status": o.by_status,
            "hours": o.hours,
            "fulfilment_rate": o.fulfilment_rate,
            "satisfaction_rate": o.satisfaction_rate,
            "mean_rating": o.mean_rating,
            "rated": o.rated,
        },
        "wishes": {
            "published": r.wishes.published,
            "claimed": r.wishes.claimed,
            "fulfilled": r.wishes.fulfilled,
            "fulfilment_rate": r.wishes.fulfilment_rate,
        },
        "points_awarded": r.awarded,
        "points_redeemed": r.redeemed,
        "volunteers": {
            "registered": r.volunteers.registered,
            "new": r.volunteers.new,
            "active": r.volunteers.active,
        },
    }


@router.get(
    "/figures",
    response={200: PracticeFiguresOut, 403: Error, 404: Error, 422: Error},
    summary="Practice figures of a region and period",
)
def practice_figures(request: HttpRequest, params: Query[PracticeFigureParams]) -> dict[str, Any]:
    """Orders by status, hours, fulfilment and satisfaction, wishes, points and volunteers — in
    total and by team, station and street (never by volunteer, never ranked)."""
    if not request.user.has_perm("practice.view_figures"):
        raise HttpError(403, "Not allowed.")
    region = pick_region(request.user, params.region)
    if region is None:
        raise Http404
    period, error = read_period(
        {"period": params.period, "from": params.date_from, "to": params.date_to}
    )
    if error:
        raise HttpError(422, error)
    figures = compute(region, period)
    return {
        "region": row_json(figures.total),
        "period": {"key": period.key, "start": period.start, "end": period.end},
        "teams": [row_json(r) for r in figures.teams],
        "stations": [row_json(r) for r in figures.stations],
        "streets": [row_json(r) for r in figures.streets],
    }
