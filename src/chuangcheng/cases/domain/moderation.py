"""Moderation: nothing reaches the public (other people's pages, Open311) before the office
covering the case has looked at it. Photos are shown publicly only as their face-blurred,
metadata-free copy (:mod:`.public_copy`), and only once approved; cases likewise.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain.errors import CaseError
from chuangcheng.cases.domain.workflow import log_event
from chuangcheng.cases.enums import CaseAction, Moderation
from chuangcheng.cases.models import Case, Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction


def moderated_cases(user: Any) -> QuerySet[Case]:
    """Cases in the regions where ``user`` works for the civilization office: the ones whose
    public display they decide."""
    scope = scope_of(user)
    if scope.everything:
        return Case.objects.all()
    cond = Q(pk__in=[])
    for prefix in scope.role_prefixes.get(Role.OFFICE, ()):
        cond |= Q(region__path__startswith=prefix)
    return Case.objects.filter(cond)


def photo_queue(user: Any) -> QuerySet[Photo]:
    """Photos of the user's cases awaiting a decision, oldest first."""
    return (
        Photo.objects.filter(moderation=Moderation.PENDING, case__in=moderated_cases(user))
        .select_related("case")
        .order_by("uploaded_at", "pk")
    )


def case_queue(user: Any) -> QuerySet[Case]:
    """The user's cases whose public display is undecided, oldest first."""
    return (
        moderated_cases(user)
        .filter(public=Moderation.PENDING)
        .select_related("category")
        .order_by("reported_at", "pk")
    )


def moderate_photo(photo: Photo, *, actor: Any, approve: bool, note: str = "") -> Photo:
    """Approve or refuse the public display of a photo; audited. Approval needs the public copy
    (faces blurred, metadata removed) to exist. Of two moderators deciding at once, the first
    wins and the second is told."""
    case = photo.case
    if case is None or not actor.has_perm("cases.moderate", case):
        raise PermissionDenied(_("You may not moderate this photo."))
    object_repr = _("Photo of case %(number)s") % {"number": case.number}
    return decide_display(photo, actor=actor, approve=approve, object_repr=object_repr, note=note)


def decide_display(
    photo: Photo, *, actor: Any, approve: bool, object_repr: str, note: str = ""
) -> Photo:
    """Record the decision on ``photo``'s public display once the caller checked who may make
    it (case photos: the street's office; practice evidence: station staff); audited. Approval
    needs the public copy; of two people deciding at once, the first wins (:class:`CaseError`)."""
    if approve and not photo.public_image:
        raise CaseError(_("The public copy of this photo is not ready yet; try again shortly."))
    before = photo.moderation
    after = Moderation.APPROVED if approve else Moderation.REJECTED
    updated = Photo.objects.filter(pk=photo.pk, moderation=before).update(moderation=after)
    if updated != 1:
        raise CaseError(_("Someone else decided on this photo a moment ago."))
    photo.moderation = after
    audit.record(
        actor,
        AuditAction.UPDATE,
        photo,
        before={"moderation": before},
        after={"moderation": after},
        object_repr=object_repr,
        note=note,
    )
    return photo


def moderate_case(case: Case, *, actor: Any, approve: bool) -> Case:
    """Approve or refuse the public display of a case (its category, place and status, never
    the reporter); recorded on the timeline and audited, under the case's version check."""
    if not actor.has_perm("cases.moderate", case):
        raise PermissionDenied(_("You may not moderate this case."))
    if approve:
        return log_event(
            case, CaseAction.PUBLISH, actor=actor, changes={"public": Moderation.APPROVED}
        )
    return log_event(
        case,
        CaseAction.COMMENT,
        actor=actor,
        changes={"public": Moderation.REJECTED},
        note=_("Not for public display."),
    )
