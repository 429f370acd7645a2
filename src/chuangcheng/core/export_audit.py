"""Every download a signed-in user takes is in the audit log (等保 2.0: audit every export).

Export views record their own entry with what they exported (filters, row counts). A download
that did not — a new export someone forgot to audit, a template, a QR poster — is recorded here
from the response's ``Content-Disposition``, so no export can leave the system unaudited.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from chuangcheng.core.models import AuditAction


class _Seen:
    """Mutable, so a mark made in a copied context (a sync view run under ASGI) still counts."""

    __slots__ = ("exported",)

    def __init__(self) -> None:
        self.exported = False


_seen: ContextVar[_Seen | None] = ContextVar("cc_export_seen", default=None)
_FILENAME = re.compile(r'filename="?([^";]+)"?')


def mark_exported() -> None:
    """Called by :func:`chuangcheng.core.audit.record` whenever it writes an export entry."""
    seen = _seen.get()
    if seen is not None:
        seen.exported = True


def _filename(disposition: str) -> str:
    match = _FILENAME.search(disposition)
    return match.group(1) if match else ""


class ExportAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        seen = _Seen()
        token = _seen.set(seen)
        try:
            response = self.get_response(request)
        finally:
            _seen.reset(token)
        disposition = response.get("Content-Disposition", "")
        user = getattr(request, "user", None)
        if (
            disposition.lower().startswith("attachment")
            and 200 <= response.status_code < 300
            and not seen.exported
            and user is not None
            and user.is_authenticated
        ):
            from chuangcheng.core import audit

            audit.record(
                user,
                AuditAction.EXPORT,
                object_type="download",
                object_repr=_filename(disposition),
                note=request.get_full_path()[:500],
            )
        return response
