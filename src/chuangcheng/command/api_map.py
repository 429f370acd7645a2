"""The 挂图指挥 map's data under /api/v1/map/: layers as compact rows or GeoJSON, and the
details a popup shows. Everything is scoped with ``visible_to``: a unit or a street gets only its
rows, and a case or point outside the user's scope answers 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.command.domain import map_layers, map_popups
from chuangcheng.core.api_support import Error
from chuangcheng.points.queries import MAP_LEVELS, region_outlines

router = Router(tags=["map"])

POINT_COLUMNS = "[code, name, lng, lat, state, passed, failed, type]"
CASE_COLUMNS = "[id, number, lng, lat, state, category, status, due]"


def _need_map(request: HttpRequest) -> None:
    if not request.user.has_perm("command.view_map"):
        raise HttpError(403, "You may not see the command map.")


class FeatureCollection(Schema):
    type: str = "FeatureCollection"
    features: list[dict[str, Any]]


class PointsOut(Schema):
    columns: str = Field(POINT_COLUMNS, description="state: pass, minor, major or none")
    rows: list[tuple[str, str, float, float, str, int, int, str]]


class MapCasesOut(Schema):
    columns: str = Field(CASE_COLUMNS, description="state: overdue, soon, ok or wait")
    rows: list[tuple[int, str, float, float, str, str, str, str]]


class StreetOut(Schema):
    code: str
    name: str
    open: int
    overdue: int = Field(..., description="open at a unit past the deadline (督办)")
    rate: float | None = Field(..., description="得分率 0..1; null when not measured or hidden")


class StreetsOut(Schema):
    period: str
    period_label: str
    scored: bool = Field(..., description="whether the user reads street scores at all")
    streets: list[StreetOut]


class HeatOut(Schema):
    start: dt.date
    days: int
    rows: list[tuple[float, float, int]] = Field(..., description="[lat, lng, day from start]")


class KeyAreaOut(Schema):
    id: int
    name: str
    note: str
    region: str
    geometry: dict[str, Any]
    open: int = Field(..., description="open cases inside")


class MapPhotoOut(Schema):
    thumb: str
    url: str


class MapEventOut(Schema):
    at: str
    action: str
    actor: str
    unit: str


class MapCaseOut(Schema):
    number: str
    category: str
    category_class: str
    status: str
    state: str
    escalated: bool
    unit: str
    due: str
    reported: str
    address: str
    description: str
    photos: list[MapPhotoOut]
    events: list[MapEventOut]
    url: str


class ItemOut(Schema):
    clause: str
    result: str
    label: str
    note: str
    case: str


class PointDetailOut(Schema):
    code: str
    name: str
    type: str
    address: str
    territorial: str
    line: str
    visited: str
    round: str
    passed: int
    failed: int
    items: list[ItemOut]
    photos: list[MapPhotoOut]
    url: str


class StreetParams(Schema):
    period: str = Field("", description="month of the score run, e.g. 2026-10")


ERRORS: dict[int, Any] = {403: Error}


@router.get("/regions", response={200: FeatureCollection, **ERRORS}, summary="Region outlines")
def regions(request: HttpRequest) -> dict[str, Any]:
    _need_map(request)
    return region_outlines(request.user, MAP_LEVELS)


@router.get("/points", response={200: PointsOut, **ERRORS}, summary="Points by compliance")
def points(request: HttpRequest) -> dict[str, Any]:
    _need_map(request)
    return {"columns": POINT_COLUMNS, "rows": map_layers.point_rows(request.user)}


@router.get("/cases", response={200: MapCasesOut, **ERRORS}, summary="Open cases by deadline")
def cases(request: HttpRequest) -> dict[str, Any]:
    _need_map(request)
    return {"columns": CASE_COLUMNS, "rows": map_layers.case_rows(request.user, timezone.now())}


@router.get("/streets", response={200: StreetsOut, **ERRORS}, summary="Street figures")
def streets(request: HttpRequest, params: Query[StreetParams]) -> dict[str, Any]:
    _need_map(request)
    return map_layers.street_figures(request.user, timezone.now(), params.period)


@router.get("/heat", response={200: HeatOut, **ERRORS}, summary="Problems of the last 52 weeks")
def heat(request: HttpRequest) -> dict[str, Any]:
    _need_map(request)
    return map_layers.heat_rows(request.user, timezone.now())


@router.get("/key-areas", response={200: list[KeyAreaOut], **ERRORS}, summary="Key areas")
def key_areas(request: HttpRequest) -> list[dict[str, Any]]:
    _need_map(request)
    return map_layers.key_area_rows(request.user)


@router.get("/cases/{pk}", response={200: MapCaseOut, 404: Error, **ERRORS}, summary="One case")
def case_detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    _need_map(request)
    return map_popups.case_popup(request.user, pk)


@router.get(
    "/points/{code}", response={200: PointDetailOut, 404: Error, **ERRORS}, summary="One point"
)
def point_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    _need_map(request)
    return map_popups.point_popup(request.user, code)
