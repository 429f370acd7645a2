"""Health check and the audit log viewer."""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from chuangcheng import __version__
from chuangcheng.core.models import AuditAction, AuditEntry

OUTCOMES = {
    "ok": _("Succeeded"),
    "locked": _("Account locked"),
    "bad_password": _("Wrong password"),
    "unknown_user": _("Unknown user"),
}


def _changes(entry: AuditEntry) -> list[tuple[str, object, object]]:
    """(field, before, after) for each recorded field, whichever side holds it."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(k, before.get(k), after.get(k)) for k in keys]


def _type_label(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name) if label else ""
    except (LookupError, ValueError):
        return label


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database status for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        db = {"status": "ok", "vendor": connection.vendor}
        status = 200
    except Exception as exc:
        db = {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
        status = 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "degraded", "version": __version__, "database": db},
        status=status,
    )


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("accounts.view_audit"):
        raise Http404
    entries = AuditEntry.objects.select_related(None).order_by("-at", "-id")
    q_action = request.GET.get("action", "")
    q_actor = request.GET.get("actor", "").strip()
    q_type = request.GET.get("type", "").strip()
    if q_action:
        entries = entries.filter(action=q_action)
    if q_actor:
        entries = entries.filter(actor_name__icontains=q_actor)
    if q_type:
        entries = entries.filter(object_type=q_type)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for entry in page:
        entry.changes = _changes(entry)  # type: ignore[attr-defined]
        entry.type_label = _type_label(entry.object_type)  # type: ignore[attr-defined]
        entry.outcome_label = OUTCOMES.get(entry.outcome, entry.outcome)  # type: ignore[attr-defined]

    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "actions": AuditAction.choices,
            "q_action": q_action,
            "q_actor": q_actor,
            "q_type": q_type,
        },
    )
