"""Planning a round: create or change a draft, draw it again, open it, finish it.

Every function checks the actor's permission, validates, writes and audits in one transaction;
a refused change writes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections.domain import checklist
from chuangcheng.inspections.domain.draw import DrawReport, describe, draw, new_seed
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.enums import RoundKind, RoundStatus
from chuangcheng.inspections.models import Round, RoundQuota
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region

MAX_QUOTA = 500
PLANNABLE_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET)


@dataclass
class RoundData:
    """What the office sets for a round. ``quotas`` maps point-type id → points to draw."""

    name: str
    kind: str
    framework: Framework
    region: Region
    period_start: dt.date
    period_end: dt.date
    quotas: dict[int, int] = field(default_factory=dict)
    inspectors: Sequence[User] = ()
    stratify_by_street: bool = False
    avoid_own_street: bool = False
    repeat_monthly: bool = False
    seed: int | None = None  # a fresh random seed when None (set only to replay a known draw)


def ancestor_paths(region: Region) -> list[str]:
    """``110101/110101001/`` → ``["110101/", "110101/110101001/"]``."""
    parts = region.path.strip("/").split("/")
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts) + 1)]


def eligible_inspectors(region: Region) -> Any:
    """Active users holding the inspector role over a region that contains ``region`` (1 query
    when evaluated), ordered by name."""
    granted = Grant.objects.filter(
        role=Role.INSPECTOR, region__path__in=ancestor_paths(region)
    ).values("user_id")
    return (
        User.objects.filter(pk__in=granted, is_active=True)
        .select_related("home_region")
        .order_by("username")
    )


def validate(data: RoundData, clauses: list[checklist.Clause]) -> None:
    """Raise InspectionValidationError naming every field that is wrong."""
    errors: dict[str, list[str]] = {}
    if not data.name.strip():
        errors["name"] = [_("Give the round a name.")]
    if data.kind not in RoundKind.values:
        errors["kind"] = [_("Choose a mock assessment or a routine check.")]
    if data.framework.status != FrameworkStatus.ACTIVE:
        errors["framework"] = [_("Choose a framework that is in force.")]
    if data.region.level not in PLANNABLE_LEVELS:
        errors["region"] = [_("Choose the district or one of its streets.")]
    if data.period_end < data.period_start:
        errors["period_end"] = [_("The period ends before it starts.")]
    useful = checklist.point_type_ids(clauses)
    bad_types = [t for t, n in data.quotas.items() if n and t not in useful]
    if bad_types:
        errors["quotas"] = [
            _("Only point types checked in the field by this framework can be drawn.")
        ]
    elif any(n < 0 or n > MAX_QUOTA for n in data.quotas.values()):
        errors["quotas"] = [_("Draw between 0 and %(max)d points of a type.") % {"max": MAX_QUOTA}]
    elif not any(data.quotas.values()):
        errors["quotas"] = [_("Draw at least one point.")]
    if not data.inspectors:
        errors["inspectors"] = [_("Choose at least one inspector.")]
    else:
        allowed = {u.pk for u in eligible_inspectors(data.region)}
        outside = [str(u) for u in data.inspectors if u.pk not in allowed]
        if outside:
            errors["inspectors"] = [
                _("%(names)s may not inspect in %(region)s.")
                % {"names": "、".join(outside), "region": data.region.name}
            ]
    if errors:
        raise InspectionValidationError(errors)


def state(round_: Round) -> dict[str, Any]:
    """The audited state: the round's fields, its quotas by type code and its inspectors."""
    snap = audit.snapshot(round_)
    snap["quotas"] = dict(round_.quotas.values_list("point_type__code", "count"))
    snap["inspectors"] = sorted(round_.inspectors.values_list("username", flat=True))
    return snap


def _require_plan(actor: Any, target: Round | Region) -> None:
    if actor is not None and not actor.has_perm("inspections.plan_round", target):
        raise PermissionDenied(_("You may not plan inspection rounds there."))


def _write_settings(round_: Round, data: RoundData) -> None:
    round_.name = data.name.strip()
    round_.kind = data.kind
    round_.framework = data.framework
    round_.region = data.region
    round_.period_start = data.period_start
    round_.period_end = data.period_end
    round_.stratify_by_street = data.stratify_by_street
    round_.avoid_own_street = data.avoid_own_street
    round_.repeat_monthly = data.repeat_monthly
    round_.save()
    RoundQuota.objects.filter(round=round_).delete()
    RoundQuota.objects.bulk_create(
        RoundQuota(round=round_, point_type_id=t, count=n) for t, n in data.quotas.items() if n
    )
    round_.inspectors.set(list(data.inspectors))


def create_round(data: RoundData, *, actor: Any) -> tuple[Round, DrawReport]:
    """A new draft round with a fresh seed, drawn at once."""
    _require_plan(actor, data.region)
    validate(data, checklist.field_clauses(data.framework))
    with transaction.atomic():
        round_ = Round(
            seed=data.seed if data.seed is not None else new_seed(),
            status=RoundStatus.DRAFT,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        _write_settings(round_, data)
        report = draw(round_)
        audit.record(
            actor, AuditAction.CREATE, round_, after=state(round_), note=str(describe(report))
        )
    return round_, report


def _locked(round_: Round, expected: str) -> Round:
    """The round re-read under a row lock; refused unless it is in the ``expected`` state."""
    fresh = Round.objects.select_for_update().select_related("region").get(pk=round_.pk)
    if fresh.status != expected:
        messages = {
            RoundStatus.DRAFT: _("Only a draft round can be changed or drawn again."),
            RoundStatus.OPEN: _("Only a round in the field can be finished."),
        }
        raise InspectionError(messages[RoundStatus(expected)])
    return fresh


def update_round(round_: Round, data: RoundData, *, actor: Any) -> tuple[Round, DrawReport]:
    """Change a draft's settings and draw it again with the same seed."""
    _require_plan(actor, round_)
    _require_plan(actor, data.region)
    validate(data, checklist.field_clauses(data.framework))
    with transaction.atomic():
        fresh = _locked(round_, RoundStatus.DRAFT)
        before = state(fresh)
        _write_settings(fresh, data)
        report = _draw_recorded(fresh, actor, before, state)
    return fresh, report


def redraw(round_: Round, *, actor: Any) -> tuple[Round, DrawReport]:
    """Draw a draft again with a new seed."""
    _require_plan(actor, round_)
    with transaction.atomic():
        fresh = _locked(round_, RoundStatus.DRAFT)
        before = {"seed": fresh.seed}
        fresh.seed = new_seed()
        fresh.save(update_fields=["seed"])
        report = _draw_recorded(fresh, actor, before, lambda r: {"seed": r.seed})
    return fresh, report


def _draw_recorded(
    round_: Round,
    actor: Any,
    before: dict[str, Any],
    after: Callable[[Round], dict[str, Any]],
) -> DrawReport:
    """Draw ``round_`` and audit the change with what the draw found."""
    report = draw(round_)
    audit.record(
        actor,
        AuditAction.UPDATE,
        round_,
        before=before,
        after=after(round_),
        note=str(describe(report)),
    )
    return report


def open_round(round_: Round, *, actor: Any) -> Round:
    """Send a drawn draft to its inspectors."""
    _require_plan(actor, round_)
    with transaction.atomic():
        fresh = _locked(round_, RoundStatus.DRAFT)
        if not fresh.round_points.exists():
            raise InspectionError(_("No points were drawn: change the quotas first."))
        _set_status(fresh, RoundStatus.OPEN, actor)
    return fresh


def finish_round(round_: Round, *, actor: Any) -> Round:
    """Close a round in the field; no more inspections are taken for it."""
    _require_plan(actor, round_)
    with transaction.atomic():
        fresh = _locked(round_, RoundStatus.OPEN)
        _set_status(fresh, RoundStatus.CLOSED, actor)
    return fresh


def _set_status(round_: Round, status: str, actor: Any) -> None:
    before = round_.status
    round_.status = status
    round_.save(update_fields=["status"])
    audit.record(
        actor, AuditAction.UPDATE, round_, before={"status": before}, after={"status": status}
    )
