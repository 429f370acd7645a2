"""Review in levels (区初审 → 市复审 …): approve, or return with a comment.

A submitted attachment waits at ``level``. A reviewer of that level approves it (it moves to the
next level, or is approved for good after the last) or returns it with a comment (the unit then
uploads a new version, which starts again at level 1). The reviewers of a level hold its role over
the material's unit — and over the level's region when one is set — and nobody decides two levels
of the same version. Each decision is one transaction: a guarded update (state and level as read),
a :class:`Review` row, an audit entry and a notice to the unit's users.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.holders import unit_users
from chuangcheng.accounts.scope import scope_of
from chuangcheng.archives.enums import TRANSITIONS, AttachmentState, Decision
from chuangcheng.archives.models import Attachment, Review, ReviewLevel
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.models_messages import Level
from chuangcheng.core.notify import Notice, notify


def levels() -> list[ReviewLevel]:
    """The review levels in order, their regions loaded (one query)."""
    return list(ReviewLevel.objects.select_related("region").order_by("number"))


def last_level(all_levels: list[ReviewLevel]) -> int:
    return all_levels[-1].number if all_levels else 1


def reviews_level(user: Any, level: ReviewLevel, unit_path: str | None = None) -> bool:
    """Whether ``user`` reviews at ``level`` (for a unit at region ``unit_path`` when given)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    prefixes = scope.prefixes_for(level.role)
    if level.region is not None:
        prefixes = tuple(p for p in prefixes if level.region.path.startswith(p))
        if unit_path is not None and not unit_path.startswith(level.region.path):
            return False
    if unit_path is None:
        return bool(prefixes)
    return any(unit_path.startswith(p) for p in prefixes)


def levels_of(user: Any, all_levels: list[ReviewLevel] | None = None) -> list[ReviewLevel]:
    """The levels at which ``user`` reviews anything."""
    return [
        lv for lv in (all_levels if all_levels is not None else levels()) if reviews_level(user, lv)
    ]


def queue_q(user: Any, all_levels: list[ReviewLevel]) -> Q:
    """Attachments waiting at a level ``user`` reviews, for units in the regions they review."""
    scope = scope_of(user)
    cond = Q(pk__in=[])
    for lv in levels_of(user, all_levels):
        if scope.everything:
            cond |= Q(level=lv.number)
            continue
        region_q = scope.subtree_q("requirement__unit__region__path", lv.role)
        if lv.region is not None:
            region_q &= Q(requirement__unit__region__path__startswith=lv.region.path)
        cond |= Q(level=lv.number) & region_q
    return Q(state=AttachmentState.SUBMITTED) & cond


def may_decide(user: Any, attachment: Attachment, all_levels: list[ReviewLevel]) -> bool:
    """``user`` may approve or return ``attachment`` now (waiting at a level they review, and
    they did not decide an earlier level of the same version)."""
    if attachment.state != AttachmentState.SUBMITTED:
        return False
    level = next((lv for lv in all_levels if lv.number == attachment.level), None)
    if level is None:
        return False
    unit = attachment.requirement.unit
    path = unit.region.path if unit.region_id and unit.region else ""
    if not reviews_level(user, level, path):
        return False
    earlier = [r for r in _reviews_of(attachment) if r.version_id == attachment.version_id]
    return not any(r.reviewer_id == user.pk and r.level < attachment.level for r in earlier)


def _reviews_of(attachment: Attachment) -> list[Review]:
    cached = getattr(attachment, "_prefetched_objects_cache", {}).get("reviews")
    if cached is not None:
        return list(cached)
    return list(attachment.reviews.all())


def decide(
    *,
    actor: Any,
    attachment: Attachment,
    decision: str,
    comment: str = "",
    now: dt.datetime | None = None,
) -> Attachment:
    """Approve or return ``attachment`` at the level it waits at; see the module docstring."""
    now = now or timezone.now()
    comment = (comment or "").strip()
    all_levels = levels()
    if decision not in Decision.values:
        raise ValidationError({"decision": [_("Choose approve or return.")]})
    if decision not in TRANSITIONS[attachment.state]:
        raise ValidationError({"decision": [_("This material is not waiting for review.")]})
    if not may_decide(actor, attachment, all_levels):
        raise PermissionDenied
    if decision == Decision.RETURN and not comment:
        raise ValidationError({"comment": [_("Say what is missing or wrong when returning.")]})
    level = attachment.level
    final = level >= last_level(all_levels)
    if decision == Decision.RETURN:
        changes: dict[str, Any] = {"state": AttachmentState.RETURNED}
    elif final:
        changes = {"state": AttachmentState.APPROVED, "approved_at": now}
    else:
        changes = {"level": level + 1}
    with transaction.atomic():
        updated = Attachment.objects.filter(
            pk=attachment.pk,
            state=AttachmentState.SUBMITTED,
            level=level,
            version_id=attachment.version_id,
        ).update(**changes)
        if not updated:
            raise ValidationError(
                {
                    "decision": [
                        _("Someone else decided on this material meanwhile; reload the page.")
                    ]
                }
            )
        Review.objects.create(
            attachment=attachment,
            version_id=attachment.version_id,
            level=level,
            decision=decision,
            comment=comment,
            reviewer=actor,
            decided_at=now,
        )
        before = {"state": attachment.state, "level": level}
        for name, value in changes.items():
            setattr(attachment, name, value)
        audit.record(
            actor,
            AuditAction.UPDATE,
            attachment,
            before=before,
            after={"state": attachment.state, "level": attachment.level, "comment": comment},
            note=f"review level {level}: {decision}",
        )
        _tell_unit(
            attachment,
            decision=decision,
            level=level,
            final=final,
            comment=comment,
            all_levels=all_levels,
            now=now,
        )
    return attachment


def _tell_unit(
    attachment: Attachment,
    *,
    decision: str,
    level: int,
    final: bool,
    comment: str,
    all_levels: list[ReviewLevel],
    now: dt.datetime,
) -> None:
    name = next((lv.name for lv in all_levels if lv.number == level), str(level))
    values = {"title": attachment.material.title, "level": name}
    if decision == Decision.RETURN:
        title = _("Returned at %(level)s: %(title)s") % values
        body = comment
        kind = Level.WARNING
    elif final:
        title = _("Approved: %(title)s") % values
        body = ""
        kind = Level.INFO
    else:
        title = _("Passed %(level)s: %(title)s") % values
        body = ""
        kind = Level.INFO
    unit = attachment.requirement.unit
    notice = Notice(
        key=f"archives:attachment:{attachment.pk}:v{attachment.version_id}:l{level}:{decision}",
        title=title,
        body=body,
        link=reverse("archives:requirement", args=[attachment.requirement_id]),
        level=kind,
        about="archives",
        scope_path=unit.region.path if unit.region_id and unit.region else "",
    )
    notify([(notice, unit_users([unit]).get(unit.pk, []))], now=now)


def status_text(attachment: Attachment, all_levels: list[ReviewLevel]) -> str:
    """Where an attachment stands, in words: "Awaiting 区初审", "Passed 区初审, awaiting 市复审",
    "Returned at 市复审", "Approved"."""
    names = {lv.number: lv.name for lv in all_levels}
    here = names.get(attachment.level, str(attachment.level))
    if attachment.state == AttachmentState.APPROVED:
        return str(AttachmentState.APPROVED.label)
    if attachment.state == AttachmentState.RETURNED:
        return _("Returned at %(level)s") % {"level": here}
    if attachment.level > 1:
        before = names.get(attachment.level - 1, str(attachment.level - 1))
        return _("Passed %(before)s, awaiting %(level)s") % {"before": before, "level": here}
    return _("Awaiting %(level)s") % {"level": here}


REVIEWER_ROLES = ("office", "leader")


@transaction.atomic
def save_level(
    *, actor: Any, level: ReviewLevel | None, name: str, role: str, region: Any = None
) -> ReviewLevel:
    """Rename a review level or change who reviews it; ``level`` None adds one after the last.
    Materials waiting at a level wait there still; a new last level is reached by what the
    former last level approves from now on."""
    if not actor.has_perm("archives.manage"):
        raise PermissionDenied
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 40:
        errors["name"] = [_("Give the level a name of at most 40 characters.")]
    if role not in REVIEWER_ROLES:
        errors["role"] = [_("Reviewers are the office or the leaders.")]
    if errors:
        raise ValidationError(errors)
    before = audit.snapshot(level) if level is not None else None
    if level is None:
        last = ReviewLevel.objects.select_for_update().order_by("-number").first()
        level = ReviewLevel(number=(last.number + 1) if last else 1)
    level.name, level.role, level.region = name, role, region
    level.save()
    audit.record(
        actor,
        AuditAction.UPDATE if before else AuditAction.CREATE,
        level,
        before=before,
        after=audit.snapshot(level),
    )
    return level
