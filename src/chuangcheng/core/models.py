"""The audit log: an append-only record of every mutation and security event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The scheduler's job runs, notifications and outbound messages are models of this app kept in
# their own modules; importing them here registers them.
from chuangcheng.core.models_jobs import JobRun
from chuangcheng.core.models_messages import Notification, OutboundMessage
from chuangcheng.core.models_ratelimit import RateCounter

__all__ = [
    "AuditAction",
    "AuditChainHead",
    "AuditEntry",
    "JobRun",
    "Notification",
    "OutboundMessage",
    "RateCounter",
]


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    IMPORT = "import", _("Imported")
    EXPORT = "export", _("Exported")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Login failed")
    LOGOUT = "logout", _("Logged out")
    LOCKED = "locked", _("Account locked")
    PASSWORD = "password", _("Password changed")
    VIEW_PERSONAL = "view_personal", _("Viewed personal data")
    SEND = "send", _("Message sent")
    PRUNE = "prune", _("Audit log pruned")


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[AuditEntry]:
        objs = list(objs)
        if any(not o.hash for o in objs):
            raise PermissionError("audit entries are written through core.audit (hash chain)")
        return super().bulk_create(objs, *args, **kwargs)


class AuditEntry(models.Model):
    """One thing that happened: who, when, what, to which object, before and after.

    Rows are never updated or deleted through the ORM; on PostgreSQL a trigger refuses it too
    (only ``core.audit_chain.prune`` may delete rows past AUDIT_RETENTION_DAYS). Each row carries
    an HMAC over its content and its predecessor's HMAC (docs/adr/0014), so a changed or removed
    row shows up in ``chuangcheng audit verify``. The actor's name is copied so the record
    survives the account's removal.
    """

    # Set when the entry is built, not by the database, so the chain's HMAC covers exactly the
    # value stored (and a restore keeps it).
    at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=AuditAction.choices, db_index=True)
    object_type = models.CharField(max_length=60, blank=True, db_index=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=200, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    outcome = models.CharField(max_length=20, default="ok")
    ip = models.GenericIPAddressField(null=True, blank=True)
    note = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("audit entries are append-only")
        if not self.hash:
            raise PermissionError("audit entries are written through core.audit (hash chain)")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("audit entries are append-only")


class AuditChainHead(models.Model):
    """The single row (pk 1) naming the last entry of the audit chain and its hash.

    Appends lock it (SELECT … FOR UPDATE; on SQLite the IMMEDIATE transaction holds the write
    lock), so two transactions never chain onto the same predecessor; ``audit verify`` checks it
    agrees with the last row, which reveals a removed tail.
    """

    last_id = models.BigIntegerField(null=True, blank=True)
    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")
        verbose_name_plural = _("audit chain heads")

    def __str__(self) -> str:
        return f"{self.last_id}:{self.last_hash[:12]}"
