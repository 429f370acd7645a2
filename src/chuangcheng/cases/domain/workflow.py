"""The one place a case changes state.

:func:`transition` looks the edge up in :data:`~chuangcheng.cases.enums.TRANSITIONS`, checks the
actor's permission, writes the new state with ``UPDATE … WHERE version = seen`` (so of two clerks
acting on the same case at once exactly one succeeds), appends the timeline event and the audit
entry — all in one transaction. The action functions in :mod:`chuangcheng.cases.domain.actions`
add each step's own checks and fields on top.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.errors import StaleCaseError, TransitionRefusedError
from chuangcheng.cases.enums import TRANSITIONS, CaseAction, CaseStatus
from chuangcheng.cases.models import Case, CaseEvent
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction

# The permission each action needs; the system (actor None) may do anything.
ACTION_PERMS: dict[str, str] = {
    CaseAction.REGISTER: "cases.manage_case",
    CaseAction.REJECT: "cases.manage_case",
    CaseAction.MERGE: "cases.manage_case",
    CaseAction.DISPATCH: "cases.manage_case",
    CaseAction.FEEDBACK: "cases.handle_case",
    CaseAction.PASS: "cases.manage_case",
    CaseAction.FAIL: "cases.manage_case",
    CaseAction.SUSPEND: "cases.manage_case",
    CaseAction.RESUME: "cases.manage_case",
    CaseAction.REOPEN: "cases.manage_case",
    CaseAction.EXTENSION_ASKED: "cases.handle_case",
    CaseAction.EXTENSION_GRANTED: "cases.manage_case",
    CaseAction.EXTENSION_REFUSED: "cases.manage_case",
    CaseAction.PUBLISH: "cases.manage_case",
    # Leaders and residents read cases; comments come from those who work on them.
    CaseAction.COMMENT: "cases.handle_case",
}

AUDITED = (
    "status",
    "category_id",
    "priority",
    "due_at",
    "dispatched_at",
    "feedback_at",
    "closed_at",
    "closed_on_time",
    "rework_count",
    "extension_count",
    "was_suspended",
    "duplicate_of_id",
    "escalated_at",
    "public",
)


def next_status(action: str, status: str) -> str | None:
    """The state ``action`` leads to from ``status``, or None when the edge does not exist."""
    return TRANSITIONS.get((action, status))


def allowed_actions(case: Case) -> list[str]:
    """The state-changing actions that exist from the case's current state."""
    return [a for (a, s) in TRANSITIONS if s == case.status]


def check_permission(actor: Any, action: str, case: Case) -> None:
    """Raise PermissionDenied unless ``actor`` may take ``action`` on ``case``."""
    if actor is None:
        return
    perm = ACTION_PERMS.get(action, "cases.manage_case")
    if not actor.has_perm(perm, case):
        raise PermissionDenied(_("You may not do this to this case."))


def may(actor: Any, action: str, case: Case) -> bool:
    """Whether ``actor`` holds the permission ``action`` needs on ``case`` (state aside)."""
    if actor is None:
        return True
    return bool(actor.has_perm(ACTION_PERMS.get(action, "cases.manage_case"), case))


def require(case: Case, action: str, *, actor: Any) -> str:
    """Refuse early, before any validation or upload: PermissionDenied when the actor may not
    act, TransitionRefusedError when the edge does not exist. Returns the target state."""
    check_permission(actor, action, case)
    to = next_status(action, case.status)
    if to is None:
        raise TransitionRefusedError(refusal(action, case.status))
    return to


def expect_version(case: Case, seen: int | None) -> None:
    """Refuse with StaleCaseError when the client acted on an older copy than ``case``: a clerk
    who looked at the case before someone else changed it must look again, whatever the step."""
    if seen is not None and seen != case.version:
        raise StaleCaseError(stale_message())


def stale_message() -> str:
    return _("Someone else changed this case a moment ago. Reload it and try again.")


def refusal(action: str, status: str) -> str:
    return _("“%(action)s” is not possible while the case is “%(status)s”.") % {
        "action": CaseAction(action).label,
        "status": CaseStatus(status).label,
    }


def transition(
    case: Case,
    action: str,
    *,
    actor: Any,
    note: str = "",
    changes: dict[str, Any] | None = None,
    unit: Any = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """Move ``case`` along the edge ``action`` and write ``changes`` with it.

    Raises TransitionRefusedError when the edge does not exist from the current state,
    StaleCaseError when the case changed since it was read, PermissionDenied when the actor may
    not act.
    """
    to = require(case, action, actor=actor)
    return _write(
        case, action, to, actor=actor, note=note, changes=changes, unit=unit, data=data, at=at
    )


def log_event(
    case: Case,
    action: str,
    *,
    actor: Any,
    note: str = "",
    changes: dict[str, Any] | None = None,
    unit: Any = None,
    data: dict[str, Any] | None = None,
    at: dt.datetime | None = None,
) -> Case:
    """Record a step that keeps the state (an extension, an escalation, a comment), writing
    ``changes`` under the same version check as a transition."""
    check_permission(actor, action, case)
    return _write(
        case,
        action,
        case.status,
        actor=actor,
        note=note,
        changes=changes,
        unit=unit,
        data=data,
        at=at,
    )


def _write(
    case: Case,
    action: str,
    to: str,
    *,
    actor: Any,
    note: str,
    changes: dict[str, Any] | None,
    unit: Any,
    data: dict[str, Any] | None,
    at: dt.datetime | None,
) -> Case:
    now = at or timezone.now()
    changes = dict(changes or {})
    before = audit.snapshot(case, AUDITED)
    from_status = case.status
    with transaction.atomic():
        updated = Case.objects.filter(pk=case.pk, version=case.version, status=from_status).update(
            status=to, version=F("version") + 1, updated_at=now, **changes
        )
        if updated != 1:
            raise StaleCaseError(stale_message())
        for name, value in changes.items():
            setattr(case, name, value)
        case.status = to
        case.version += 1
        user = actor if getattr(actor, "is_authenticated", False) else None
        CaseEvent.objects.create(
            case=case,
            at=now,
            actor=user,
            actor_name=(str(user) if user else _("System")),
            action=action,
            from_status=from_status,
            to_status=to,
            unit=unit,
            note=note,
            data=data or {},
        )
        audit.record(
            actor,
            AuditAction.UPDATE,
            case,
            before=before,
            after=audit.snapshot(case, AUDITED),
            note=f"{action}: {note}"[:500] if note else str(action),
        )
    return case
