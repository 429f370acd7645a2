"""Service orders (点单 → 派单 → 接单 → 圆单 → 评单): placing an order, and the one move helper the
other steps go through.

:func:`place_order` is the single way an order comes in (a resident's account, staff on an
elder's behalf, or anyone through a station's or household's QR code). :func:`move` is the
single way an order changes status: it checks the move against ``ORDER_TRANSITIONS``, writes it
with one conditional UPDATE (``WHERE status = <the status the caller saw>``, so two people acting
on the same order at once never both succeed), clears a late flag, and records the timeline
event and the audit entry. The steps themselves are in ``orders_flow`` and ``orders_complete``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangcheng.core import audit, notify
from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import ORDER_TRANSITIONS, OrderChannel, OrderStatus
from chuangcheng.practice.models import (
    Household,
    OrderEvent,
    PracticeSite,
    ServiceCategory,
    ServiceOrder,
    Volunteer,
)

# The privacy notice residents accept on the order pages; recorded on each order. Change it
# with the notice's text (templates/practice/orders/_notice.html).
# The privacy notice a resident accepts: the one version of the installation (PIPL: the record
# must name the notice actually shown), set by PRIVACY_NOTICE_VERSION like cases and surveys.
NOTICE_VERSION = str(settings.PRIVACY_NOTICE_VERSION)
PHONE_PURPOSE = "practice.order.phone"
IP_PURPOSE = "practice.order.ip"
CODE_PREFIX = "FW"
MAX_DESCRIPTION = 500
PUBLIC_CHANNELS = (OrderChannel.SITE_QR, OrderChannel.HOUSEHOLD_QR)
# Before these statuses nobody has taken the order yet: the requester may still withdraw it
# through the public link.
NOT_TAKEN = (OrderStatus.ORDERED, OrderStatus.DISPATCHED, OrderStatus.OPEN)
_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{7,8})$")

# What the audit log keeps of an order (never the phone).
AUDIT_FIELDS = (
    "code",
    "status",
    "site_id",
    "region_id",
    "category_id",
    "channel",
    "household_id",
    "requester_user_id",
    "assignee_id",
    "team_id",
    "accepted_by_id",
    "hours",
    "paid_by_id",
    "credit_txn_id",
    "rating",
    "cancel_reason",
    "flag",
)


class DayPart:
    """When in the day the resident wants the service (``wanted_time``)."""

    AM = "am"
    PM = "pm"
    EVE = "eve"
    ALL = (AM, PM, EVE)


class OrderRateLimitedError(PracticeError):
    """Too many public orders from one network address in the last hour."""


@dataclass
class OrderInput:
    """What an order says. ``site`` or ``household`` places it (a household's station is found
    up the region tree); ``paid_by`` pays with that volunteer's banked hours."""

    category: ServiceCategory
    description: str = ""
    address: str = ""
    wanted_on: dt.date | None = None
    wanted_time: str = ""
    requester_name: str = ""
    requester_phone: str = ""
    site: PracticeSite | None = None
    household: Household | None = None
    paid_by: Volunteer | None = None
    notice_version: str = ""


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def order_link(order: ServiceOrder) -> str:
    try:
        return reverse("practice:order_detail", args=[order.pk])
    except NoReverseMatch:
        return f"/practice/orders/{order.pk}/"


def station_for(household: Household) -> PracticeSite | None:
    """The household's own station, else the nearest active site above it."""
    return (
        PracticeSite.objects.filter(
            region__path__in=sorted(containing_paths([household.region.path])), active=True
        )
        .select_related("region")
        .order_by("-region__path")
        .first()
    )


def phone_ok(value: str) -> bool:
    return bool(_PHONE.match(re.sub(r"[\s()]", "", value)))


def _validate(data: OrderInput, channel: str, today: dt.date) -> None:
    errors: dict[str, list[str]] = {}
    if not data.category.active:
        errors["category"] = [_("This service is no longer offered.")]
    if len(data.description.strip()) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Keep the description under %(n)d characters.") % {"n": MAX_DESCRIPTION}
        ]
    if data.wanted_on is not None and data.wanted_on < today:
        errors["wanted_on"] = [_("Choose today or a later day.")]
    if data.wanted_time and data.wanted_time not in DayPart.ALL:
        errors["wanted_time"] = [_("Choose morning, afternoon or evening.")]
    if data.household is None and not data.requester_name.strip():
        errors["requester_name"] = [_("Give the name of the person to serve.")]
    phone = data.requester_phone.strip()
    if phone and not phone_ok(phone):
        errors["requester_phone"] = [_("Enter a mobile or landline number.")]
    elif not phone and data.household is None and channel == OrderChannel.SITE_QR:
        errors["requester_phone"] = [_("Give a phone number so the volunteer can reach you.")]
    if channel != OrderChannel.STAFF and data.notice_version != NOTICE_VERSION:
        errors["notice"] = [_("Please read and accept the privacy notice.")]
    if errors:
        raise PracticeError(errors)


def _check_rate(ip_hash: str, now: dt.datetime) -> None:
    if not ip_hash:
        return
    recent = ServiceOrder.objects.filter(
        ip_hash=ip_hash, ordered_at__gte=now - dt.timedelta(hours=1)
    ).count()
    if recent >= int(settings.PRACTICE_ORDER_RATE_LIMIT):
        raise OrderRateLimitedError(_("Too many orders from this network just now."))


def _check_actor(data: OrderInput, site: PracticeSite, channel: str, actor: Any) -> None:
    """Who may place an order through which channel (the public channels need no account)."""
    if channel in PUBLIC_CHANNELS:
        if data.paid_by is not None:
            raise PermissionDenied
        return
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if channel == OrderChannel.STAFF:
        if not actor.has_perm("practice.dispatch_order", site):
            raise PermissionDenied
        if (
            data.paid_by is not None
            and not Volunteer.objects.visible_to(actor).filter(pk=data.paid_by.pk).exists()
        ):
            raise PermissionDenied
        return
    if not actor.has_perm("practice.order_service", site):
        raise PermissionDenied
    if not PracticeSite.objects.visible_to(actor).filter(pk=site.pk).exists():
        raise PermissionDenied
    if data.paid_by is not None and data.paid_by.user_id != actor.pk:
        raise PermissionDenied


@transaction.atomic
def place_order(data: OrderInput, *, actor: Any, channel: str, ip_hash: str = "") -> ServiceOrder:
    """点单: store a new order in status "ordered" with a unique code ``FW-<year>-<number>``.

    Guarantees: the requester's phone is stored encrypted with its keyed hash; a public order
    records the privacy notice accepted and counts against the hourly limit of its network
    address; a household's name, phone and address come from the household record (the QR on
    its door), never from the form; nothing is written when anything is refused."""
    now = timezone.now()
    household = data.household
    site = data.site
    if household is not None:
        site = station_for(household)
    if site is None or not site.active:
        raise PracticeError(_("No practice station takes orders here yet."))
    _check_actor(data, site, channel, actor)
    _validate(data, channel, timezone.localdate(now))
    if channel in PUBLIC_CHANNELS:
        _check_rate(ip_hash, now)
    name = data.requester_name.strip()
    phone = data.requester_phone.strip()
    address = data.address.strip()
    if household is not None and channel == OrderChannel.HOUSEHOLD_QR:
        name, phone, address = household.head_name, household.phone, household.address
    elif household is not None:
        name = name or household.head_name
        phone = phone or household.phone
        address = address or household.address
    user = _user(actor)
    order = ServiceOrder(
        code="",
        site=site,
        region=household.region if household is not None else site.region,
        category=data.category,
        description=data.description.strip(),
        address=address[:200],
        wanted_on=data.wanted_on,
        wanted_time=data.wanted_time,
        channel=channel,
        household=household,
        requester_user=user if channel == OrderChannel.PHONE else None,
        requester_name=name[:40],
        requester_phone=phone,
        requester_phone_hash=keyed_hash(phone, PHONE_PURPOSE) if phone else "",
        notice_version=data.notice_version if channel != OrderChannel.STAFF else "",
        ip_hash=ip_hash if channel in PUBLIC_CHANNELS else "",
        created_by=user,
        paid_by=data.paid_by,
    )
    order.code = f"tmp-{order.public_token}"
    order.save()
    # The number comes from the primary key: unique without a counter row to lock.
    order.code = f"{CODE_PREFIX}-{timezone.localtime(now).year}-{order.pk:06d}"
    ServiceOrder.objects.filter(pk=order.pk).update(code=order.code)
    OrderEvent.objects.create(
        order=order, from_status="", to_status=OrderStatus.ORDERED, actor=user
    )
    audit.record(actor, AuditAction.CREATE, order, after=audit.snapshot(order, AUDIT_FIELDS))
    return order


def check_edge(status: str, to: str) -> None:
    """Refuse a move that is not an edge of ``ORDER_TRANSITIONS``."""
    if to not in ORDER_TRANSITIONS[status]:
        raise PracticeError(
            _("This order is “%(now)s”; it cannot become “%(to)s”.")
            % {"now": OrderStatus(status).label, "to": OrderStatus(to).label}
        )


def move(
    order: ServiceOrder,
    to: str,
    *,
    actor: Any,
    note: str = "",
    stale: str = "",
    **fields: Any,
) -> ServiceOrder:
    """Move ``order`` to status ``to`` and set ``fields``, or raise PracticeError.

    The move must be an edge of ``ORDER_TRANSITIONS`` from the status the caller saw, and the
    stored status must still be that one (one conditional UPDATE): of two people acting on the
    same order at once, one succeeds and the other is told ``stale``. A late flag is cleared,
    since the order moved on. Call inside a transaction."""
    seen = order.status
    check_edge(seen, to)
    before = audit.snapshot(order, AUDIT_FIELDS)
    fields.update(status=to, flag="", flagged_at=None)
    if ServiceOrder.objects.filter(pk=order.pk, status=seen).update(**fields) != 1:
        raise PracticeError(
            stale or _("Someone else changed this order just now. Reload it and try again.")
        )
    for name, value in fields.items():
        setattr(order, name, value)
    OrderEvent.objects.create(
        order=order, from_status=seen, to_status=to, actor=_user(actor), note=note[:300]
    )
    audit.record(
        actor,
        AuditAction.UPDATE,
        order,
        before=before,
        after=audit.snapshot(order, AUDIT_FIELDS),
        note=f"{seen} → {to}",
    )
    return order


def tell(order: ServiceOrder, event: str, users: Iterable[Any], title: str, body: str = "") -> None:
    """Notify ``users`` (accounts, None skipped) about ``event`` of the order, once each; in the
    caller's transaction, so a refused step tells nobody."""
    recipients = [u for u in users if u is not None]
    if not recipients:
        return
    notice = notify.Notice(
        key=f"practice-order:{order.pk}:{event}",
        title=title,
        body=body,
        link=order_link(order),
        about=order.code,
        scope_path=order.region.path,
    )
    notify.notify([(notice, recipients)])


def in_site_language() -> Any:
    """Notifications are stored as text: write them in the site's language."""
    return translation.override(settings.LANGUAGE_CODE)


__all__ = [
    "NOTICE_VERSION",
    "DayPart",
    "OrderInput",
    "OrderRateLimitedError",
    "check_edge",
    "move",
    "place_order",
    "station_for",
    "tell",
]
