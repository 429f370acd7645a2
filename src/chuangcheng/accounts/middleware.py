"""Idle timeout and forced password change.

等保 2.0: log out after 30 idle minutes; change the password at first login and every 90 days.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

_LAST_SEEN = "cc_last_seen"


class IdleTimeoutMiddleware:
    """Log a session out after SESSION_IDLE_MINUTES without a request from its user.

    A request sent by a page on its own (the big screen's refresh) says so with the header
    ``X-Idle-Passive: 1``: it is logged out like any other once the session is idle, but it
    never counts as activity, so a screen left open does not keep a login alive (ADR 0010).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            last = request.session.get(_LAST_SEEN)
            if last is not None and now - float(last) > settings.SESSION_IDLE_MINUTES * 60:
                logout(request)
                if not request.path.startswith("/api/"):
                    return redirect(f"{reverse('accounts:login')}?next={request.path}&idle=1")
            elif request.headers.get("X-Idle-Passive") != "1" and (
                last is None or now - float(last) > 60
            ):
                # Refresh at most once a minute: writing the session on every request would make
                # each page view a database write.
                request.session[_LAST_SEEN] = now
        return self.get_response(request)


def password_change_due(user: object) -> bool:
    if getattr(user, "must_change_password", False):
        return True
    max_age = settings.PASSWORD_MAX_AGE_DAYS
    changed = getattr(user, "password_changed_at", None)
    return bool(max_age and changed and timezone.now() - changed > dt.timedelta(days=max_age))


class PasswordChangeRequiredMiddleware:
    """Send a user whose password must change to the change form before anything else."""

    ALLOWED_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/healthz", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and not request.path.startswith(self.ALLOWED_PREFIXES)
            and password_change_due(request.user)
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)
