"""People, their role grants and their API tokens."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.accounts.enums import Role
from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField

# Permissions a superuser does not hold by being one (see ``User.has_perm``).
SEPARATED_PERMS = frozenset({"accounts.view_audit"})


class UserQuerySet(models.QuerySet["User"]):
    def visible_to(self, user: Any) -> UserQuerySet:
        """Users whose grants fall inside ``user``'s scope, and ``user`` themself."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = Q(pk=user.pk)
        for prefix in scope.region_prefixes:
            cond |= Q(grants__region__path__startswith=prefix)
            cond |= Q(grants__unit__region__path__startswith=prefix)
        if scope.unit_ids:
            cond |= Q(grants__unit_id__in=scope.unit_ids)
        return self.filter(cond).distinct()


class AccountManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """The user manager with :meth:`UserQuerySet.visible_to`."""


class User(AbstractUser):
    """A person who logs in. Phone numbers are encrypted at rest and shown masked."""

    display_name = models.CharField(_("name"), max_length=60, blank=True)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed"), null=True, blank=True)
    failed_logins = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    home_region = models.ForeignKey(
        "orgs.Region",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("home street"),
        help_text=_("Where the person lives or works; rounds can keep inspectors out of it."),
    )

    objects: ClassVar[AccountManager] = AccountManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.display_name or self.get_username()

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        # Django lets an active superuser through every permission. Not these: the audit log
        # belongs to the audit administrator alone (等保 2.0 三员分立), whoever else holds power.
        if perm in SEPARATED_PERMS:
            from django.contrib.auth.models import _user_has_perm  # type: ignore[attr-defined]

            return self.is_active and bool(_user_has_perm(self, perm, obj))
        return super().has_perm(perm, obj)

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class Grant(models.Model):
    """A role held over one scope: a region subtree or one unit (and the units under it)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        "orgs.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("region"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("unit"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.CheckConstraint(
                condition=(Q(region__isnull=False) & Q(unit__isnull=True))
                | (Q(region__isnull=True) & Q(unit__isnull=False)),
                name="grant_exactly_one_scope",
            ),
            models.UniqueConstraint(fields=["user", "role", "region", "unit"], name="grant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} @ {self.region or self.unit}"


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A bearer token for the REST API.

    Only its SHA-256 is stored; the clear token is shown once, when it is issued.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    prefix = models.CharField(max_length=8, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def issue(cls, user: User, name: str) -> tuple[ApiToken, str]:
        raw = "cc_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], digest=hash_token(raw))
        return token, raw


class PasswordHistory(models.Model):
    """The hash of a password a user has set; the last PASSWORD_HISTORY are kept so none of
    them is chosen again (等保 2.0 password reuse)."""

    KEEP = 5

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.at:%Y-%m-%d}"


class SecondFactor(models.Model):
    """A user's TOTP authenticator (RFC 6238). The secret is encrypted at rest; it counts
    only once confirmed with a code. ``last_step`` is the last time step accepted, so a code
    cannot be used twice."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret = EncryptedTextField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("second factor")
        verbose_name_plural = _("second factors")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"
