"""流动红旗 and star ratings under /api/v1/awards/, scoped like the pages.

Offices and leaders over a region see every target there; a unit sees its own rows and the
award list of its district; an inspector posts ratings and reads the ones they gave. Averages
and percentages are exact decimals rounded half up to two places.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from chuangcheng.awards.domain import access
from chuangcheng.awards.domain.rating import rate
from chuangcheng.awards.domain.standings import standings_for, star_table
from chuangcheng.awards.models import RedFlagRating, RedFlagScheme
from chuangcheng.cases.domain.periods import Period, PeriodError, current_month, parse_period
from chuangcheng.core.api_support import Error
from chuangcheng.orgs.models import Unit
from chuangcheng.points.models import Point

router = Router(tags=["awards"])


class DimensionOut(Schema):
    name: str
    max: int


class RedFlagSchemeOut(Schema):
    code: str
    name: str
    target: str = Field(..., description="points or units")
    point_types: list[str]
    unit_kind: str
    dimensions: list[DimensionOut]
    max_total: int
    winners: int = Field(..., description="Flags awarded each month")
    min_ratings: int
    star_thresholds: list[int] = Field(..., description="% for 5, 4, 3 and 2 stars")


class TargetOut(Schema):
    kind: str = Field(..., description="point or unit")
    id: int
    code: str
    name: str


class RatingIn(Schema):
    scheme: str
    point: int | None = None
    unit: int | None = None
    scores: dict[str, int] = Field(..., description="Points per dimension name")
    note: str = ""


class RatingOut(Schema):
    id: int
    scheme: str
    month: str
    target: TargetOut
    inspector: str
    scores: dict[str, int]
    total: int
    max_total: int
    note: str
    created: bool = False


class StandingOut(Schema):
    target: TargetOut
    ratings: int
    average: Decimal = Field(..., description="Average total of the month's ratings")
    percent: Decimal
    rank: int | None = Field(..., description="null: too few ratings to be ranked")
    wins: bool


class StandingsOut(Schema):
    scheme: str
    month: str
    region: int | None
    ranked: int
    rows: list[StandingOut]


class AwardOut(Schema):
    scheme: str
    month: str
    region: str
    target: TargetOut
    rank: int
    score: Decimal
    ratings: int


class StarOut(Schema):
    target: TargetOut
    ratings: int
    percent: Decimal | None
    stars: int | None = Field(..., description="1–5; null: not rated (未评)")


class StarsOut(Schema):
    scheme: str
    period: str
    rows: list[StarOut]


def _target(t: Point | Unit) -> dict[str, Any]:
    kind = "point" if isinstance(t, Point) else "unit"
    return {"kind": kind, "id": t.pk, "code": t.code, "name": t.name}


def _rating(r: RedFlagRating, created: bool = False) -> dict[str, Any]:
    return {
        "id": r.pk,
        "scheme": r.scheme.code,
        "month": f"{r.month:%Y-%m}",
        "target": _target(r.target),
        "inspector": r.inspector.get_username(),
        "scores": r.scores,
        "total": r.total,
        "max_total": r.max_total,
        "note": r.note,
        "created": created,
    }


def _scheme(code: str) -> RedFlagScheme:
    scheme = RedFlagScheme.objects.filter(code=code, active=True).first()
    if scheme is None:
        raise Http404
    return scheme


def _period(text: str, *, months_only: bool) -> Period:
    if not text:
        return current_month()
    try:
        period = parse_period(text)
    except PeriodError as exc:
        raise HttpError(422, str(exc)) from exc
    if period.kind == "range" or (months_only and period.kind != "month"):
        raise HttpError(
            422, "Give a month (2026-11)." if months_only else "Give a month, quarter or year."
        )
    return period


def _need_view(request: HttpRequest) -> None:
    if not request.user.has_perm("awards.view_awards"):
        raise HttpError(403, "Not allowed.")


@router.get("/schemes", response={200: list[RedFlagSchemeOut], 403: Error}, summary="Schemes")
def list_schemes(request: HttpRequest) -> list[dict[str, Any]]:
    _need_view(request)
    return [
        {
            "code": s.code,
            "name": s.name,
            "target": s.target,
            "point_types": [t.name for t in s.point_types.all()],
            "unit_kind": s.unit_kind,
            "dimensions": s.dimensions,
            "max_total": s.max_total,
            "winners": s.winners,
            "min_ratings": s.min_ratings,
            "star_thresholds": s.star_thresholds,
        }
        for s in RedFlagScheme.objects.filter(active=True).prefetch_related("point_types")
    ]


@router.post(
    "/ratings",
    response={200: RatingOut, 201: RatingOut, 403: Error, 404: Error, 422: Error},
    summary="Rate a target for this month (replaces your earlier rating of the month)",
)
def post_rating(request: HttpRequest, payload: RatingIn) -> Status[dict[str, Any]]:
    if not request.user.has_perm("awards.rate"):
        raise HttpError(403, "Not allowed.")
    scheme = _scheme(payload.scheme)
    if (payload.point is None) == (payload.unit is None):
        raise HttpError(422, "Give either a point or a unit.")
    pk = payload.point if payload.point is not None else payload.unit
    if (payload.point is not None) != scheme.rates_points:
        raise HttpError(422, "This scheme does not rate that kind of target.")
    target = access.ratable_targets(request.user, scheme).filter(pk=pk).first()
    if target is None:
        raise Http404
    try:
        rating, created = rate(
            actor=request.user,
            scheme=scheme,
            target=target,
            scores=payload.scores,
            note=payload.note,
        )
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except PermissionDenied as exc:
        raise Http404 from exc
    return Status(201 if created else 200, _rating(rating, created))


class RatingParams(Schema):
    scheme: str = ""
    month: str = Field("", description="2026-11; default: this month")


@router.get("/ratings", response={200: list[RatingOut], 403: Error, 422: Error}, summary="Ratings")
def list_ratings(request: HttpRequest, params: Query[RatingParams]) -> list[dict[str, Any]]:
    _need_view(request)
    month = _period(params.month, months_only=True)
    qs = access.ratings_visible_to(request.user).filter(month=month.start)
    if params.scheme:
        qs = qs.filter(scheme__code=params.scheme)
    qs = qs.select_related("scheme", "inspector", "point", "unit").order_by("pk")
    return [_rating(r) for r in qs]


@router.get("/ratings/{rating_id}", response={200: RatingOut, 404: Error}, summary="One rating")
def get_rating(request: HttpRequest, rating_id: int) -> dict[str, Any]:
    found = (
        access.ratings_visible_to(request.user)
        .select_related("scheme", "inspector", "point", "unit")
        .filter(pk=rating_id)
        .first()
    )
    if found is None:
        raise Http404
    return _rating(found)


class StandingParams(Schema):
    scheme: str
    month: str = Field("", description="2026-11; default: this month")
    region: int | None = Field(None, description="District or street id; default: the broadest")


@router.get(
    "/standings",
    response={200: StandingsOut, 403: Error, 404: Error, 422: Error},
    summary="A month's standings",
)
def get_standings(request: HttpRequest, params: Query[StandingParams]) -> dict[str, Any]:
    _need_view(request)
    scheme = _scheme(params.scheme)
    month = _period(params.month, months_only=True)
    try:
        region, _choices = access.region_choice(request.user, params.region)
    except LookupError as exc:
        raise Http404 from exc
    rows, ranked = standings_for(request.user, scheme, month, region)
    return {
        "scheme": scheme.code,
        "month": month.key,
        "region": region.pk if region else None,
        "ranked": ranked,
        "rows": [
            {
                "target": _target(r.target),
                "ratings": r.ratings,
                "average": r.average_display,
                "percent": Decimal(r.percent.numerator) / Decimal(r.percent.denominator),
                "rank": r.rank,
                "wins": r.wins,
            }
            for r in rows
        ],
    }


class AwardParams(Schema):
    year: int | None = Field(None, ge=1, le=9999)


@router.get("/awards", response={200: list[AwardOut], 403: Error}, summary="Red flags awarded")
def list_awards(request: HttpRequest, params: Query[AwardParams]) -> list[dict[str, Any]]:
    _need_view(request)
    qs = access.awards_visible_to(request.user).select_related("scheme", "region", "point", "unit")
    if params.year:
        qs = qs.filter(month__year=params.year)
    return [
        {
            "scheme": a.scheme.code,
            "month": f"{a.month:%Y-%m}",
            "region": a.region.name,
            "target": _target(a.target),
            "rank": a.rank,
            "score": a.score,
            "ratings": a.ratings,
        }
        for a in qs.order_by("-month", "scheme__code", "rank")
    ]


class StarParams(Schema):
    scheme: str
    period: str = Field("", description="2026-11, 2026-Q4 or 2026; default: this month")


@router.get("/stars", response={200: StarsOut, 403: Error, 404: Error, 422: Error}, summary="Stars")
def get_stars(request: HttpRequest, params: Query[StarParams]) -> dict[str, Any]:
    _need_view(request)
    scheme = _scheme(params.scheme)
    period = _period(params.period, months_only=False)
    rows = star_table(scheme, period, access.readable_targets(request.user, scheme))
    return {
        "scheme": scheme.code,
        "period": period.key,
        "rows": [
            {
                "target": _target(r.target),
                "ratings": r.ratings,
                "percent": r.percent_display,
                "stars": r.stars,
            }
            for r in rows
        ],
    }
