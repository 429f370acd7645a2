"""The score target (目标得分率) the office sets for a framework over a region."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.command.models import BoardTarget
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region


class TargetError(ValueError):
    """The target given cannot be stored; the message says why."""


def target_rate(framework: Framework | None, region: Region | None) -> Decimal | None:
    """The target 得分率 in percent for the framework over the region, or None (one query)."""
    if framework is None or region is None:
        return None
    found = BoardTarget.objects.filter(framework=framework, region=region).first()
    return found.rate if found is not None else None


def parse_rate(raw: Any) -> Decimal:
    """A percentage between 0 and 100 with at most two decimals; TargetError otherwise."""
    try:
        rate = Decimal(str(raw).strip().rstrip("%").strip())
    except InvalidOperation as exc:
        raise TargetError(_("Give the target as a percentage, e.g. 85 or 87.5.")) from exc
    if not rate.is_finite() or not 0 <= rate <= 100:
        raise TargetError(_("The target must be between 0 and 100 %."))
    if rate != rate.quantize(Decimal("0.01")):
        raise TargetError(_("The target may have at most two decimals."))
    return rate.quantize(Decimal("0.01"))


@transaction.atomic
def set_target(*, actor: Any, framework: Framework, region: Region, rate: Any) -> BoardTarget:
    """Store the office's target 得分率 for ``framework`` over ``region``; audited with the
    value before and after. Refused (nothing written) for a bad value or without
    ``command.set_board_target`` over the region."""
    if not actor.has_perm("command.set_board_target", region):
        raise PermissionDenied
    value = parse_rate(rate)
    found = (
        BoardTarget.objects.select_for_update().filter(framework=framework, region=region).first()
    )
    before = audit.snapshot(found, ["rate"]) if found is not None else None
    if found is None:
        found = BoardTarget(framework=framework, region=region)
    found.rate = value
    found.updated_by = actor
    found.save()
    audit.record(
        actor,
        AuditAction.UPDATE if before is not None else AuditAction.CREATE,
        found,
        before=before or {"rate": ""},
        after=audit.snapshot(found, ["rate"]),
        object_repr=f"{framework.name} · {region.name} · {value} %",
    )
    return found
