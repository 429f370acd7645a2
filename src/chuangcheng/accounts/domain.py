"""State changes of accounts: each checks, writes and audits in one transaction."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from chuangcheng.accounts.models import ApiToken, User
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction


@transaction.atomic
def password_changed(user: User) -> None:
    """Record that ``user`` set a new password: the forced-change flag clears and the
    90-day clock restarts."""
    User.objects.filter(pk=user.pk).update(
        must_change_password=False, password_changed_at=timezone.now()
    )
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
