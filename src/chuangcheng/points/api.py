"""REST endpoints for points under /api/v1/points. Every read goes through ``visible_to``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status

from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points import domain, geometry, queries
from chuangcheng.points.models import Point, PointType
from chuangcheng.points.schemas import (
    PointIn,
    PointOut,
    PointPage,
    PointPatch,
    PointTypeOut,
    PointUnitRef,
)

router = Router(tags=["points"])
MAX_LIMIT = 500


class PointListParams(Schema):
    type: str = ""
    street: str = ""
    unit: str = ""
    q: str = ""
    active: str = ""
    limit: PageLimit = 50
    offset: PageOffset = 0


def _unit(u: Unit | None) -> PointUnitRef | None:
    if u is None:
        return None
    return PointUnitRef(
        code=u.code,
        name=u.name,
        short_name=u.short_name,
        contact_name=u.contact_name,
        contact_phone_masked=u.contact_phone_masked,
    )


def _out(p: Point) -> PointOut:
    street = geometry.street_of(p.region)
    tunit = _unit(p.territorial_unit)
    assert tunit is not None
    return PointOut(
        code=p.code,
        name=p.name,
        type=p.type.code,
        type_name=p.type.name,
        address=p.address,
        lng=float(p.lng),
        lat=float(p.lat),
        street=street.code,
        street_name=street.name,
        region=p.region.code,
        region_name=p.region.name,
        territorial_unit=tunit,
        line_unit=_unit(p.line_unit),
        active=p.active,
        note=p.note,
    )


def _visible(request: HttpRequest, code: str) -> Point:
    found = queries.points_for(request.user, queries.Filters()).filter(code=code).first()
    if found is None:
        raise Http404
    return found


@router.get("", response=PointPage, summary="List visible points")
def list_points(request: HttpRequest, params: Query[PointListParams]) -> PointPage:
    f = queries.Filters.from_query(params.dict())
    qs = queries.points_for(request.user, f)
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    items = [_out(p) for p in qs[offset : offset + limit]]
    return PointPage(count=qs.count(), items=items)


@router.get("/types", response=list[PointTypeOut], summary="Point types")
def list_types(request: HttpRequest) -> list[PointType]:
    return list(PointType.objects.all())


@router.get("/geojson", summary="Visible points as a GeoJSON FeatureCollection")
def points_geojson(request: HttpRequest, params: Query[PointListParams]) -> dict[str, Any]:
    f = queries.Filters.from_query(params.dict())
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(p.lng), float(p.lat)]},
            "properties": _out(p).dict(exclude={"lng", "lat"}),
        }
        for p in queries.points_for(request.user, f)
    ]
    return {"type": "FeatureCollection", "features": features}


@router.get("/{code}", response={200: PointOut, 404: Error}, summary="One point")
def get_point(request: HttpRequest, code: str) -> PointOut:
    return _out(_visible(request, code))


def _resolve(request: HttpRequest, payload: dict[str, Any], base: Point | None) -> domain.PointData:
    """Codes in the payload → objects the user may use; unknown ones are validation errors."""
    errors: list[dict[str, Any]] = []

    def pick(field: str, qs: Any, code: str | None, current: Any) -> Any:
        if code is None:
            return current
        if code == "" and field == "line_unit":
            return None
        found = qs.filter(code=code).first()
        if found is None:
            errors.append({"loc": ["body", "payload", field], "msg": f"unknown code {code!r}"})
        return found

    user = request.user
    street_now = geometry.street_of(base.region) if base else None
    ptype = pick("type", PointType.objects.all(), payload.get("type"), base and base.type)
    streets = Region.objects.visible_to(user).filter(level=RegionLevel.STREET)
    street = pick("street", streets, payload.get("street"), street_now)
    units = Unit.objects.visible_to(user)
    tunit = pick(
        "territorial_unit", units, payload.get("territorial_unit"), base and base.territorial_unit
    )
    lunit = pick("line_unit", units, payload.get("line_unit"), base.line_unit if base else None)
    if payload.get("crs", "wgs84") not in {"wgs84", "gcj02"}:
        errors.append({"loc": ["body", "payload", "crs"], "msg": "crs must be wgs84 or gcj02"})
    if errors:
        raise ValidationError(errors)
    lng: Decimal = base.lng if base else Decimal(0)
    lat: Decimal = base.lat if base else Decimal(0)
    if payload.get("lng") is not None or payload.get("lat") is not None:
        raw_lng = payload.get("lng")
        raw_lat = payload.get("lat")
        raw_lng = lng if raw_lng is None else raw_lng
        raw_lat = lat if raw_lat is None else raw_lat
        lng, lat = geometry.to_wgs84(
            float(raw_lng), float(raw_lat), str(payload.get("crs", "wgs84"))
        )

    def keep(field: str, current: str) -> str:
        value = payload.get(field)
        return current if value is None else str(value)

    return domain.PointData(
        name=keep("name", base.name if base else ""),
        type=ptype,
        street=street,
        territorial_unit=tunit,
        line_unit=lunit,
        lng=lng,
        lat=lat,
        address=keep("address", base.address if base else ""),
        note=keep("note", base.note if base else ""),
    )


def _write(fn: Any) -> Point:
    try:
        point: Point = fn()
    except domain.PointValidationError as exc:
        raise ValidationError(
            [
                {"loc": ["body", "payload", field], "msg": msg}
                for field, msgs in exc.errors.items()
                for msg in msgs
            ]
        ) from exc
    except PermissionDenied as exc:
        raise HttpError(403, "You may not manage points in this area.") from exc
    return point


@router.post("", response={201: PointOut, 403: Error, 422: Error}, summary="Create a point")
def create_point(request: HttpRequest, payload: PointIn) -> Status[PointOut]:
    if not request.user.has_perm("points.manage_point"):
        raise HttpError(403, "You may not manage points.")
    data = _resolve(request, payload.dict(), None)
    point = _write(lambda: domain.create_point(actor=request.user, data=data))
    return Status(201, _out(_visible(request, point.code)))


@router.patch(
    "/{code}",
    response={200: PointOut, 403: Error, 404: Error, 422: Error},
    summary="Change a point",
)
def patch_point(request: HttpRequest, code: str, payload: PointPatch) -> PointOut:
    point = _visible(request, code)
    if not request.user.has_perm("points.manage_point", point):
        raise HttpError(403, "You may not manage this point.")
    values = payload.dict(exclude_unset=True)
    active = values.pop("active", None)
    if set(values) - {"crs"}:
        data = _resolve(request, values, point)
        _write(lambda: domain.update_point(point, actor=request.user, data=data))
    if active is not None:
        _write(lambda: domain.set_active(point, actor=request.user, active=active))
    return _out(_visible(request, code))
