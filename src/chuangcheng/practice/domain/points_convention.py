"""The 居民公约: items the office defines for its region and the points each earns.

Items are never deleted once awarded (awards point at them); the office deactivates an item
instead, and it stops being offered. Every change is audited with before and after."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.models import ConventionItem

FIELDS = ("code", "title", "description", "points", "monthly_cap", "seq", "active")


def office_regions(user: Any) -> list[Region]:
    """The regions the user may define items for (where they hold the office role)."""
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    qs = Region.objects.order_by("path")
    if scope.everything:
        return list(qs.filter(parent__isnull=True))
    return list(qs.filter(path__in=scope.prefixes_for("office")))


def save_item(
    *, actor: Any, region: Region, data: dict[str, Any], item: ConventionItem | None = None
) -> ConventionItem:
    """Create an item for ``region``, or change ``item``. Guarantees: codes are unique within a
    region; points are positive; the change is audited (before and after)."""
    target = item.region if item is not None else region
    if not actor.has_perm("practice.manage_convention", target):
        raise PermissionDenied
    code = str(data.get("code", "")).strip()
    title = str(data.get("title", "")).strip()
    errors: dict[str, list[str]] = {}
    if not code:
        errors["code"] = [_("Give the item a short code.")]
    if not title:
        errors["title"] = [_("Name the item.")]
    if int(data.get("points") or 0) <= 0:
        errors["points"] = [_("An item earns at least one point.")]
    clash = ConventionItem.objects.filter(region=target, code=code)
    if item is not None:
        clash = clash.exclude(pk=item.pk)
    if code and clash.exists():
        errors["code"] = [_("Another item of this region has this code.")]
    if errors:
        raise PracticeError(errors)
    with transaction.atomic():
        before = audit.snapshot(item, FIELDS) if item is not None else None
        obj = item if item is not None else ConventionItem(region=target)
        obj.code = code
        obj.title = title
        obj.description = str(data.get("description", "")).strip()
        obj.points = int(data["points"])
        obj.monthly_cap = int(data.get("monthly_cap") or 0)
        obj.seq = int(data.get("seq") or 0)
        obj.active = bool(data.get("active", True))
        obj.save()
        audit.record(
            actor,
            AuditAction.UPDATE if before is not None else AuditAction.CREATE,
            obj,
            before=before,
            after=audit.snapshot(obj, FIELDS),
        )
    return obj


def set_active(item: ConventionItem, *, actor: Any, active: bool) -> ConventionItem:
    """Take an item out of use (or back into it); past awards keep pointing at it."""
    if not actor.has_perm("practice.manage_convention", item):
        raise PermissionDenied
    if item.active == active:
        return item
    with transaction.atomic():
        ConventionItem.objects.filter(pk=item.pk).update(active=active)
        audit.record(
            actor,
            AuditAction.UPDATE,
            item,
            before={"active": item.active},
            after={"active": active},
        )
        item.active = active
    return item
