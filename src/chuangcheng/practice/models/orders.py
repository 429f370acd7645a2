"""Service orders: the five orders 点单 → 派单 → 接单 → 圆单 → 评单 of the time bank."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.practice.enums import OrderChannel, OrderFlag, OrderStatus
from chuangcheng.practice.models.network import new_token
from chuangcheng.practice.models.scoping import scope, staff_q
from chuangcheng.practice.models.timeline import TimelineStep


class OrderQuerySet(models.QuerySet["ServiceOrder"]):
    def visible_to(self, user: Any) -> OrderQuerySet:
        """Orders in the user's staff subtrees; for a volunteer, the orders dispatched to them or
        their teams, the ones they accepted, and the open orders of their sites' regions; for a
        resident, the orders they placed."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(requester_user=user)
            if s.has_role("volunteer"):
                cond |= (
                    Q(assignee__user=user)
                    | Q(accepted_by__user=user)
                    | Q(team__members__user=user)
                    | (Q(status=OrderStatus.OPEN) & s.subtree_q("site__region__path", "volunteer"))
                )
        return self.filter(cond).distinct()


class ServiceOrder(models.Model):
    """One service a resident ordered, from the order to the rating.

    ``site`` is the station that dispatches it; ``region`` where the service happens. The
    requester's phone is encrypted; ``public_token`` lets a resident without an account follow
    and rate the order from the link or QR code they were given. ``flag`` is set by the periodic
    check when an order stays untaken or unfinished past the limits in the settings."""

    code = models.CharField(_("order number"), max_length=24, unique=True)
    site = models.ForeignKey(
        "practice.PracticeSite",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("station"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    category = models.ForeignKey(
        "practice.ServiceCategory",
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("service"),
    )
    description = models.TextField(_("what is needed"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    wanted_on = models.DateField(_("wanted on"), null=True, blank=True)
    wanted_time = models.CharField(_("time of day"), max_length=40, blank=True)
    channel = models.CharField(_("channel"), max_length=14, choices=OrderChannel.choices)
    household = models.ForeignKey(
        "practice.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("household"),
    )
    requester_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_orders",
    )
    requester_name = models.CharField(_("requester"), max_length=40)
    requester_phone = EncryptedTextField(_("requester's phone"), blank=True)
    requester_phone_hash = models.CharField(max_length=64, blank=True, editable=False)
    notice_version = models.CharField(max_length=20, blank=True)
    # Keyed hash of the network address a public (QR) order came from: the hourly rate limit.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    assignee = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_orders",
        verbose_name=_("dispatched to"),
    )
    team = models.ForeignKey(
        "practice.Team",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="orders",
        verbose_name=_("dispatched to team"),
    )
    accepted_by = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accepted_orders",
        verbose_name=_("volunteer"),
    )
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    completion_note = models.TextField(_("what was done"), blank=True)
    # The requester pays with hours banked in this volunteer account (时间银行 "存取").
    paid_by = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="paid_orders",
        verbose_name=_("paid with the hours of"),
    )
    credit_txn = models.OneToOneField(
        "practice.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="order",
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    flag = models.CharField(_("flag"), max_length=12, choices=OrderFlag.choices, blank=True)
    flagged_at = models.DateTimeField(null=True, blank=True)
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    ordered_at = models.DateTimeField(_("ordered"), auto_now_add=True, db_index=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-ordered_at", "-pk"]
        verbose_name = _("service order")
        verbose_name_plural = _("service orders")
        indexes = [
            models.Index(fields=["site", "status"], name="practice_order_site_status"),
            models.Index(fields=["status", "flag"], name="practice_order_status_flag"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="practice_order_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0), name="practice_order_hours_pos"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def scope_path(self) -> str:
        return self.region.path

    @property
    def requester_phone_masked(self) -> str:
        return mask_phone(self.requester_phone) if self.requester_phone else ""


class OrderEvent(TimelineStep):
    """One step of an order's history, shown on its timeline (the audit log has the details)."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=12, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=OrderStatus.choices)

    def __str__(self) -> str:
        return f"{self.order_id}: {self.from_status} → {self.to_status}"


class OrderPhoto(models.Model):
    """Evidence that the service was done (圆单), taken on the volunteer's phone. The photo
    itself goes through the cases app's photo pipeline (checked, EXIF read, faces blurred in the
    public copy); this row ties it to the order."""

    order = models.ForeignKey(ServiceOrder, on_delete=models.CASCADE, related_name="photos")
    photo = models.OneToOneField(
        "cases.Photo", on_delete=models.PROTECT, related_name="practice_order_photo"
    )

    def __str__(self) -> str:
        return f"{self.order_id}: {self.photo_id}"
