"""Each step of the workflow (../shared/domain.md §6) as one function over :func:`transition`.

``actor`` is the user acting, or None for the system (a scheduled job, an inspection finding
dispatched automatically). Every function raises CaseError subclasses with a message for the
user and leaves the case unchanged when it refuses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain import clock
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError
from chuangcheng.cases.domain.workflow import log_event, transition
from chuangcheng.cases.enums import (
    OPEN_AT_UNIT,
    CaseAction,
    CaseStatus,
    ExtensionStatus,
    PhotoStage,
    Priority,
)
from chuangcheng.cases.models import Case, CaseAssignment, Category, ExtensionRequest, Photo
from chuangcheng.orgs.models import Unit

A = CaseAction


def register(
    case: Case,
    *,
    actor: Any,
    category: Category | None = None,
    priority: str | None = None,
    note: str = "",
) -> Case:
    """立案: accept a report as a case, confirming (or correcting) its category."""
    category = category or case.category
    if category is None:
        raise CaseValidationError({"category": [_("Choose a category before registering.")]})
    if category.is_class:
        raise CaseValidationError({"category": [_("Choose a subclass, not a class.")]})
    changes: dict[str, Any] = {"category": category, "registered_at": timezone.now()}
    if priority:
        changes["priority"] = priority
    elif category.urgent:
        changes["priority"] = Priority.URGENT
    return transition(case, A.REGISTER, actor=actor, note=note, changes=changes)


def reject(case: Case, *, actor: Any, reason: str) -> Case:
    """不予立案: the report is not a case; the reason is required and shown to the reporter."""
    if not reason.strip():
        raise CaseValidationError({"reason": [_("Give the reason for not registering.")]})
    return transition(case, A.REJECT, actor=actor, note=reason.strip())


def merge(case: Case, *, actor: Any, into: Case, note: str = "") -> Case:
    """Mark a new report as a duplicate of an open case; its photos join that case."""
    if into.pk == case.pk:
        raise CaseValidationError({"into": [_("A case cannot duplicate itself.")]})
    if into.duplicate_of_id:
        into = into.duplicate_of  # type: ignore[assignment]
    with transaction.atomic():
        transition(
            case,
            A.MERGE,
            actor=actor,
            note=note or into.number,
            changes={"duplicate_of": into},
            data={"into": into.number},
        )
        Photo.objects.filter(case=case).update(case=into)
    return case


def dispatch(
    case: Case,
    *,
    actor: Any,
    lead: Unit,
    partners: Sequence[Unit] = (),
    due_at: dt.datetime | None = None,
    note: str = "",
) -> Case:
    """派遣 to a lead unit (主办) and optional partner units (协办). The clock starts now; the
    deadline comes from the category unless the office sets one."""
    now = timezone.now()
    due = due_at or clock.handle_due(case.category, now)
    if due <= now:
        raise CaseValidationError({"due_at": [_("The deadline must be in the future.")]})
    units = [lead, *[u for u in partners if u.pk != lead.pk]]
    with transaction.atomic():
        transition(
            case,
            A.DISPATCH,
            actor=actor,
            note=note,
            unit=lead,
            changes={"dispatched_at": now, "due_at": due},
            data={"units": [u.name for u in units], "due_at": due.isoformat()},
        )
        CaseAssignment.objects.filter(case=case).delete()
        CaseAssignment.objects.bulk_create(
            CaseAssignment(case=case, unit=u, lead=(i == 0), dispatched_at=now)
            for i, u in enumerate(units)
        )
        case._assigned_unit_ids = tuple(u.pk for u in units)
    return case


def register_and_dispatch(
    case: Case,
    *,
    actor: Any,
    lead: Unit,
    partners: Sequence[Unit] = (),
    category: Category | None = None,
    note: str = "",
) -> Case:
    """立案 and 派遣 in one go, as a clerk usually does."""
    with transaction.atomic():
        register(case, actor=actor, category=category, note=note)
        return dispatch(case, actor=actor, lead=lead, partners=partners)


def feedback(
    case: Case,
    *,
    actor: Any,
    unit: Unit,
    text: str,
    photos: Sequence[Photo] = (),
) -> Case:
    """处置/反馈: the unit reports the problem handled, with after-photos."""
    if not text.strip():
        raise CaseValidationError({"text": [_("Describe what was done.")]})
    assignment = CaseAssignment.objects.filter(case=case, unit=unit).first()
    if assignment is None:
        raise CaseError(_("This case was not dispatched to %(unit)s.") % {"unit": unit.name})
    now = timezone.now()
    with transaction.atomic():
        transition(
            case,
            A.FEEDBACK,
            actor=actor,
            note=text.strip(),
            unit=unit,
            changes={"feedback_at": now},
            data={"photos": [p.pk for p in photos]},
        )
        CaseAssignment.objects.filter(pk=assignment.pk).update(
            feedback=text.strip(), feedback_at=now
        )
        Photo.objects.filter(pk__in=[p.pk for p in photos]).update(
            case=case, stage=PhotoStage.AFTER
        )
    return case


def verify(
    case: Case,
    *,
    actor: Any,
    passed: bool,
    note: str = "",
    photos: Sequence[Photo] = (),
) -> Case:
    """核查: passing closes the case (结案); failing sends it back to the units (返工), counted,
    with the deadline unchanged — the unit's lateness stays theirs."""
    if not passed and not note.strip():
        raise CaseValidationError({"note": [_("Say what is still wrong.")]})
    now = timezone.now()
    with transaction.atomic():
        if passed:
            on_time = case.feedback_at is not None and (
                case.due_at is None or case.feedback_at <= case.due_at
            )
            transition(
                case,
                A.PASS,
                actor=actor,
                note=note,
                changes={"closed_at": now, "closed_on_time": on_time},
                data={"photos": [p.pk for p in photos]},
            )
        else:
            transition(
                case,
                A.FAIL,
                actor=actor,
                note=note.strip(),
                changes={"rework_count": case.rework_count + 1, "feedback_at": None},
                data={"photos": [p.pk for p in photos]},
            )
        Photo.objects.filter(pk__in=[p.pk for p in photos]).update(
            case=case, stage=PhotoStage.RECHECK
        )
    return case


def suspend(case: Case, *, actor: Any, reason: str) -> Case:
    """缓办: the problem cannot be handled now (e.g. waits for a project); the clock stops."""
    if not reason.strip():
        raise CaseValidationError({"reason": [_("Give the reason for suspending.")]})
    return transition(
        case, A.SUSPEND, actor=actor, note=reason.strip(), changes={"was_suspended": True}
    )


def resume(case: Case, *, actor: Any, due_at: dt.datetime | None = None, note: str = "") -> Case:
    """Take a suspended case up again with a fresh deadline."""
    now = timezone.now()
    due = due_at or clock.handle_due(case.category, now)
    if not case.assignments.exists():
        raise CaseError(_("This case was never dispatched; reopen and dispatch it instead."))
    return transition(case, A.RESUME, actor=actor, note=note, changes={"due_at": due})


def reopen(case: Case, *, actor: Any, reason: str) -> Case:
    """Reopen a closed or rejected case; it must be dispatched again."""
    if not reason.strip():
        raise CaseValidationError({"reason": [_("Give the reason for reopening.")]})
    return transition(
        case,
        A.REOPEN,
        actor=actor,
        note=reason.strip(),
        changes={"closed_at": None, "closed_on_time": None, "registered_at": timezone.now()},
    )


def ask_extension(
    case: Case, *, actor: Any, unit: Unit, new_due_at: dt.datetime, reason: str
) -> ExtensionRequest:
    """延期: a unit working on the case asks for a later deadline."""
    errors: dict[str, list[str]] = {}
    if case.status not in OPEN_AT_UNIT:
        raise CaseError(_("Only a case being handled can be extended."))
    if not reason.strip():
        errors["reason"] = [_("Give the reason for the extension.")]
    if case.due_at and new_due_at <= case.due_at:
        errors["new_due_at"] = [_("The new deadline must be later than the current one.")]
    if case.extensions.filter(status=ExtensionStatus.ASKED).exists():
        errors["new_due_at"] = [_("An extension is already waiting for a decision.")]
    if errors:
        raise CaseValidationError(errors)
    with transaction.atomic():
        log_event(
            case,
            A.EXTENSION_ASKED,
            actor=actor,
            unit=unit,
            note=reason.strip(),
            data={"new_due_at": new_due_at.isoformat()},
        )
        return ExtensionRequest.objects.create(
            case=case,
            unit=unit,
            asked_by=actor if getattr(actor, "is_authenticated", False) else None,
            asked_at=timezone.now(),
            reason=reason.strip(),
            new_due_at=new_due_at,
        )


def decide_extension(
    request: ExtensionRequest, *, actor: Any, grant: bool, note: str = ""
) -> ExtensionRequest:
    """The office grants (the deadline moves) or refuses an extension request."""
    if request.status != ExtensionStatus.ASKED:
        raise CaseError(_("This request was already decided."))
    case = request.case
    now = timezone.now()
    with transaction.atomic():
        if grant:
            log_event(
                case,
                A.EXTENSION_GRANTED,
                actor=actor,
                unit=request.unit,
                note=note,
                changes={"due_at": request.new_due_at, "extension_count": case.extension_count + 1},
            )
        else:
            log_event(case, A.EXTENSION_REFUSED, actor=actor, unit=request.unit, note=note)
        updated = ExtensionRequest.objects.filter(
            pk=request.pk, status=ExtensionStatus.ASKED
        ).update(
            status=ExtensionStatus.GRANTED if grant else ExtensionStatus.REFUSED,
            decided_by=actor if getattr(actor, "is_authenticated", False) else None,
            decided_at=now,
            decision_note=note,
        )
        if updated != 1:
            raise CaseError(_("This request was already decided."))
    request.refresh_from_db()
    return request


def escalate(case: Case, *, now: dt.datetime | None = None) -> bool:
    """督办: flag an overdue case once. Returns whether it was newly flagged; the caller
    notifies the units' heads and contacts."""
    now = now or timezone.now()
    if case.escalated_at is not None or not clock.is_overdue(case, now):
        return False
    log_event(case, A.ESCALATE, actor=None, changes={"escalated_at": now}, at=now)
    return True


STATUS_AFTER_INTAKE = CaseStatus.REPORTED
