"""In-app notifications and outbound messages (text messages and e-mails).

Both carry a ``key`` naming the event they announce (``case:42:overdue``), unique per recipient
for notifications and unique for outbound messages: whoever creates them twice for the same
event creates nothing the second time.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField


class Level(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Reminder")
    DANGER = "danger", _("Urgent")


class Notification(models.Model):
    """A message shown to one user in the inbox and counted in the top bar until read."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.INFO)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    key = models.CharField(max_length=120)
    created_at = models.DateTimeField(_("time"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="notification_once"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=Q(read_at=None), name="notification_unread"
            ),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return self.title


class Channel(models.TextChoices):
    SMS = "sms", _("Text message")
    EMAIL = "email", _("E-mail")
    # A group robot (企业微信, 钉钉): ``to`` names the robot, ``params`` hold what the app that
    # queued it needs to find the address at send time (see core.webhooks).
    WEBHOOK = "webhook", _("Group robot (webhook)")


class Delivery(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    STORED = "stored", _("Kept in the outbox (no gateway)")


class OutboundMessageQuerySet(models.QuerySet["OutboundMessage"]):
    def within(self, prefixes: tuple[str, ...], *, everything: bool = False) -> Any:
        """Messages about things in the region subtrees ``prefixes`` (materialized paths).

        The caller computes the prefixes from the user's grants: this app sits below accounts
        and cannot read them itself."""
        if everything:
            return self.all()
        cond = Q(pk__in=[])
        for prefix in prefixes:
            cond |= Q(scope_path__startswith=prefix)
        return self.filter(cond)


class OutboundMessage(models.Model):
    """A text message, e-mail or group-robot post on its way out, with every attempt counted.

    The address is encrypted at rest and only decrypted to hand it to the gateway; pages show
    it masked. ``scope_path`` is the region path of what the message is about, so the office
    sees the messages of its own region only.
    """

    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    to = EncryptedTextField(_("to"))
    to_name = models.CharField(_("recipient"), max_length=60, blank=True)
    to_role = models.CharField(_("recipient's role"), max_length=40, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("unit"),
    )
    template = models.CharField(_("template code"), max_length=40, blank=True)
    params = models.JSONField(_("template parameters"), default=dict, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    text = models.TextField(_("text"))
    link = models.CharField(_("link"), max_length=300, blank=True)
    about = models.CharField(_("about"), max_length=60, blank=True)
    scope_path = models.CharField(max_length=255, blank=True, db_index=True)
    key = models.CharField(max_length=160, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Delivery.choices, default=Delivery.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), db_index=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_ref = models.CharField(_("gateway reference"), max_length=100, blank=True)
    backend = models.CharField(_("sent through"), max_length=20, blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = OutboundMessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outbound message")
        verbose_name_plural = _("outbound messages")

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to_masked}"

    @property
    def to_masked(self) -> str:
        if self.channel == Channel.WEBHOOK:
            return str(self.to)  # the robot's name; its address is never stored here
        return mask_address(self.to) if self.channel == Channel.EMAIL else mask_phone(self.to)


def mask_address(address: str) -> str:
    """zh***@example.gov.cn: the first two characters of the mailbox and the domain."""
    local, at, domain = address.partition("@")
    if not at:
        return "*" * len(address)
    return f"{local[:2]}***@{domain}"
