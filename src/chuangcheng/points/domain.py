"""State changes of points: each function checks, writes and audits in one transaction.

``actor`` is the user acting, or ``None`` for the system (the ``chuangcheng points`` command run
by an operator on the server). A user must hold ``points.manage_point`` over every point touched,
before and after the change; the system may change any point.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.middleware import current_ip
from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points import geometry
from chuangcheng.points.models import Point, PointType

# The fields a user edits; the audit log compares exactly these.
AUDITED = (
    "code",
    "name",
    "type_id",
    "address",
    "lng",
    "lat",
    "region_id",
    "territorial_unit_id",
    "line_unit_id",
    "active",
    "note",
)
_CODE_RE = re.compile(r"^P(\d+)$")


class PointValidationError(Exception):
    """Field name → messages; nothing was written."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class PointData:
    """What a user gives for a point. ``street`` is a street; the domain finds the community."""

    name: str
    type: PointType
    street: Region
    territorial_unit: Unit
    lng: Decimal
    lat: Decimal
    address: str = ""
    line_unit: Unit | None = None
    note: str = ""


def check(data: PointData, current: Region | None = None) -> Region:
    """Validate ``data`` and return the region the point belongs to (community or street).

    Raises :class:`PointValidationError` naming every bad field.
    """
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors.setdefault("name", []).append(_("A name is required."))
    lng, lat = float(data.lng), float(data.lat)
    if not geometry.lng_in_range(lng):
        errors.setdefault("lng", []).append(
            _("Longitude must be between %(lo)s and %(hi)s.")
            % {"lo": geometry.LNG_RANGE[0], "hi": geometry.LNG_RANGE[1]}
        )
    if not geometry.lat_in_range(lat):
        errors.setdefault("lat", []).append(
            _("Latitude must be between %(lo)s and %(hi)s.")
            % {"lo": geometry.LAT_RANGE[0], "hi": geometry.LAT_RANGE[1]}
        )
    if data.street.level != RegionLevel.STREET:
        errors.setdefault("street", []).append(_("Choose a street."))
    elif not errors and not geometry.inside_street(data.street, lng, lat):
        errors.setdefault("lng", []).append(outside_message(data.street.name))
    if errors:
        raise PointValidationError(errors)
    communities = Region.objects.filter(
        parent=data.street, level=RegionLevel.COMMUNITY, boundary__isnull=False
    )
    return geometry.locate(data.street, communities, lng, lat, current)


def outside_message(street_name: str) -> str:
    return _(
        "The point lies outside the boundary of %(street)s. Boundaries may be approximate: "
        "check the coordinates and the street."
    ) % {"street": street_name}


def next_code() -> str:
    """The code after the highest ``P00001``-style code in use."""
    return format_code(highest_code_number() + 1)


def highest_code_number() -> int:
    last = (
        Point.objects.filter(code__regex=r"^P[0-9]+$")
        .order_by(Length("code").desc(), "-code")
        .values_list("code", flat=True)
        .first()
    )
    match = _CODE_RE.match(last or "")
    return int(match.group(1)) if match else 0


def format_code(number: int) -> str:
    return f"P{number:05d}"


def _require(actor: Any, point: Point) -> None:
    if actor is not None and not actor.has_perm("points.manage_point", point):
        raise PermissionDenied(_("You may not manage points in this area."))


def _assign(point: Point, data: PointData, region: Region) -> None:
    point.name = data.name.strip()
    point.type = data.type
    point.address = data.address.strip()
    point.lng = data.lng
    point.lat = data.lat
    point.region = region
    point.territorial_unit = data.territorial_unit
    point.line_unit = data.line_unit
    point.note = data.note


@transaction.atomic
def create_point(*, actor: Any, data: PointData) -> Point:
    """Create a point with the next free code; audited. Refused outside the actor's area."""
    region = check(data)
    point = Point(code=next_code())
    _assign(point, data, region)
    _require(actor, point)
    point.save()
    audit.record(actor, AuditAction.CREATE, point, after=audit.snapshot(point, AUDITED))
    return point


@transaction.atomic
def update_point(point: Point, *, actor: Any, data: PointData) -> Point:
    """Change a point; the actor must cover it both where it was and where it goes."""
    _require(actor, point)
    region = check(data, point.region)
    before = audit.snapshot(point, AUDITED)
    _assign(point, data, region)
    _require(actor, point)
    point.save()
    audit.record(
        actor, AuditAction.UPDATE, point, before=before, after=audit.snapshot(point, AUDITED)
    )
    return point


@transaction.atomic
def set_active(point: Point, *, actor: Any, active: bool) -> Point:
    """Deactivate (``active=False``) or reactivate a point. Inspections keep their history;
    an inactive point is simply no longer drawn for new inspections."""
    _require(actor, point)
    if point.active == active:
        return point
    before = audit.snapshot(point, AUDITED)
    point.active = active
    point.save(update_fields=["active", "updated_at"])
    audit.record(
        actor, AuditAction.UPDATE, point, before=before, after=audit.snapshot(point, AUDITED)
    )
    return point


def deactivate_point(point: Point, *, actor: Any) -> Point:
    """Shorthand for ``set_active(point, actor=actor, active=False)``."""
    return set_active(point, actor=actor, active=False)


@dataclass
class ImportItem:
    """One validated row: ``point`` is unsaved (new) or an existing point with new values."""

    point: Point
    before: dict[str, Any] | None


@transaction.atomic
def apply_import(items: Sequence[ImportItem], *, actor: Any, source: str) -> tuple[int, int]:
    """Write validated rows in one transaction with bulk queries; one audit entry per point
    (so each point's history shows the import) and one for the import itself.

    Returns (created, updated). New points get consecutive codes after the highest in use.
    """
    new = [i.point for i in items if i.before is None]
    changed = [i for i in items if i.before is not None]
    for item in items:
        _require(actor, item.point)
    start = highest_code_number()
    for n, point in enumerate(new, start=1):
        point.code = format_code(start + n)
    Point.objects.bulk_create(new, batch_size=500)
    now = timezone.now()
    for item in changed:
        item.point.updated_at = now
    fields = [f.removesuffix("_id") for f in AUDITED if f != "code"] + ["updated_at"]
    Point.objects.bulk_update([i.point for i in changed], fields, batch_size=500)
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = user.get_username() if user else "system"
    entries = [
        _entry(user, name, AuditAction.CREATE, p, None, audit.snapshot(p, AUDITED), source)
        for p in new
    ]
    for item in changed:
        after = audit.snapshot(item.point, AUDITED)
        keys = sorted(k for k in after if item.before and item.before.get(k) != after[k])
        if keys:
            b = {k: (item.before or {}).get(k) for k in keys}
            a = {k: after[k] for k in keys}
            entries.append(_entry(user, name, AuditAction.UPDATE, item.point, b, a, source))
    audit.record_many(entries)
    audit.record(
        actor,
        AuditAction.IMPORT,
        object_type="points.point",
        object_repr=source[:200],
        note=f"created={len(new)} updated={len(changed)}",
    )
    return len(new), len(changed)


def _entry(  # noqa: PLR0917 - a private row builder, called twice just above
    user: Any,
    name: str,
    action: AuditAction,
    point: Point,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    source: str,
) -> AuditEntry:
    # The same row audit.record() writes, built here so a large import is one INSERT.
    return AuditEntry(
        actor=user,
        actor_name=name,
        action=str(action),
        object_type="points.point",
        object_id=str(point.pk),
        object_repr=str(point)[:200],
        before=before,
        after=after,
        ip=current_ip.get(),
        note=source[:500],
    )


def record_export(*, actor: Any, fmt: str, count: int, filters: str) -> None:
    """Exports of personal-free point lists are still audited: who took which rows out."""
    audit.record(
        actor,
        AuditAction.EXPORT,
        object_type="points.point",
        object_repr=f"{fmt} · {count}",
        note=filters[:500],
    )
