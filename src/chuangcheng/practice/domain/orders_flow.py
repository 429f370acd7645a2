"""The steps of an order between 点单 and 圆单, and after it: 派单 (to a volunteer or a team, or
open to the volunteers of the region), reassigning, 接单, 评单 and cancelling.

Each step is one atomic function: it checks who acts (a ``rules`` permission or the order's own
requester / link), then goes through :func:`~chuangcheng.practice.domain.orders.move`, which
checks the edge against ``ORDER_TRANSITIONS`` and writes with one conditional UPDATE. The
people concerned are notified in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.scope import scope_of
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import (
    NOT_TAKEN,
    check_edge,
    in_site_language,
    move,
    tell,
)
from chuangcheng.practice.enums import OrderStatus
from chuangcheng.practice.models import ServiceOrder, Team, Volunteer

MAX_REASON = 200
MAX_COMMENT = 500


def _locked(order: ServiceOrder) -> ServiceOrder:
    """The order's row, locked until the transaction ends, with its current status (a page
    may have shown an older one)."""
    fresh = ServiceOrder.objects.select_for_update(of=("self",)).get(pk=order.pk)
    order.status = fresh.status
    return order


def _require_staff(order: ServiceOrder, actor: Any) -> None:
    if not getattr(actor, "is_authenticated", False) or not actor.has_perm(
        "practice.dispatch_order", order
    ):
        raise PermissionDenied


def _team_users(team: Team | None) -> list[Any]:
    if team is None:
        return []
    return [
        v.user for v in team.members.filter(active=True, user__isnull=False).select_related("user")
    ]


def _people_on(order: ServiceOrder) -> list[Any]:
    """Accounts of whoever the order is with now: the volunteer who took it, else the one or the
    team it was dispatched to."""
    if order.accepted_by is not None:
        return [order.accepted_by.user]
    if order.assignee is not None:
        return [order.assignee.user]
    return _team_users(order.team)


def _assign(
    order: ServiceOrder,
    to: str,
    *,
    actor: Any,
    volunteer: Volunteer | None,
    team: Team | None,
    note: str,
) -> ServiceOrder:
    _require_staff(order, actor)
    _locked(order)
    if to == OrderStatus.DISPATCHED:
        if (volunteer is None) == (team is None):
            raise PracticeError({"volunteer": [_("Choose one volunteer or one team.")]})
        if volunteer is not None:
            if not (
                volunteer.active
                and Volunteer.objects.visible_to(actor).filter(pk=volunteer.pk).exists()
            ):
                raise PracticeError({"volunteer": [_("Choose an active volunteer you manage.")]})
            if order.paid_by_id == volunteer.pk:
                raise PracticeError(
                    {"volunteer": [_("The volunteer who pays for this order cannot serve it.")]}
                )
        if team is not None and not (
            team.active and Team.objects.visible_to(actor).filter(pk=team.pk).exists()
        ):
            raise PracticeError({"team": [_("Choose an active team you manage.")]})
    before = _people_on(order)
    move(
        order,
        to,
        actor=actor,
        note=note,
        assignee=volunteer,
        team=team,
        accepted_by=None,
        accepted_at=None,
        dispatched_at=timezone.now(),
    )
    with in_site_language():
        if to == OrderStatus.DISPATCHED:
            tell(
                order,
                f"dispatched:{order.dispatched_at:%Y%m%d%H%M%S%f}",
                [volunteer.user] if volunteer is not None else _team_users(team),
                _("Service order %(code)s was dispatched to you") % {"code": order.code},
                f"{order.category.name} · {order.region.name}",
            )
        gone = [u for u in before if u is not None and u not in _people_on(order)]
        tell(
            order,
            f"withdrawn:{order.dispatched_at:%Y%m%d%H%M%S%f}",
            gone,
            _("Service order %(code)s was given to someone else") % {"code": order.code},
            note,
        )
    return order


@transaction.atomic
def dispatch(
    order: ServiceOrder,
    *,
    actor: Any,
    volunteer: Volunteer | None = None,
    team: Team | None = None,
    note: str = "",
) -> ServiceOrder:
    """派单 to one volunteer or one team (station staff). The volunteer or the team's members
    are notified; the acceptance clock starts now."""
    return _assign(
        order, OrderStatus.DISPATCHED, actor=actor, volunteer=volunteer, team=team, note=note
    )


@transaction.atomic
def open_to_volunteers(order: ServiceOrder, *, actor: Any, note: str = "") -> ServiceOrder:
    """派单 to the pool: any volunteer of the station's region may take the order."""
    return _assign(order, OrderStatus.OPEN, actor=actor, volunteer=None, team=None, note=note)


@transaction.atomic
def reassign(
    order: ServiceOrder,
    *,
    actor: Any,
    reason: str,
    volunteer: Volunteer | None = None,
    team: Team | None = None,
    to_open: bool = False,
) -> ServiceOrder:
    """Take a dispatched, open or accepted order back and dispatch it again (to a volunteer or
    a team) or open it to volunteers; the reason is kept on the timeline and the people who
    had it are told."""
    if not reason.strip():
        raise PracticeError({"reason": [_("Say why the order is reassigned.")]})
    if order.status == OrderStatus.ORDERED:
        raise PracticeError(_("This order has not been dispatched yet: dispatch it instead."))
    to = OrderStatus.OPEN if to_open else OrderStatus.DISPATCHED
    return _assign(
        order, to, actor=actor, volunteer=volunteer, team=team, note=reason.strip()[:MAX_REASON]
    )


def may_accept(order: ServiceOrder, volunteer: Volunteer, user: Any) -> bool:
    """The volunteer may take this order: dispatched to them or a team of theirs, or open at a
    station of a region their volunteer grant covers."""
    if order.status == OrderStatus.DISPATCHED:
        if order.assignee_id == volunteer.pk:
            return True
        return order.team_id is not None and volunteer.teams.filter(pk=order.team_id).exists()
    if order.status == OrderStatus.OPEN:
        return scope_of(user).covers_path(order.site.region.path, "volunteer")
    return False


@transaction.atomic
def accept(order: ServiceOrder, *, actor: Any) -> ServiceOrder:
    """接单 by a volunteer. Of two volunteers taking the same order at once, exactly one wins:
    the status is claimed with one conditional UPDATE, the other is told it is taken."""
    volunteer = getattr(actor, "volunteer", None) if actor.is_authenticated else None
    if volunteer is None or not actor.has_perm("practice.take_orders"):
        raise PermissionDenied
    check_edge(order.status, OrderStatus.ACCEPTED)
    if not may_accept(order, volunteer, actor):
        raise PermissionDenied
    if order.paid_by_id == volunteer.pk:
        raise PracticeError(_("You cannot serve an order paid with your own hours."))
    move(
        order,
        OrderStatus.ACCEPTED,
        actor=actor,
        stale=_("Another volunteer has just taken this order."),
        accepted_by=volunteer,
        accepted_at=timezone.now(),
    )
    with in_site_language():
        tell(
            order,
            "accepted",
            [order.requester_user],
            _("Your service order %(code)s was accepted") % {"code": order.code},
            _("Volunteer %(name)s will serve you.") % {"name": volunteer.name},
        )
    return order


def is_requester(order: ServiceOrder, actor: Any) -> bool:
    return bool(
        getattr(actor, "is_authenticated", False)
        and order.requester_user_id is not None
        and order.requester_user_id == actor.pk
    )


@transaction.atomic
def cancel(order: ServiceOrder, *, actor: Any, reason: str, by_link: bool = False) -> ServiceOrder:
    """Cancel with a reason before completion: station staff or the requester's account at any
    time before 圆单; through the order's public link only before a volunteer took it."""
    if by_link:
        if order.status not in NOT_TAKEN:
            raise PracticeError(
                _("A volunteer has already taken this order: call the station to cancel it.")
            )
    elif not is_requester(order, actor):
        _require_staff(order, actor)
    if not reason.strip():
        raise PracticeError({"reason": [_("Say why the order is cancelled.")]})
    _locked(order)
    if by_link and order.status not in NOT_TAKEN:
        raise PracticeError(
            _("A volunteer has already taken this order: call the station to cancel it.")
        )
    people = _people_on(order)
    move(
        order,
        OrderStatus.CANCELLED,
        actor=actor,
        note=reason.strip()[:MAX_REASON],
        cancel_reason=reason.strip()[:MAX_REASON],
        cancelled_at=timezone.now(),
    )
    with in_site_language():
        tell(
            order,
            "cancelled",
            people,
            _("Service order %(code)s was cancelled") % {"code": order.code},
            order.cancel_reason,
        )
    return order


@transaction.atomic
def rate(
    order: ServiceOrder,
    *,
    actor: Any,
    rating: int,
    comment: str = "",
    by_link: bool = False,
) -> ServiceOrder:
    """评单: 1 to 5 stars and a comment on a completed order, by the requester's account or
    through the order's public link; once."""
    if not by_link and not is_requester(order, actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        errors["rating"] = [_("Give 1 to 5 stars.")]
    if len(comment.strip()) > MAX_COMMENT:
        errors["comment"] = [_("Keep the comment under %(n)d characters.") % {"n": MAX_COMMENT}]
    if errors:
        raise PracticeError(errors)
    _locked(order)
    move(
        order,
        OrderStatus.RATED,
        actor=actor,
        note=f"{rating}★",
        stale=_("This order has just been rated."),
        rating=rating,
        rating_comment=comment.strip(),
        rated_at=timezone.now(),
    )
    if order.accepted_by is not None:
        with in_site_language():
            tell(
                order,
                "rated",
                [order.accepted_by.user],
                _("Service order %(code)s was rated %(n)d★") % {"code": order.code, "n": rating},
                comment.strip(),
            )
    return order
