"""State changes of key areas (重点区域): each checks, writes and audits in one transaction.

A user must hold ``command.manage_key_areas`` (the civilization office) over the area's region,
before and after the change. The outline is validated again here, so no caller can store a
broken polygon.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.command.domain.map_geometry import OutlineError, checked
from chuangcheng.command.models import KeyArea
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region

AUDITED = ("name", "region_id", "geometry", "note")


@dataclass(frozen=True)
class KeyAreaData:
    name: str
    region: Region
    geometry: dict[str, Any]
    note: str = ""


def _check(actor: Any, data: KeyAreaData) -> KeyAreaData:
    if not actor.has_perm("command.manage_key_areas", data.region):
        raise PermissionDenied
    name = data.name.strip()
    if not name:
        raise OutlineError(_("A name is required."))
    return KeyAreaData(name[:80], data.region, checked(data.geometry), data.note.strip())


@transaction.atomic
def create_key_area(data: KeyAreaData, *, actor: Any) -> KeyArea:
    """A new key area; OutlineError (nothing written) when the outline or name is unusable."""
    data = _check(actor, data)
    area = KeyArea.objects.create(
        name=data.name,
        region=data.region,
        geometry=data.geometry,
        note=data.note,
        created_by=actor,
    )
    audit.record(actor, AuditAction.CREATE, area, after=audit.snapshot(area, AUDITED))
    return area


@transaction.atomic
def update_key_area(area: KeyArea, data: KeyAreaData, *, actor: Any) -> KeyArea:
    """Change an area's name, region, outline or note (allowed over the old and new region)."""
    if not actor.has_perm("command.manage_key_areas", area):
        raise PermissionDenied
    data = _check(actor, data)
    before = audit.snapshot(area, AUDITED)
    area.name, area.region, area.geometry, area.note = (
        data.name,
        data.region,
        data.geometry,
        data.note,
    )
    area.save()
    audit.record(
        actor, AuditAction.UPDATE, area, before=before, after=audit.snapshot(area, AUDITED)
    )
    return area


@transaction.atomic
def delete_key_area(area: KeyArea, *, actor: Any) -> None:
    if not actor.has_perm("command.manage_key_areas", area):
        raise PermissionDenied
    before = audit.snapshot(area, AUDITED)
    audit.record(actor, AuditAction.DELETE, area, before=before)
    area.delete()
