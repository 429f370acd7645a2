"""State changes of orgs: each function checks, writes and audits in one transaction.

Every function takes the acting user as keyword-only ``actor``, asks the rules layer whether the
actor may act on the object (``orgs.manage_region`` / ``orgs.manage_unit``), validates, writes and
records one audit entry. On any error nothing is written and :class:`OrgsError` (or Django's
``PermissionDenied``) says why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit

# Mobile numbers (1[3-9] + 9 digits) and landlines with an area code (010-65123456, 0571-8888888).
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")

# The order of levels: a child region must sit exactly below its parent's level.
_LEVEL_ORDER = [
    RegionLevel.CITY,
    RegionLevel.DISTRICT,
    RegionLevel.STREET,
    RegionLevel.COMMUNITY,
    RegionLevel.GRID,
]

UNIT_FIELDS = (
    "name",
    "short_name",
    "kind",
    "region",
    "parent",
    "head_name",
    "head_phone",
    "contact_name",
    "contact_phone",
    "address",
)


class OrgsError(ValueError):
    """Bad input for a region or unit; ``field`` names the input at fault (or "")."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def normalize_phone(value: str, field: str = "phone") -> str:
    """A Chinese mobile or landline number with spaces removed; raise OrgsError otherwise."""
    phone = re.sub(r"\s+", "", value or "")
    if not phone:
        return ""
    if _MOBILE.match(phone) or _LANDLINE.match(phone):
        return phone
    raise OrgsError(
        _(
            "Not a valid phone number: use an 11-digit mobile number (13812345678) or a "
            "landline with its area code (010-65123456)."
        ),
        field,
    )


def validate_boundary(value: Any) -> dict[str, Any] | None:
    """A GeoJSON Polygon or MultiPolygon with WGS-84 coordinates, or None."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or value.get("type") not in ("Polygon", "MultiPolygon"):
        raise OrgsError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."), "boundary")
    polygons = value.get("coordinates")
    if value["type"] == "Polygon":
        polygons = [polygons]
    try:
        for polygon in polygons or []:
            for ring in polygon:
                if len(ring) < 4:
                    raise OrgsError(
                        _("Each boundary ring needs at least four positions."), "boundary"
                    )
                for lng, lat, *_rest in ring:
                    if not (-180 <= float(lng) <= 180 and -90 <= float(lat) <= 90):
                        raise OrgsError(
                            _("Boundary coordinates must be WGS-84 longitude and latitude."),
                            "boundary",
                        )
    except (TypeError, ValueError) as exc:
        if isinstance(exc, OrgsError):
            raise
        raise OrgsError(_("The boundary coordinates are not readable."), "boundary") from exc
    if not polygons:
        raise OrgsError(_("The boundary has no coordinates."), "boundary")
    return {"type": value["type"], "coordinates": value["coordinates"]}


def _check(actor: Any, perm: str, obj: Any) -> None:
    if not actor.has_perm(perm, obj):
        raise PermissionDenied(_("You may not change this."))


# Regions ----------------------------------------------------------------------------------


@transaction.atomic
def create_region(
    *,
    actor: Any,
    parent: Region,
    code: str,
    name: str,
    level: str,
    boundary: Any = None,
    boundary_approximate: bool = False,
) -> Region:
    """Create a region below ``parent`` (inside the actor's office scope).

    Guarantees: the code is unique and starts with the parent's code, the level is the one
    directly below the parent's, and ``path`` is the parent's path plus the code.
    """
    _check(actor, "orgs.manage_region", parent)
    code = (code or "").strip()
    name = (name or "").strip()
    if not code.isdigit() or not code.startswith(parent.code) or len(code) <= len(parent.code):
        raise OrgsError(
            _("The code must be digits that extend the parent's code %(code)s.")
            % {"code": parent.code},
            "code",
        )
    if Region.objects.filter(code=code).exists():
        raise OrgsError(_("A region with this code already exists."), "code")
    if not name:
        raise OrgsError(_("Enter a name."), "name")
    expected = _child_level(parent.level)
    if expected is None or level != expected:
        raise OrgsError(
            _("A region below a %(parent)s must be a %(child)s.")
            % {
                "parent": RegionLevel(parent.level).label,
                "child": RegionLevel(expected).label if expected else "—",
            },
            "level",
        )
    region = Region(
        parent=parent,
        code=code,
        name=name,
        level=level,
        boundary=validate_boundary(boundary),
        boundary_approximate=boundary_approximate,
        seq=parent.children.count() + 1,
    )
    region.path = region.compute_path()
    region.save()
    audit.record(actor, AuditAction.CREATE, region, after=audit.snapshot(region))
    return region


def _child_level(level: str) -> str | None:
    index = _LEVEL_ORDER.index(RegionLevel(level))
    return _LEVEL_ORDER[index + 1] if index + 1 < len(_LEVEL_ORDER) else None


def child_level(level: str) -> str | None:
    """The level directly below ``level`` (a grid cell has none)."""
    return _child_level(level)


@transaction.atomic
def update_region(
    *,
    actor: Any,
    region: Region,
    name: str,
    boundary: Any = None,
    boundary_approximate: bool = False,
) -> Region:
    """Change a region's name and boundary. The code and parent never change: every path in
    the subtree (regions, grants, units) is built from them."""
    _check(actor, "orgs.manage_region", region)
    name = (name or "").strip()
    if not name:
        raise OrgsError(_("Enter a name."), "name")
    before = audit.snapshot(region)
    region.name = name
    region.boundary = validate_boundary(boundary)
    region.boundary_approximate = boundary_approximate
    region.save(update_fields=["name", "boundary", "boundary_approximate"])
    audit.record(actor, AuditAction.UPDATE, region, before=before, after=audit.snapshot(region))
    return region


# Units ------------------------------------------------------------------------------------


@dataclass
class UnitData:
    """The editable fields of a unit, already parsed (regions and units as objects)."""

    name: str
    kind: str
    region: Region | None
    short_name: str = ""
    parent: Unit | None = None
    head_name: str = ""
    head_phone: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


def _clean_unit(actor: Any, data: UnitData, unit: Unit | None) -> UnitData:
    data.name = (data.name or "").strip()
    data.short_name = (data.short_name or "").strip()
    if not data.name:
        raise OrgsError(_("Enter a name."), "name")
    clash = Unit.objects.filter(name=data.name)
    if unit is not None:
        clash = clash.exclude(pk=unit.pk)
    if clash.exists():
        raise OrgsError(_("A unit with this name already exists."), "name")
    if data.kind not in UnitKind.values:
        raise OrgsError(_("Choose a kind of unit."), "kind")
    if data.region is None:
        raise OrgsError(_("Choose the region the unit answers for or serves."), "region")
    if not actor.has_perm("orgs.manage_region", data.region):
        raise OrgsError(_("This region is outside your office's area."), "region")
    if data.parent is not None:
        if unit is not None and data.parent.path.startswith(unit.path):
            raise OrgsError(_("A unit cannot sit below itself."), "parent")
        if not actor.has_perm("orgs.manage_unit", data.parent):
            raise OrgsError(_("This parent unit is outside your office's area."), "parent")
    data.head_phone = normalize_phone(data.head_phone, "head_phone")
    data.contact_phone = normalize_phone(data.contact_phone, "contact_phone")
    return data


@transaction.atomic
def create_unit(*, actor: Any, code: str, data: UnitData) -> Unit:
    """Create a unit in the actor's area. Code and name are unique; phones are valid Chinese
    numbers (stored encrypted); ``path`` is the parent unit's path plus the code."""
    _check(actor, "orgs.manage_unit", None)
    code = (code or "").strip()
    if not _CODE.match(code):
        raise OrgsError(_("The code may use letters, digits, “-” and “_” only."), "code")
    if Unit.objects.filter(code=code).exists():
        raise OrgsError(_("A unit with this code already exists."), "code")
    data = _clean_unit(actor, data, None)
    unit = Unit(code=code, **{f: getattr(data, f) for f in UNIT_FIELDS})
    unit.path = unit.compute_path()
    unit.save()
    audit.record(actor, AuditAction.CREATE, unit, after=audit.snapshot(unit))
    return unit


@transaction.atomic
def update_unit(*, actor: Any, unit: Unit, data: UnitData) -> Unit:
    """Change a unit's fields; a new parent unit moves its whole subtree's paths with it."""
    _check(actor, "orgs.manage_unit", unit)
    before = audit.snapshot(unit)
    data = _clean_unit(actor, data, unit)
    old_path = unit.path
    for f in UNIT_FIELDS:
        setattr(unit, f, getattr(data, f))
    unit.path = unit.compute_path()
    unit.save()
    if unit.path != old_path:
        # Rewrite the materialized paths of the units below, which all start with old_path.
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    audit.record(actor, AuditAction.UPDATE, unit, before=before, after=audit.snapshot(unit))
    return unit


@transaction.atomic
def set_unit_active(*, actor: Any, unit: Unit, active: bool) -> Unit:
    """Deactivate (or reactivate) a unit; its history, points and grants stay as they are."""
    _check(actor, "orgs.manage_unit", unit)
    if unit.active == active:
        return unit
    before = audit.snapshot(unit, ["active"])
    unit.active = active
    unit.save(update_fields=["active"])
    audit.record(actor, AuditAction.UPDATE, unit, before=before, after={"active": active})
    return unit


@transaction.atomic
def phones_for_editing(*, actor: Any, unit: Unit) -> dict[str, str]:
    """The clear head and contact phones the edit form is filled with; one VIEW_PERSONAL audit
    entry when there is any (the form shows them in clear so they can be corrected)."""
    _check(actor, "orgs.manage_unit", unit)
    phones = {w: str(getattr(unit, w)) for w in ("head_phone", "contact_phone") if getattr(unit, w)}
    if phones:
        audit.record(actor, AuditAction.VIEW_PERSONAL, unit, note="edit: " + ", ".join(phones))
    return phones


@transaction.atomic
def reveal_unit_phone(*, actor: Any, unit: Unit, which: str) -> str:
    """Return the clear head or contact phone of ``unit``; every call writes one
    VIEW_PERSONAL audit entry (个人信息保护法: access to originals is restricted and audited)."""
    _check(actor, "orgs.manage_unit", unit)
    if which not in ("head_phone", "contact_phone"):
        raise OrgsError(_("Unknown phone number."), "which")
    audit.record(actor, AuditAction.VIEW_PERSONAL, unit, note=which)
    return str(getattr(unit, which))
