"""REST endpoints for regions and units under /api/v1/.

Every list and detail goes through ``visible_to(request.user)``; out of scope is a 404.
Phone numbers only leave masked.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from chuangcheng.core.api_support import MAX_PAGE_NUMBER, Error
from chuangcheng.orgs import domain, queries
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.orgs.schemas import (
    RegionDetailOut,
    RegionPage,
    UnitIn,
    UnitOut,
    UnitPage,
    UnitPatch,
)

regions_router = Router(tags=["regions"])
units_router = Router(tags=["units"])

MAX_LIMIT = 500


def _region_out(r: Region) -> dict[str, Any]:
    return {
        "code": r.code,
        "name": r.name,
        "level": r.level,
        "parent": r.parent.code if r.parent_id and r.parent else None,
        "path": r.path,
        "boundary_approximate": r.boundary_approximate,
    }


@regions_router.get("", response=RegionPage, summary="List regions (no geometry)")
def list_regions(
    request: HttpRequest,
    *,
    level: str = "",
    parent: str = "",
    limit: int = Query(100, ge=1, le=MAX_LIMIT),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_PAGE_NUMBER),  # type: ignore[type-arg]
) -> dict[str, Any]:
    qs = (
        Region.objects.visible_to(request.user)
        .select_related("parent")
        .defer("boundary")
        .order_by("path")
    )
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return {"count": qs.count(), "items": [_region_out(r) for r in qs[offset : offset + limit]]}


@regions_router.get(
    "/{code}", response={200: RegionDetailOut, 404: Error}, summary="One region with boundary"
)
def get_region(request: HttpRequest, code: str) -> dict[str, Any]:
    region = get_object_or_404(
        Region.objects.visible_to(request.user).select_related("parent"), code=code
    )
    return {**_region_out(region), "boundary": region.boundary}


def _unit_out(u: Unit) -> dict[str, Any]:
    return {
        "code": u.code,
        "name": u.name,
        "short_name": u.short_name,
        "kind": u.kind,
        "region": u.region.code if u.region_id and u.region else None,
        "parent": u.parent.code if u.parent_id and u.parent else None,
        "head_name": u.head_name,
        "head_phone_masked": u.head_phone_masked,
        "contact_name": u.contact_name,
        "contact_phone_masked": u.contact_phone_masked,
        "address": u.address,
        "active": u.active,
    }


def _units(request: HttpRequest) -> Any:
    return Unit.objects.visible_to(request.user).select_related("region", "parent")


@units_router.get("", response=UnitPage, summary="List units (phones masked)")
def list_units(
    request: HttpRequest,
    *,
    kind: str = "",
    region: str = "",
    q: str = "",
    limit: int = Query(100, ge=1, le=MAX_LIMIT),  # type: ignore[type-arg]
    offset: int = Query(0, ge=0, le=MAX_PAGE_NUMBER),  # type: ignore[type-arg]
) -> dict[str, Any]:
    qs = _units(request).order_by("kind", "path")
    street = None
    if region:
        street = Region.objects.visible_to(request.user).filter(code=region).first()
        if street is None:
            return {"count": 0, "items": []}
    qs = queries.unit_filter(qs, kind=kind, street=street, text=q)
    return {"count": qs.count(), "items": [_unit_out(u) for u in qs[offset : offset + limit]]}


@units_router.get("/{code}", response={200: UnitOut, 404: Error}, summary="One unit")
def get_unit(request: HttpRequest, code: str) -> dict[str, Any]:
    return _unit_out(get_object_or_404(_units(request), code=code))


def _resolve(request: HttpRequest, region: str | None, parent: str | None) -> tuple[Any, Any]:
    reg = None
    if region:
        reg = Region.objects.visible_to(request.user).filter(code=region).first()
        if reg is None:
            raise HttpError(422, _("Unknown region code: %(code)s.") % {"code": region})
    par = None
    if parent:
        par = Unit.objects.visible_to(request.user).filter(code=parent).first()
        if par is None:
            raise HttpError(422, _("Unknown parent unit code: %(code)s.") % {"code": parent})
    return reg, par


def _domain_call(fn: Any, **kwargs: Any) -> Unit:
    try:
        return fn(**kwargs)
    except domain.OrgsError as err:
        raise HttpError(422, f"{err.field}: {err.message}" if err.field else err.message) from err
    except PermissionDenied as exc:
        raise HttpError(403, _("You may not change units here.")) from exc


@units_router.post(
    "", response={201: UnitOut, 403: Error, 422: Error}, summary="Create a unit (office)"
)
def create_unit(request: HttpRequest, payload: UnitIn) -> Status[dict[str, Any]]:
    if not request.user.has_perm("orgs.manage_unit"):
        raise HttpError(403, _("You may not create units."))
    reg, par = _resolve(request, payload.region, payload.parent)
    data = domain.UnitData(
        name=payload.name,
        kind=payload.kind,
        region=reg,
        short_name=payload.short_name,
        parent=par,
        head_name=payload.head_name,
        head_phone=payload.head_phone,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        address=payload.address,
    )
    unit = _domain_call(domain.create_unit, actor=request.user, code=payload.code, data=data)
    return Status(201, _unit_out(unit))


@units_router.patch(
    "/{code}",
    response={200: UnitOut, 403: Error, 404: Error, 422: Error},
    summary="Change a unit (office)",
)
def update_unit(request: HttpRequest, code: str, payload: UnitPatch) -> dict[str, Any]:
    unit = get_object_or_404(_units(request), code=code)
    if not request.user.has_perm("orgs.manage_unit", unit):
        raise Http404
    given = payload.dict(exclude_unset=True)
    reg, par = _resolve(request, given.get("region"), given.get("parent"))
    fields = {f: getattr(unit, f) for f in domain.UNIT_FIELDS}
    fields.update({k: v for k, v in given.items() if k in domain.UNIT_FIELDS and v is not None})
    if "region" in given:
        fields["region"] = reg
    if "parent" in given:
        fields["parent"] = par
    # One transaction: a refused activation change must not leave the field edits behind.
    with transaction.atomic():
        unit = _domain_call(
            domain.update_unit, actor=request.user, unit=unit, data=domain.UnitData(**fields)
        )
        if given.get("active") is not None:
            unit = _domain_call(
                domain.set_unit_active, actor=request.user, unit=unit, active=given["active"]
            )
    return _unit_out(unit)
