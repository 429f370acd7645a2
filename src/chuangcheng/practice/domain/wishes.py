"""微心愿: every move of a wish is one function here.

Each function is atomic and audited, writes one ``WishEvent`` per status change, and checks the
move against ``WISH_TRANSITIONS``. The status is changed by one conditional ``UPDATE … WHERE
status = <the status the caller saw>``: of two people acting on the same wish at once (two
volunteers claiming it, a claimer fulfilling while staff cancel) exactly one wins; the other
gets a ``PracticeError`` and nothing of theirs is written. Refused input raises
``PracticeError`` keyed by field, before anything is written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain.photos import PhotoRejectedError, discard_files_on_failure
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.notify import Notice, notify
from chuangcheng.orgs.models import Unit
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import WISH_TRANSITIONS, WishStatus
from chuangcheng.practice.interfaces.photos import store_files
from chuangcheng.practice.models import Wish, WishEvent, WishPhoto

MAX_PHOTOS = 6
OPEN = (WishStatus.SUBMITTED, WishStatus.PUBLISHED, WishStatus.CLAIMED)
AUDITED = (
    "code",
    "status",
    "site_id",
    "title",
    "due_on",
    "household_id",
    "claimed_by_id",
    "claimed_volunteer_id",
    "claimed_unit_id",
    "fulfil_note",
    "rating",
    "rating_comment",
    "cancel_reason",
)


def snapshot(wish: Wish) -> dict[str, Any]:
    state = audit.snapshot(wish, AUDITED)
    state["beneficiary_phone"] = "<set>" if wish.beneficiary_phone else ""
    return state


def _link(wish: Wish) -> str:
    return reverse("practice:wish_detail", args=[wish.pk])


def _tell(event: WishEvent, title: str, users: list[Any], actor: Any) -> None:
    """Tell ``users`` (never the actor) about ``event`` once, after the transaction commits."""
    recipients = [u for u in users if u is not None and u.pk != getattr(actor, "pk", None)]
    if not recipients:
        return
    wish = event.wish
    notice = Notice(
        key=f"practice.wish:{wish.pk}:event:{event.pk}",
        title=title,
        link=_link(wish),
        about=wish.code,
        scope_path=wish.region.path,
    )
    transaction.on_commit(lambda: notify([(notice, recipients)]))


def _check_edge(wish: Wish, to: str, source: str | None = None) -> None:
    """``to`` must be a move out of the wish's status in ``WISH_TRANSITIONS`` (and, for moves
    sharing a target, such as publishing and releasing, start from ``source``)."""
    if to not in WISH_TRANSITIONS[wish.status] or source not in (None, wish.status):
        raise PracticeError(
            _("A wish that is “%(status)s” cannot become “%(to)s”.")
            % {"status": wish.get_status_display(), "to": WishStatus(to).label}
        )


def _move(
    wish: Wish,
    to: str,
    *,
    actor: Any,
    note: str = "",
    source: str | None = None,
    **fields: Any,
) -> WishEvent:
    """Change the status (and ``fields``) if nobody changed it since ``wish`` was read; write
    the event and the audit entry. Raises ``PracticeError`` when the move is not allowed or
    someone else moved the wish first."""
    _check_edge(wish, to, source)
    before = snapshot(wish)
    seen = wish.status
    changed = Wish.objects.filter(pk=wish.pk, status=seen).update(status=to, **fields)
    if not changed:
        raise PracticeError(
            _("Someone else has just changed this wish; reload the page to see it.")
        )
    wish.status = to
    for name, value in fields.items():
        setattr(wish, name, value)
    who = actor if getattr(actor, "is_authenticated", False) else None
    event = WishEvent.objects.create(
        wish=wish, from_status=seen, to_status=to, actor=who, note=note
    )
    audit.record(
        actor, AuditAction.UPDATE, wish, before=before, after=snapshot(wish), note=f"wish {to}"
    )
    return event


class WishForbiddenError(PracticeError):
    """The actor may not make this move (the rules say no)."""


def require(actor: Any, perm: str, wish: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(perm, wish):
        raise WishForbiddenError(_("You may not do this to this wish."))


def permissions(user: Any, wish: Wish) -> dict[str, bool]:
    """What ``user`` may do to ``wish`` in its present status, and what of it they may see
    (the beneficiary's name: station readers, the claimer and the beneficiary; originals of
    the evidence: readers and the claimer). Pages and API show the same."""
    status = wish.status
    reader = user.has_perm("practice.view_network", wish)
    handler = user.has_perm("practice.fulfil_wish", wish)  # the claimer or station staff
    beneficiary = user.has_perm("practice.rate_wish", wish)
    return {
        "reader": reader,
        "sees_person": reader or handler or beneficiary,
        "sees_originals": reader or handler,
        "sees_link": reader or beneficiary,
        "can_publish": status == WishStatus.SUBMITTED
        and user.has_perm("practice.manage_network", wish),
        "can_claim_this": status == WishStatus.PUBLISHED
        and wish.published_by_id != user.pk
        and user.has_perm("practice.claim_wish", wish),
        "can_release": status == WishStatus.CLAIMED
        and user.has_perm("practice.release_wish", wish),
        "can_fulfil": status == WishStatus.CLAIMED and handler,
        "can_rate": status == WishStatus.FULFILLED and beneficiary,
        "can_cancel": status in OPEN and user.has_perm("practice.cancel_wish", wish),
    }


@transaction.atomic
def publish_wish(wish: Wish, *, actor: Any, note: str = "", now: dt.datetime | None = None) -> Wish:
    """Station staff approve a submitted wish: it goes on the wish wall."""
    require(actor, "practice.manage_network", wish)
    event = _move(
        wish,
        WishStatus.PUBLISHED,
        actor=actor,
        note=note,
        source=WishStatus.SUBMITTED,
        published_at=now or timezone.now(),
    )
    title = _("Your wish %(code)s is on the wish wall.") % {"code": wish.code}
    _tell(event, title, [wish.published_by], actor)
    return wish


def claim_units(actor: Any) -> list[Unit]:
    """The units ``actor`` may claim a wish for: those granted to them in the unit role."""
    ids = scope_of(actor).role_units.get(Role.UNIT, frozenset())
    if not ids:
        return []
    return list(
        Unit.objects.filter(pk__in=sorted(ids), grants__user=actor, grants__role=Role.UNIT)
        .distinct()
        .order_by("path")
    )


def _claimer(actor: Any, unit: Unit | None) -> tuple[Any, Unit | None]:
    """(volunteer, unit) the claim is made for: the unit asked for, else the actor's own
    volunteer record, else the first unit granted to them."""
    if unit is not None:
        if not scope_of(actor).covers_unit(unit.pk, Role.UNIT):
            raise PracticeError({"unit": [_("You do not act for this unit.")]})
        return None, unit
    volunteer = getattr(actor, "volunteer", None)
    if volunteer is not None and volunteer.active and scope_of(actor).has_role(Role.VOLUNTEER):
        return volunteer, None
    units = claim_units(actor)
    if not units:
        raise WishForbiddenError(_("You may not claim wishes."))
    return None, units[0]


@transaction.atomic
def claim_wish(
    wish: Wish, *, actor: Any, unit: Unit | None = None, now: dt.datetime | None = None
) -> Wish:
    """A volunteer claims a published wish for themselves, or a unit's user for the unit. One
    conditional UPDATE decides: of two claimers at once exactly one wins."""
    require(actor, "practice.claim_wish", wish)
    if wish.published_by_id == actor.pk:
        raise PracticeError(_("You cannot claim a wish you published."))
    volunteer, unit = _claimer(actor, unit)
    try:
        # The wish must be on the actor's wall (their area, or their unit's region).
        if not Wish.objects.visible_to(actor).filter(pk=wish.pk).exists():
            raise WishForbiddenError(_("You may not do this to this wish."))
        event = _move(
            wish,
            WishStatus.CLAIMED,
            actor=actor,
            note=unit.name if unit is not None else "",
            claimed_by=actor,
            claimed_volunteer=volunteer,
            claimed_unit=unit,
            claimed_at=now or timezone.now(),
        )
    except PracticeError:
        # Lost the race: the wish was on the wall when read and is claimed now (so also off
        # this claimer's wall).
        seen_on_wall = wish.status == WishStatus.PUBLISHED
        if seen_on_wall and Wish.objects.filter(pk=wish.pk, status=WishStatus.CLAIMED).exists():
            raise PracticeError(_("Someone else has just claimed this wish.")) from None
        raise
    by = unit.name if unit is not None else str(actor)
    title = _("Your wish %(code)s was claimed by %(by)s.") % {"code": wish.code, "by": by}
    _tell(event, title, [wish.published_by], actor)
    return wish


@transaction.atomic
def release_wish(wish: Wish, *, actor: Any, reason: str = "") -> Wish:
    """The claimer (or station staff) gives a claimed wish back to the wall."""
    require(actor, "practice.release_wish", wish)
    claimer = wish.claimed_by
    event = _move(
        wish,
        WishStatus.PUBLISHED,
        actor=actor,
        note=reason.strip()[:300],
        source=WishStatus.CLAIMED,
        claimed_by=None,
        claimed_volunteer=None,
        claimed_unit=None,
        claimed_at=None,
    )
    title = _("Wish %(code)s is back on the wish wall.") % {"code": wish.code}
    _tell(event, title, [claimer], actor)
    return wish


def fulfil_wish(
    wish: Wish, *, actor: Any, note: str, files: list[Any], now: dt.datetime | None = None
) -> Wish:
    """The claimer (or station staff) records how the wish was fulfilled, with 1–6 photos.
    All or nothing: a bad photo, or a wish changed meanwhile, leaves no row and no file."""
    require(actor, "practice.fulfil_wish", wish)
    _check_edge(wish, WishStatus.FULFILLED)
    errors: dict[str, list[str]] = {}
    if len(note.strip()) < 2:
        errors["note"] = [_("Say how the wish was fulfilled.")]
    if not files:
        errors["photos"] = [_("Add at least one photo as evidence.")]
    elif len(files) > MAX_PHOTOS:
        errors["photos"] = [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]
    if errors:
        raise PracticeError(errors)
    try:
        with discard_files_on_failure():
            photos = store_files(files, actor=actor)
            event = _move(
                wish,
                WishStatus.FULFILLED,
                actor=actor,
                fulfil_note=note.strip(),
                fulfilled_at=now or timezone.now(),
            )
            WishPhoto.objects.bulk_create([WishPhoto(wish=wish, photo=p) for p in photos])
            title = _("Your wish %(code)s has been fulfilled; please rate it.") % {
                "code": wish.code
            }
            _tell(event, title, [wish.published_by], actor)
    except PhotoRejectedError as exc:
        raise PracticeError({"photos": [m for ms in exc.errors.values() for m in ms]}) from exc
    return wish


@transaction.atomic
def rate_wish(
    wish: Wish,
    *,
    actor: Any,
    rating: int,
    comment: str = "",
    by_link: bool = False,
    now: dt.datetime | None = None,
) -> Wish:
    """The publisher or the beneficiary's household (or whoever holds the wish's public link,
    ``by_link``) rates a fulfilled wish 1–5 with an optional comment, once."""
    if not by_link:
        require(actor, "practice.rate_wish", wish)
    if rating not in (1, 2, 3, 4, 5):
        raise PracticeError({"rating": [_("Choose one to five stars.")]})
    if len(comment) > 500:
        raise PracticeError({"comment": [_("At most 500 characters.")]})
    event = _move(
        wish,
        WishStatus.RATED,
        actor=actor,
        rating=rating,
        rating_comment=comment.strip(),
        rated_at=now or timezone.now(),
    )
    title = _("Wish %(code)s was rated %(n)d of 5.") % {"code": wish.code, "n": rating}
    _tell(event, title, [wish.claimed_by], actor)
    return wish


@transaction.atomic
def cancel_wish(wish: Wish, *, actor: Any, reason: str, now: dt.datetime | None = None) -> Wish:
    """Staff over the station, or the publisher, withdraw a wish not yet fulfilled."""
    require(actor, "practice.cancel_wish", wish)
    reason = reason.strip()
    if not reason:
        raise PracticeError({"reason": [_("Give a reason.")]})
    event = _move(
        wish,
        WishStatus.CANCELLED,
        actor=actor,
        note=reason[:300],
        cancel_reason=reason[:200],
        cancelled_at=now or timezone.now(),
    )
    title = _("Wish %(code)s was cancelled.") % {"code": wish.code}
    _tell(event, title, [wish.published_by, wish.claimed_by], actor)
    return wish
