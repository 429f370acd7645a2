"""State changes of accounts: each checks, writes and audits in one transaction."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import ADMIN_ROLES, Role
from chuangcheng.accounts.models import ApiToken, Grant, PasswordHistory, SecondFactor, User
from chuangcheng.accounts.scope import forget
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region, Unit


def remember_password(user: User) -> None:
    """Keep the hash of the password just set, and only the last ``PasswordHistory.KEEP``."""
    PasswordHistory.objects.create(user=user, password=user.password)
    old = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)
    stale = list(old[PasswordHistory.KEEP :])
    if stale:
        PasswordHistory.objects.filter(pk__in=stale).delete()


@transaction.atomic
def password_changed(user: User) -> None:
    """Record that ``user`` set a new password: the forced-change flag clears and the
    90-day clock restarts."""
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )
    remember_password(user)
    user.must_change_password = False
    audit.record(user, AuditAction.PASSWORD, user)


@transaction.atomic
def issue_token(user: User, *, name: str) -> str:
    """Create an API token for ``user`` and return the clear token (shown once, never stored)."""
    token, raw = ApiToken.issue(user, name)
    audit.record(user, AuditAction.CREATE, token, after={"name": name, "prefix": token.prefix})
    return raw


@transaction.atomic
def revoke_token(user: User, *, token_id: int) -> bool:
    """Revoke one of ``user``'s own tokens; False when there is no such live token."""
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        user, AuditAction.UPDATE, token, before={"revoked": False}, after={"revoked": True}
    )
    return True


# Administration of users and grants ---------------------------------------------------------
#
# 等保 2.0 三员分立 (ADR 0014): the system administrator (and, delegated, the office) runs the
# accounts' lifecycle; the security administrator (and, for business roles, the office) runs
# the grants; the audit administrator only reads. Everyone acts inside their own region, on
# accounts whose grants all lie there; only a security administrator grants the three
# administrator roles, no account holds two of them, and nobody changes their own grants.
# The command line (SystemActor) may do everything but give one account two admin roles.


class AccountsError(ValueError):
    """Bad input for a user or grant; ``field`` names the input at fault (or "")."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class SystemActor:
    """The command line on the server: may do everything; audited under its name ("cli")."""

    is_authenticated = False

    def __init__(self, name: str = "cli") -> None:
        self.name = name

    def __str__(self) -> str:
        return self.name

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True


def _is_system(actor: object) -> bool:
    return isinstance(actor, SystemActor)


def _deny() -> PermissionDenied:
    return PermissionDenied(_("You may not manage this account."))


def _grant_target(grant: Grant) -> Region | Unit | None:
    return grant.region if grant.region_id else grant.unit


def _check_scope(actor: Any, user: User, perm: str, admin_perm: str) -> None:
    """Raise unless the actor holds ``perm``, sees ``user``, and holds ``perm`` (``admin_perm``
    for an administrator role) over every grant ``user`` holds."""
    if _is_system(actor):
        return
    if not actor.has_perm(perm):
        raise _deny()
    if not User.objects.visible_to(actor).filter(pk=user.pk).exists():
        raise _deny()
    for g in user.grants.select_related("region", "unit", "unit__region"):
        needed = admin_perm if g.role in ADMIN_ROLES else perm
        if not actor.has_perm(needed, _grant_target(g)):
            raise AccountsError(
                _(
                    "This account holds grants outside your area, or an administrator role "
                    "you do not manage; ask the administrator responsible."
                )
            )


def check_may_manage(actor: Any, user: User) -> None:
    """Raise unless ``actor`` may run ``user``'s account (name, phone, activation, password):
    a system administrator over all the user's grants, or the office when the user holds no
    administrator role."""
    _check_scope(actor, user, "accounts.manage_users", "accounts.manage_admin_accounts")


def check_may_manage_grants(actor: Any, user: User) -> None:
    """Raise unless ``actor`` may add or take away ``user``'s grants: a security administrator
    over all of them, or the office over business roles only; never one's own."""
    _check_scope(actor, user, "accounts.manage_grants", "accounts.grant_admin_roles")
    if not _is_system(actor) and getattr(actor, "pk", None) == user.pk:
        raise AccountsError(_("Nobody changes their own grants; ask a security administrator."))


def may_manage(actor: Any, user: User) -> bool:
    try:
        check_may_manage(actor, user)
    except (PermissionDenied, AccountsError):
        return False
    return True


def may_manage_grants(actor: Any, user: User) -> bool:
    try:
        check_may_manage_grants(actor, user)
    except (PermissionDenied, AccountsError):
        return False
    return True


def _clean_phone(phone: str) -> str:
    from chuangcheng.orgs.domain import OrgsError, normalize_phone

    try:
        return normalize_phone(phone, "phone")
    except OrgsError as err:
        raise AccountsError(err.message, "phone") from err


def _check_password(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise AccountsError(" ".join(exc.messages), "password") from exc


def temporary_password() -> str:
    """A random password meeting the 等保 rules (length ≥ 8, four character classes)."""
    letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"
    body = "".join(secrets.choice(letters) for _unused in range(8))
    return (
        secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ")
        + secrets.choice("abcdefghijkmnpqrstuvwxyz")
        + secrets.choice("23456789")
        + "-"
        + body
    )


def _check_grant_scope(
    actor: Any,
    role: str,
    region: Region | None,
    unit: Unit | None,
    user: User | None = None,
    *,
    perm: str = "accounts.manage_grants",
) -> None:
    if role not in Role.values:
        raise AccountsError(_("Choose a role."), "role")
    if (region is None) == (unit is None):
        raise AccountsError(_("Choose either a region or a unit as the grant's scope."), "scope")
    if role in ADMIN_ROLES and user is not None and user.pk is not None:
        held = user.grants.filter(role__in=ADMIN_ROLES).exclude(role=role).first()
        if held is not None:
            raise AccountsError(
                _(
                    "This account is already a %(held)s. The system, security and audit "
                    "administrators must be three different accounts."
                )
                % {"held": held.get_role_display()},
                "role",
            )
    if _is_system(actor):
        return
    target = region if region is not None else unit
    if role in ADMIN_ROLES and not actor.has_perm("accounts.grant_admin_roles", target):
        raise AccountsError(
            _(
                "Only a security administrator grants the system, security and audit "
                "administrator roles."
            ),
            "role",
        )
    if not actor.has_perm(perm, target):
        raise AccountsError(
            _("%(scope)s is outside your area; you may grant only inside it.")
            % {"scope": str(target)},
            "scope",
        )


@transaction.atomic
def create_user(
    *,
    actor: Any,
    username: str,
    display_name: str,
    phone: str = "",
    password: str | None = None,
    role: str | None = None,
    region: Region | None = None,
    unit: Unit | None = None,
) -> tuple[User, str]:
    """Create an account that must change its password at first login.

    An office must give a first grant inside its area (so the account stays visible to it);
    the command line may create an account without one. Returns the user and the password
    to hand over when it was generated here ("" when the caller chose it).
    """
    if not _is_system(actor) and not actor.has_perm("accounts.manage_users"):
        raise _deny()
    username = (username or "").strip()
    if not username or len(username) > 150:
        raise AccountsError(_("Enter a user name."), "username")
    if User.objects.filter(username__iexact=username).exists():
        raise AccountsError(_("This user name is taken."), "username")
    if role is None and not _is_system(actor):
        raise AccountsError(_("Give the new account its first grant."), "role")
    if role is not None:
        # The first grant places the account in the creator's area (it stays visible there);
        # administrator roles come later, from a security administrator.
        _check_grant_scope(actor, role, region, unit, perm="accounts.manage_users")
    user = User(
        username=username,
        display_name=(display_name or "").strip(),
        phone=_clean_phone(phone),
        must_change_password=True,
    )
    generated = ""
    if not password:
        password = generated = temporary_password()
    _check_password(password, user)
    user.set_password(password)
    user.save()
    remember_password(user)
    audit.record(actor, AuditAction.CREATE, user, after=_user_state(user))
    if role is not None:
        _create_grant(actor, user, role, region, unit)
    return user, generated


def _user_state(user: User) -> dict[str, Any]:
    return audit.snapshot(
        user, ["username", "display_name", "phone", "is_active", "must_change_password"]
    )


@transaction.atomic
def update_user(*, actor: Any, user: User, display_name: str, phone: str) -> User:
    """Change a user's name and phone (validated, stored encrypted)."""
    check_may_manage(actor, user)
    before = _user_state(user)
    user.display_name = (display_name or "").strip()
    user.phone = _clean_phone(phone)
    user.save(update_fields=["display_name", "phone"])
    audit.record(actor, AuditAction.UPDATE, user, before=before, after=_user_state(user))
    return user


@transaction.atomic
def set_user_active(*, actor: Any, user: User, active: bool) -> User:
    """Deactivate or reactivate an account. Nobody deactivates their own account here."""
    check_may_manage(actor, user)
    if not active and getattr(actor, "pk", None) == user.pk:
        raise AccountsError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    before = _user_state(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, AuditAction.UPDATE, user, before=before, after=_user_state(user))
    return user


@transaction.atomic
def reset_password(*, actor: Any, user: User, password: str | None = None) -> str:
    """Set a new (by default generated) password, unlock the account and force a change at
    the next login. Returns the password to hand over."""
    check_may_manage(actor, user)
    password = password or temporary_password()
    _check_password(password, user)
    user.set_password(password)
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_logins", "locked_until"])
    remember_password(user)
    audit.record(actor, AuditAction.PASSWORD, user, note="reset by administrator")
    return password


@transaction.atomic
def unlock_user(*, actor: Any, user: User) -> bool:
    """Lift a lockout before it runs out (system or security administrator, or the office
    for the accounts it runs). False when the account was not locked."""
    try:
        check_may_manage(actor, user)
    except (PermissionDenied, AccountsError):
        check_may_manage_grants(actor, user)
    if not (user.locked_until and user.locked_until > timezone.now()) and not user.failed_logins:
        return False
    before = {"locked_until": str(user.locked_until or ""), "failed_logins": user.failed_logins}
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        user,
        before=before,
        after={"locked_until": "", "failed_logins": 0},
        note="unlocked",
    )
    return True


@transaction.atomic
def reset_second_factor(*, actor: Any, user: User) -> bool:
    """Remove ``user``'s authenticator (a lost phone): the next login enrols a new one when
    the role requires it. Security administrators only; not one's own. False when none."""
    _check_scope(actor, user, "accounts.reset_second_factor", "accounts.reset_second_factor")
    if not _is_system(actor) and getattr(actor, "pk", None) == user.pk:
        raise AccountsError(_("Ask another security administrator to reset your own."))
    deleted, _rows = SecondFactor.objects.filter(user=user).delete()
    if not deleted:
        return False
    audit.record(actor, AuditAction.DELETE, user, note="second factor reset")
    return True


def _create_grant(
    actor: Any, user: User, role: str, region: Region | None, unit: Unit | None
) -> Grant:
    if Grant.objects.filter(user=user, role=role, region=region, unit=unit).exists():
        raise AccountsError(_("The user already holds this grant."), "scope")
    grant = Grant.objects.create(user=user, role=role, region=region, unit=unit)
    audit.record(
        actor,
        AuditAction.CREATE,
        grant,
        after={
            "user": user.username,
            "role": role,
            "region": grant.region_id,
            "unit": grant.unit_id,
        },
    )
    forget(user)
    return grant


@transaction.atomic
def add_grant(
    *,
    actor: Any,
    user: User,
    role: str,
    region: Region | None = None,
    unit: Unit | None = None,
) -> Grant:
    """Give ``user`` a role over a region subtree or a unit, inside the actor's area."""
    check_may_manage_grants(actor, user)
    _check_grant_scope(actor, role, region, unit, user)
    return _create_grant(actor, user, role, region, unit)


@transaction.atomic
def remove_grant(*, actor: Any, grant: Grant) -> None:
    """Take a grant away. An office cannot remove an account's last grant (the account would
    drop out of its sight): it deactivates the account instead."""
    user = grant.user
    check_may_manage_grants(actor, user)
    if not _is_system(actor) and user.grants.count() <= 1:
        raise AccountsError(_("This is the account's last grant; deactivate the account instead."))
    before = {
        "user": user.username,
        "role": grant.role,
        "region": grant.region_id,
        "unit": grant.unit_id,
    }
    audit.record(actor, AuditAction.DELETE, grant, before=before)
    grant.delete()
    forget(user)


@transaction.atomic
def reveal_user_phone(*, actor: Any, user: User) -> str:
    """The clear phone of ``user``; each call writes one VIEW_PERSONAL audit entry."""
    check_may_manage(actor, user)
    audit.record(actor, AuditAction.VIEW_PERSONAL, user, note="phone")
    return user.phone
