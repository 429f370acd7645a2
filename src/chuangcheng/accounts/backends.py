"""Login with lockout: LOGIN_LOCK_FAILURES failures in a row lock the account.

The lock lasts LOGIN_LOCK_MINUTES (等保 2.0: 5 failures, 30 minutes).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction


class LockoutModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        from chuangcheng.accounts.models import User

        if username is None or password is None:
            return None
        user = User.objects.filter(username=username).first()
        if user is None:
            User().set_password(
                password
            )  # same cost as a real check: no user enumeration by timing
            audit.record(
                None,
                AuditAction.LOGIN_FAILED,
                object_type="accounts.user",
                object_repr=username[:150],
                outcome="unknown_user",
            )
            return None
        now = timezone.now()
        if user.locked_until and user.locked_until > now:
            audit.record(user.username, AuditAction.LOGIN_FAILED, user, outcome="locked")
            if request is not None:
                request.account_locked_until = user.locked_until  # type: ignore[attr-defined]
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            from chuangcheng.accounts.mfa import needs_second_factor

            # With a second factor to come, the failure count stands until the code is right:
            # else a known password would reset it between guesses at the code.
            if (user.failed_logins or user.locked_until) and not needs_second_factor(user):
                User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
                user.failed_logins, user.locked_until = 0, None
            return user
        record_failure(user, request, "bad_password")
        return None


def record_failure(user: Any, request: HttpRequest | None, outcome: str) -> None:
    """Count one failed login step (a wrong password or a wrong code) towards the lockout and
    audit it; lock the account at LOGIN_LOCK_FAILURES."""
    from chuangcheng.accounts.models import User

    now = timezone.now()
    User.objects.filter(pk=user.pk).update(failed_logins=F("failed_logins") + 1)
    user.refresh_from_db(fields=["failed_logins"])
    if user.failed_logins >= settings.LOGIN_LOCK_FAILURES:
        until = now + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
        User.objects.filter(pk=user.pk).update(locked_until=until, failed_logins=0)
        user.locked_until, user.failed_logins = until, 0
        audit.record(
            user.username,
            AuditAction.LOCKED,
            user,
            outcome="locked",
            note=f"until {until.isoformat()}",
        )
        if request is not None:
            request.account_locked_until = until  # type: ignore[attr-defined]
    else:
        audit.record(user.username, AuditAction.LOGIN_FAILED, user, outcome=outcome)
