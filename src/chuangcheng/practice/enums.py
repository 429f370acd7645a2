"""Choices and workflows of the practice side (新时代文明实践).

Each workflow is an enum plus an explicit transition map; ``domain`` functions check a move
against the map before writing, so a refused edge is refused the same way everywhere."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SiteKind(models.TextChoices):
    """实践中心 (district) → 实践所 (street) → 实践站 (community)."""

    CENTRE = "centre", _("Practice centre")
    INSTITUTE = "institute", _("Practice institute")
    STATION = "station", _("Practice station")


class TeamLevel(models.TextChoices):
    """总队 → 支队 → 小队."""

    CORPS = "corps", _("Volunteer corps")
    BRIGADE = "brigade", _("Volunteer brigade")
    SQUAD = "squad", _("Volunteer squad")


class Slot(models.TextChoices):
    """When a volunteer is usually free: weekday or weekend, morning, afternoon or evening."""

    WEEKDAY_AM = "weekday_am", _("Weekday mornings")
    WEEKDAY_PM = "weekday_pm", _("Weekday afternoons")
    WEEKDAY_EVE = "weekday_eve", _("Weekday evenings")
    WEEKEND_AM = "weekend_am", _("Weekend mornings")
    WEEKEND_PM = "weekend_pm", _("Weekend afternoons")
    WEEKEND_EVE = "weekend_eve", _("Weekend evenings")


class OrderStatus(models.TextChoices):
    """The five orders: 点单 → 派单 → 接单 → 圆单 → 评单, plus open-for-taking and cancelled."""

    ORDERED = "ordered", pgettext_lazy("service order", "Ordered")
    DISPATCHED = "dispatched", pgettext_lazy("service order", "Dispatched")
    OPEN = "open", pgettext_lazy("service order", "Open to volunteers")
    ACCEPTED = "accepted", pgettext_lazy("service order", "Accepted")
    COMPLETED = "completed", pgettext_lazy("service order", "Completed")
    RATED = "rated", pgettext_lazy("service order", "Rated")
    CANCELLED = "cancelled", pgettext_lazy("service order", "Cancelled")


ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.ORDERED: frozenset(
        {OrderStatus.DISPATCHED, OrderStatus.OPEN, OrderStatus.CANCELLED}
    ),
    # Reassigning a dispatched or open order goes back through "dispatched" or "open".
    OrderStatus.DISPATCHED: frozenset(
        {OrderStatus.ACCEPTED, OrderStatus.DISPATCHED, OrderStatus.OPEN, OrderStatus.CANCELLED}
    ),
    OrderStatus.OPEN: frozenset(
        {OrderStatus.ACCEPTED, OrderStatus.DISPATCHED, OrderStatus.CANCELLED}
    ),
    OrderStatus.ACCEPTED: frozenset(
        {OrderStatus.COMPLETED, OrderStatus.DISPATCHED, OrderStatus.OPEN, OrderStatus.CANCELLED}
    ),
    OrderStatus.COMPLETED: frozenset({OrderStatus.RATED}),
    OrderStatus.RATED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
}


class OrderChannel(models.TextChoices):
    """How an order came in."""

    PHONE = "phone", _("Resident's phone page")
    HOUSEHOLD_QR = "household_qr", _("Household QR code")
    SITE_QR = "site_qr", _("Station QR code")
    STAFF = "staff", _("Staff on the resident's behalf")


class OrderFlag(models.TextChoices):
    UNTAKEN = "untaken", _("Not taken in time")
    UNFINISHED = "unfinished", _("Not finished in time")


class WishStatus(models.TextChoices):
    """微心愿: submitted (by a resident, awaiting the station) → published → claimed →
    fulfilled → rated; cancelled from any state before fulfilment."""

    SUBMITTED = "submitted", pgettext_lazy("wish", "Awaiting review")
    PUBLISHED = "published", pgettext_lazy("wish", "Published")
    CLAIMED = "claimed", pgettext_lazy("wish", "Claimed")
    FULFILLED = "fulfilled", pgettext_lazy("wish", "Fulfilled")
    RATED = "rated", pgettext_lazy("wish", "Rated")
    CANCELLED = "cancelled", pgettext_lazy("wish", "Cancelled")


WISH_TRANSITIONS: dict[str, frozenset[str]] = {
    WishStatus.SUBMITTED: frozenset({WishStatus.PUBLISHED, WishStatus.CANCELLED}),
    WishStatus.PUBLISHED: frozenset({WishStatus.CLAIMED, WishStatus.CANCELLED}),
    # A claimer who cannot go through releases the wish back to the wall.
    WishStatus.CLAIMED: frozenset(
        {WishStatus.FULFILLED, WishStatus.PUBLISHED, WishStatus.CANCELLED}
    ),
    WishStatus.FULFILLED: frozenset({WishStatus.RATED}),
    WishStatus.RATED: frozenset(),
    WishStatus.CANCELLED: frozenset(),
}


class Book(models.TextChoices):
    """The two ledgers. Each is double-entry on its own; they never mix."""

    TIME = "time", _("Time bank (hours)")
    POINTS = "points", _("Civilization points bank")


class AccountKind(models.TextChoices):
    SYSTEM = "system", _("System account")
    VOLUNTEER = "volunteer", _("Volunteer")
    HOUSEHOLD = "household", _("Household")


class SystemAccount(models.TextChoices):
    """The bank's own accounts, one per book: where credited hours and awarded points come
    from, and where spent points go. Their balances are the opposite of everyone else's."""

    TIME_ISSUED = "time_issued", _("Hours credited for service")
    POINTS_ISSUED = "points_issued", _("Points awarded")
    POINTS_REDEEMED = "points_redeemed", _("Points redeemed for goods")


class TxnKind(models.TextChoices):
    SERVICE_CREDIT = "service_credit", _("Service hours credited")
    SERVICE_SPEND = "service_spend", _("Banked hours spent on a service")
    AWARD = "award", _("Points awarded")
    REDEMPTION = "redemption", _("Points redeemed")
    REVERSAL = "reversal", _("Correction (reversal)")
    ADJUSTMENT = "adjustment", _("Adjustment")


class RedemptionStatus(models.TextChoices):
    DONE = "done", pgettext_lazy("redemption", "Redeemed")
    REVERSED = "reversed", pgettext_lazy("redemption", "Reversed")
