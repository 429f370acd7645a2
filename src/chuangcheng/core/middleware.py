"""Request plumbing of the core app: the client's address behind a trusted proxy, and that
address carried to the audit log without passing it everywhere."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse

current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def forwarded_client(header: str) -> str | None:
    """The address the trusted proxy saw: the last entry of X-Forwarded-For.

    Entries before it were sent by the client and can be forged; nginx's
    ``$proxy_add_x_forwarded_for`` appends the connecting address at the end."""
    parts = [p.strip() for p in header.split(",") if p.strip()]
    return parts[-1] if parts else None


class ClientAddressMiddleware:
    """With TRUSTED_PROXY on, puts the client's address into ``REMOTE_ADDR``.

    Every later reader (audit log, rate limits, the public pages' own per-address limits) then
    sees the resident's address rather than the proxy's. Without TRUSTED_PROXY the header is
    ignored, since anyone can send it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.TRUSTED_PROXY:
            client = forwarded_client(request.META.get("HTTP_X_FORWARDED_FOR", ""))
            if client:
                request.META["REMOTE_ADDR"] = client
        return self.get_response(request)


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(request.META.get("REMOTE_ADDR"))
        try:
            return self.get_response(request)
        finally:
            current_ip.reset(token)
