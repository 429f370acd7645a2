"""One rate limiter for the login and every page a person can reach without logging in.

Requests are counted per network address, per group of endpoints and per fixed time window in
the database (:class:`~chuangcheng.core.models_ratelimit.RateCounter`), so every web process
sees the same count: one ``INSERT … ON CONFLICT … DO UPDATE … RETURNING`` per limited request.
Which paths belong to which group is decided here, by path prefix, so a new public page is
covered by mounting it under a public prefix; ``tests/core/test_ratelimit.py`` walks the URL
resolver and fails on an anonymous-reachable page that is neither limited nor listed in
:data:`EXEMPT_PREFIXES`.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from chuangcheng.core.models_ratelimit import RateCounter

log = logging.getLogger(__name__)

LOGIN = "login"
PUBLIC = "public"

LOGIN_PREFIX = "/accounts/login"
# Pages and endpoints meant for people who do not log in: residents' reports, public survey
# links, the practice QR pages, read-only screen links, calendar feeds, Open311 clients, the
# API's anonymous documentation, the language switch and the login page itself (GET).
PUBLIC_PREFIXES: tuple[str, ...] = (
    "/report/",
    "/photos/",
    "/s/",
    "/p/",
    "/command/screen/s/",
    "/agenda/ics/",
    "/open311/",
    "/api/v1/docs",
    "/api/v1/openapi.json",
    "/i18n/",
    "/accounts/2fa/",  # the enrolment QR code, shown between the password and the first code
    LOGIN_PREFIX,
)
# Reachable without logging in but deliberately not limited, with the reason:
EXEMPT_PREFIXES: dict[str, str] = {
    "/static/": "static files; served by nginx in production",
    "/healthz": "polled by monitoring and the load balancer every few seconds",
    "/favicon.ico": "a permanent redirect to a static file",
    "/inspections/sw.js": "the field app's service worker script: a static file rendered once",
    "/inbox/badge/": "the bell's count, polled by logged-in pages; empty for anyone else",
}


@dataclass(frozen=True)
class Decision:
    """The outcome of counting one request: allowed, or refused with seconds to wait."""

    allowed: bool
    hits: int
    limit: int
    retry_after: int


def group_of(request: HttpRequest) -> str | None:
    """The limit group a request counts against, or None when it is not limited."""
    path = request.path_info
    if path.startswith(LOGIN_PREFIX) and request.method == "POST":
        return LOGIN
    if path.startswith(PUBLIC_PREFIXES):
        return PUBLIC
    return None


def rate_for(group: str) -> tuple[int, int]:
    """(requests, window seconds) of a group, from LOGIN_RATE_LIMIT / PUBLIC_RATE_LIMIT."""
    value = settings.LOGIN_RATE_LIMIT if group == LOGIN else settings.PUBLIC_RATE_LIMIT
    return int(value[0]), int(value[1])


def hit(group: str, ip: str, *, now: float | None = None) -> Decision:
    """Count one request of ``ip`` to ``group`` and say whether it is within the limit."""
    limit, window = rate_for(group)
    moment = time.time() if now is None else now
    start = int(moment // window) * window
    table = connection.ops.quote_name(RateCounter._meta.db_table)
    # One statement, atomic in both SQLite and PostgreSQL: concurrent processes never lose a hit.
    # Only quoted identifiers from the model are formatted in; the values are parameters.
    sql = (
        f"INSERT INTO {table} ({_q('group')}, ip, window_start, hits) VALUES (%s, %s, %s, 1) "  # noqa: S608
        f"ON CONFLICT ({_q('group')}, ip, window_start) "
        f"DO UPDATE SET hits = {table}.hits + 1 RETURNING hits"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [group, ip[:64], start])
        row = cursor.fetchone()
    hits = int(row[0]) if row else 1
    retry = max(1, math.ceil(start + window - moment))
    return Decision(allowed=hits <= limit, hits=hits, limit=limit, retry_after=retry)


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def prune(*, now: float | None = None) -> int:
    """Delete counters of windows that have ended; returns how many rows went."""
    moment = time.time() if now is None else now
    longest = max(rate_for(LOGIN)[1], rate_for(PUBLIC)[1])
    deleted, _details = RateCounter.objects.filter(window_start__lt=moment - longest).delete()
    return deleted


def too_many(request: HttpRequest, decision: Decision) -> HttpResponse:
    """429 in the shape the client reads: Open311 errors, the API's error, or a page."""
    message = _("Too many requests from your network address; please try again in a moment.")
    path = request.path_info
    response: HttpResponse
    if path.startswith("/open311/"):
        if path.endswith(".xml"):
            response = HttpResponse(
                '<?xml version="1.0" encoding="utf-8"?><errors><error><code>429</code>'
                f"<description>{escape(message)}</description></error></errors>",
                content_type="text/xml; charset=utf-8",
                status=429,
            )
        else:
            response = JsonResponse([{"code": 429, "description": message}], safe=False, status=429)
    elif path.startswith("/api/") or "application/json" in request.headers.get("Accept", ""):
        response = JsonResponse(
            {"detail": message, "code": "rate_limited", "errors": []}, status=429
        )
    else:
        minutes = max(1, math.ceil(decision.retry_after / 60))
        response = render(
            request, "core/too_many.html", {"minutes": minutes, "message": message}, status=429
        )
    response["Retry-After"] = str(decision.retry_after)
    return response


class RateLimitMiddleware:
    """Refuses a request over its group's limit with 429 before any view runs.

    Over-limit requests are logged (warning, one line) rather than audited: a flood would
    otherwise flood the audit log, which is kept for people's actions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        group = group_of(request)
        if group is not None:
            ip = str(request.META.get("REMOTE_ADDR") or "unknown")
            decision = hit(group, ip)
            if not decision.allowed:
                if decision.hits == decision.limit + 1:  # once per address and window
                    log.warning("rate limit %s reached by %s (%s)", group, ip, request.path)
                return too_many(request, decision)
        return self.get_response(request)
