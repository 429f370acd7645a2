"""Each step of the workflow (../shared/domain.md §6) as one function over :func:`transition`.

``actor`` is the user acting, or None for the system (a scheduled job, an inspection finding
dispatched automatically). Every function raises CaseError subclasses with a message for the
user and leaves the case unchanged when it refuses. The order of refusals is fixed: first
permission, then whether the step exists from the current state, then the input — so a clerk
on a closed case is told it is closed, not that a field is empty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain import clock
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError
from chuangcheng.cases.domain.workflow import check_permission, log_event, require, transition
from chuangcheng.cases.enums import (
    FINAL_STATES,
    OPEN_AT_UNIT,
    OPEN_STATES,
    CaseAction,
    ExtensionStatus,
    PhotoStage,
    Priority,
)
from chuangcheng.cases.models import Case, CaseAssignment, Category, ExtensionRequest, Photo
from chuangcheng.orgs.models import Unit

A = CaseAction
MAX_NOTE = 2000
MAX_PHOTOS = 9


def _text(value: str, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise CaseValidationError({field: [message]})
    if len(text) > MAX_NOTE:
        raise CaseValidationError(
            {field: [_("Keep this under %(n)d characters.") % {"n": MAX_NOTE}]}
        )
    return text


def _check_category(category: Category | None) -> Category:
    if category is None:
        raise CaseValidationError({"category": [_("Choose a category before registering.")]})
    if category.is_class:
        raise CaseValidationError({"category": [_("Choose a subclass, not a class.")]})
    if not category.active:
        raise CaseValidationError({"category": [_("This category is no longer in use.")]})
    return category


def _check_due(due_at: dt.datetime | None, now: dt.datetime, field: str = "due_at") -> None:
    if due_at is not None and due_at <= now:
        raise CaseValidationError({field: [_("The deadline must be in the future.")]})


def acts_for(actor: Any, case: Case, unit: Unit) -> bool:
    """Whether ``actor`` may speak for ``unit`` on this case: the system, a user granted the
    unit (or a unit above it), or someone who runs the case (an office recording a call)."""
    if actor is None:
        return True
    scope = scope_of(actor)
    return (
        scope.everything or unit.pk in scope.unit_ids or actor.has_perm("cases.manage_case", case)
    )


def register(
    case: Case,
    *,
    actor: Any,
    category: Category | None = None,
    priority: str | None = None,
    note: str = "",
) -> Case:
    """立案: accept a report as a case, confirming (or correcting) its category. An emergency
    category makes the case urgent unless a priority is given."""
    require(case, A.REGISTER, actor=actor)
    category = _check_category(category or case.category)
    changes: dict[str, Any] = {"category": category, "registered_at": timezone.now()}
    if priority:
        changes["priority"] = priority
    elif category.urgent:
        changes["priority"] = Priority.URGENT
    return transition(case, A.REGISTER, actor=actor, note=note.strip(), changes=changes)


def reject(case: Case, *, actor: Any, reason: str) -> Case:
    """不予立案: the report is not a case; the reason is required and shown to the reporter."""
    require(case, A.REJECT, actor=actor)
    reason = _text(reason, "reason", _("Give the reason for not registering."))
    return transition(case, A.REJECT, actor=actor, note=reason)


def merge(case: Case, *, actor: Any, into: Case, note: str = "") -> Case:
    """Mark a new report as a duplicate of an open case; its photos join that case. The merged
    report keeps its reporter, who follows the case it was merged into."""
    require(case, A.MERGE, actor=actor)
    if into.duplicate_of_id:
        into = into.duplicate_of  # type: ignore[assignment]
    if into.pk == case.pk:
        raise CaseValidationError({"into": [_("A case cannot duplicate itself.")]})
    if into.status not in OPEN_STATES:
        raise CaseValidationError(
            {"into": [_("Case %(number)s is no longer open.") % {"number": into.number}]}
        )
    check_permission(actor, A.MERGE, into)
    with transaction.atomic():
        transition(
            case,
            A.MERGE,
            actor=actor,
            note=note.strip() or into.number,
            changes={"duplicate_of": into},
            data={"into": into.number},
        )
        Photo.objects.filter(case=case).update(case=into)
    return case


def _assign(
    case: Case,
    *,
    actor: Any,
    action: str,
    lead: Unit,
    partners: Sequence[Unit],
    due_at: dt.datetime | None,
    note: str,
    extra: dict[str, Any] | None = None,
) -> Case:
    """Write the edge ``action`` (dispatch, or resume of a never-dispatched case) together with
    the assignments: the lead first, then the partners, each unit once."""
    now = timezone.now()
    _check_due(due_at, now)
    inactive = [u.name for u in (lead, *partners) if not u.active]
    if inactive:
        raise CaseValidationError(
            {"lead": [_("No longer active: %(units)s.") % {"units": "、".join(inactive)}]}
        )
    due = due_at or clock.handle_due(case.category, now)
    units = [lead]
    for u in partners:
        if all(u.pk != seen.pk for seen in units):
            units.append(u)
    with transaction.atomic():
        transition(
            case,
            action,
            actor=actor,
            note=note.strip(),
            unit=lead,
            changes={"dispatched_at": now, "due_at": due, "feedback_at": None, **(extra or {})},
            data={"units": [u.name for u in units], "due_at": due.isoformat()},
        )
        CaseAssignment.objects.filter(case=case).delete()
        CaseAssignment.objects.bulk_create(
            CaseAssignment(case=case, unit=u, lead=(i == 0), dispatched_at=now)
            for i, u in enumerate(units)
        )
        case._assigned_unit_ids = tuple(u.pk for u in units)
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
    require(case, A.DISPATCH, actor=actor)
    return _assign(
        case, actor=actor, action=A.DISPATCH, lead=lead, partners=partners, due_at=due_at, note=note
    )


def register_and_dispatch(
    case: Case,
    *,
    actor: Any,
    lead: Unit,
    partners: Sequence[Unit] = (),
    category: Category | None = None,
    due_at: dt.datetime | None = None,
    priority: str | None = None,
    note: str = "",
) -> Case:
    """立案 and 派遣 in one go, as a clerk usually does; both steps or neither."""
    _check_due(due_at, timezone.now())
    with transaction.atomic():
        register(case, actor=actor, category=category, priority=priority, note=note)
        return dispatch(case, actor=actor, lead=lead, partners=partners, due_at=due_at)


def feedback(
    case: Case,
    *,
    actor: Any,
    unit: Unit,
    text: str,
    photos: Sequence[Photo] = (),
) -> Case:
    """处置/反馈 with after-photos. The lead unit's feedback sends the case to the office's
    re-check; a partner unit's feedback is recorded on its assignment and the timeline and
    leaves the state alone (the lead answers for the case)."""
    require(case, A.FEEDBACK, actor=actor)
    text = _text(text, "text", _("Describe what was done."))
    assignment = CaseAssignment.objects.filter(case=case, unit=unit).first()
    if assignment is None:
        raise CaseError(_("This case was not dispatched to %(unit)s.") % {"unit": unit.name})
    if not acts_for(actor, case, unit):
        raise CaseError(_("You do not act for %(unit)s.") % {"unit": unit.name})
    now = timezone.now()
    photo_ids = [p.pk for p in photos]
    with transaction.atomic():
        if assignment.lead:
            transition(
                case,
                A.FEEDBACK,
                actor=actor,
                note=text,
                unit=unit,
                changes={"feedback_at": now},
                data={"photos": photo_ids},
            )
        else:
            log_event(
                case,
                A.COMMENT,
                actor=actor,
                note=text,
                unit=unit,
                data={"photos": photo_ids, "partner_feedback": True},
            )
        CaseAssignment.objects.filter(pk=assignment.pk).update(feedback=text, feedback_at=now)
        Photo.objects.filter(pk__in=photo_ids).update(case=case, stage=PhotoStage.AFTER)
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
    require(case, A.PASS if passed else A.FAIL, actor=actor)
    if not passed:
        note = _text(note, "note", _("Say what is still wrong."))
    note = note.strip()
    now = timezone.now()
    photo_ids = [p.pk for p in photos]
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
                data={"photos": photo_ids},
            )
        else:
            transition(
                case,
                A.FAIL,
                actor=actor,
                note=note,
                changes={"rework_count": case.rework_count + 1, "feedback_at": None},
                data={"photos": photo_ids},
            )
        Photo.objects.filter(pk__in=photo_ids).update(case=case, stage=PhotoStage.RECHECK)
    return case


def suspend(case: Case, *, actor: Any, reason: str) -> Case:
    """缓办: the problem cannot be handled now (e.g. waits for a project); the clock stops."""
    require(case, A.SUSPEND, actor=actor)
    reason = _text(reason, "reason", _("Give the reason for suspending."))
    return transition(case, A.SUSPEND, actor=actor, note=reason, changes={"was_suspended": True})


def resume(
    case: Case,
    *,
    actor: Any,
    due_at: dt.datetime | None = None,
    note: str = "",
    lead: Unit | None = None,
    partners: Sequence[Unit] = (),
) -> Case:
    """Take a suspended case up again with a fresh deadline. A case suspended before it was
    ever dispatched goes to the ``lead`` unit given now (without one it would be stuck)."""
    require(case, A.RESUME, actor=actor)
    if lead is not None or not case.assignments.exists():
        if lead is None:
            raise CaseValidationError(
                {"lead": [_("This case was never dispatched: choose the unit to handle it.")]}
            )
        return _assign(
            case,
            actor=actor,
            action=A.RESUME,
            lead=lead,
            partners=partners,
            due_at=due_at,
            note=note,
        )
    now = timezone.now()
    _check_due(due_at, now)
    due = due_at or clock.handle_due(case.category, now)
    return transition(case, A.RESUME, actor=actor, note=note.strip(), changes={"due_at": due})


def reopen(case: Case, *, actor: Any, reason: str, category: Category | None = None) -> Case:
    """Reopen a closed or rejected case; it must be dispatched again. The old deadline, handling
    time and escalation are cleared so the next round is measured on its own; the rework count
    stays. A case rejected before it had a category needs one now."""
    require(case, A.REOPEN, actor=actor)
    reason = _text(reason, "reason", _("Give the reason for reopening."))
    category = _check_category(category or case.category)
    return transition(
        case,
        A.REOPEN,
        actor=actor,
        note=reason,
        changes={
            "category": category,
            "closed_at": None,
            "closed_on_time": None,
            "registered_at": timezone.now(),
            "due_at": None,
            "feedback_at": None,
            "escalated_at": None,
        },
    )


def comment(case: Case, *, actor: Any, text: str) -> Case:
    """A note on the timeline from someone working on the case; the state stays."""
    check_permission(actor, A.COMMENT, case)
    text = _text(text, "text", _("Write the comment."))
    return log_event(case, A.COMMENT, actor=actor, note=text)


def ask_extension(
    case: Case, *, actor: Any, unit: Unit, new_due_at: dt.datetime, reason: str
) -> ExtensionRequest:
    """延期: a unit working on the case asks for a later deadline; one request at a time."""
    check_permission(actor, A.EXTENSION_ASKED, case)
    if case.status not in OPEN_AT_UNIT:
        raise CaseError(_("Only a case being handled can be extended."))
    if not case.assignments.filter(unit=unit).exists():
        raise CaseError(_("This case was not dispatched to %(unit)s.") % {"unit": unit.name})
    if not acts_for(actor, case, unit):
        raise CaseError(_("You do not act for %(unit)s.") % {"unit": unit.name})
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the extension.")]
    if new_due_at <= timezone.now():
        errors["new_due_at"] = [_("The deadline must be in the future.")]
    elif case.due_at and new_due_at <= case.due_at:
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
    """The office grants (the deadline moves) or refuses an extension request, once."""
    case = request.case
    check_permission(actor, A.EXTENSION_GRANTED if grant else A.EXTENSION_REFUSED, case)
    if request.status != ExtensionStatus.ASKED:
        raise CaseError(_("This request was already decided."))
    if case.status in FINAL_STATES:
        raise CaseError(_("The case is finished; the request can no longer be decided."))
    now = timezone.now()
    note = note.strip()
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


def with_photos[T](
    uploads: Sequence[tuple[str, bytes]],
    *,
    actor: Any,
    stage: str,
    step: Callable[[list[Photo]], T],
) -> T:
    """Store the uploaded photos (each checked by content) and run ``step`` with them, in one
    transaction. When a photo or the step is refused, no photo row and no file is left behind.
    Call the step's ``require`` first, so a refused step costs no upload work."""
    from chuangcheng.cases.domain.photos import store_photo

    if len(uploads) > MAX_PHOTOS:
        raise CaseValidationError(
            {"photos": [_("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS}]}
        )
    stored: list[Photo] = []
    try:
        with transaction.atomic():
            for name, data in uploads:
                try:
                    stored.append(store_photo(data, actor=actor, name=name, stage=stage))
                except CaseValidationError as exc:
                    raise CaseValidationError({"photos": exc.errors.get("photo", [])}) from exc
            return step(stored)
    except Exception:
        for photo in stored:
            photo.image.delete(save=False)
        raise


def feedback_with_uploads(
    case: Case, *, actor: Any, unit: Unit, text: str, uploads: Sequence[tuple[str, bytes]]
) -> Case:
    """处置反馈 with after-photos sent as (file name, bytes): refused before any photo is
    stored when the step is not possible, and leaving no photo behind when it is refused."""
    require(case, A.FEEDBACK, actor=actor)
    return with_photos(
        uploads,
        actor=actor,
        stage=PhotoStage.AFTER,
        step=lambda photos: feedback(case, actor=actor, unit=unit, text=text, photos=photos),
    )


def verify_with_uploads(
    case: Case, *, actor: Any, passed: bool, note: str, uploads: Sequence[tuple[str, bytes]]
) -> Case:
    """核查 with optional re-check photos, on the same terms as :func:`feedback_with_uploads`."""
    require(case, A.PASS if passed else A.FAIL, actor=actor)
    return with_photos(
        uploads,
        actor=actor,
        stage=PhotoStage.RECHECK,
        step=lambda photos: verify(case, actor=actor, passed=passed, note=note, photos=photos),
    )
