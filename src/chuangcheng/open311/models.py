"""API keys issued to Open311 client applications, and what each request they sent carried."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.fields import EncryptedTextField


class KeyQuerySet(models.QuerySet["Open311Key"]):
    def visible_to(self, user: Any) -> KeyQuerySet:
        """Keys whose region lies inside a region where the user works for the office."""
        from chuangcheng.accounts.enums import Role
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        prefixes = scope.role_prefixes.get(str(Role.OFFICE), ())
        if not prefixes:
            return self.none()
        cond = models.Q()
        for prefix in prefixes:
            cond |= models.Q(region__path__startswith=prefix)
        return self.filter(cond)


class Open311Key(models.Model):
    """A key a client application sends as ``api_key`` to create service requests.

    Only the SHA-256 of the key is stored; the clear key is shown once, when it is issued.
    Requests sent with it are placed only inside ``region``.
    """

    name = models.CharField(_("application"), max_length=80)
    owner = models.CharField(
        _("held by"), max_length=120, help_text=_("Organisation and contact person.")
    )
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("Requests sent with this key must lie inside this region."),
    )
    prefix = models.CharField(max_length=12, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = KeyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def scope_path(self) -> str:
        return self.region.path


class Submission(models.Model):
    """What an Open311 client sent with a request that has no place on the case itself: the key,
    the client's identifiers, the reporter's e-mail (encrypted) and a media URL (not fetched)."""

    case = models.OneToOneField(
        "cases.Case", on_delete=models.CASCADE, related_name="open311_submission"
    )
    key = models.ForeignKey(Open311Key, on_delete=models.PROTECT, related_name="submissions")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    device_id = models.CharField(_("device"), max_length=100, blank=True)
    account_id = models.CharField(_("account in the client"), max_length=100, blank=True)
    media_url = models.URLField(_("media URL (not fetched)"), max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.key_id} → {self.case_id}"
