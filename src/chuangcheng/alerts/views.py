"""Pages of the warnings: the list with counts by level, a warning's detail with its timeline,
acknowledging and resolving, and the office's "evaluate now". Thin: parse → domain → render.

Rows come from ``Warning.objects.visible_to(user)``; a warning outside it answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.alerts.domain import actions
from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.domain.kinds import KINDS
from chuangcheng.alerts.enums import WarningStatus
from chuangcheng.alerts.filters import STATUS_CHOICES, WarningFilters
from chuangcheng.alerts.forms import NoteForm, kind_choices, streets_for, unit_filter_choices
from chuangcheng.alerts.models import Warning
from chuangcheng.alerts.panels import level_counts
from chuangcheng.core.models_messages import OutboundMessage

PAGE_SIZE = 30


def _need_view(request: HttpRequest) -> None:
    if not request.user.has_perm("alerts.view_warnings"):
        raise PermissionDenied


@login_required
@require_GET
def warning_list(request: HttpRequest) -> HttpResponse:
    _need_view(request)
    f = WarningFilters.from_query(request.GET)
    scoped = f.apply(Warning.objects.visible_to(request.user), with_level=False)
    counts = level_counts(scoped) if f.status in ("open", "all") else []
    rows = scoped.filter(level=f.level) if f.level else scoped
    page = Paginator(
        rows.select_related("rule", "unit", "region").order_by("-raised_at", "-id"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for c in counts:
        c["query"] = f.query(level="" if f.level == c["level"] else c["level"])
        c["active"] = f.level == c["level"]
    return render(
        request,
        "alerts/list.html",
        {
            "page": page,
            "f": f,
            "counts": counts,
            "statuses": STATUS_CHOICES,
            "kinds": kind_choices(),
            "kind_labels": {code: k.label for code, k in KINDS.items()},
            "streets": streets_for(request.user),
            "units": unit_filter_choices(request.user),
            "may_manage": request.user.has_perm("alerts.manage_rules"),
            "may_evaluate": request.user.has_perm("alerts.evaluate"),
        },
    )


def _visible(request: HttpRequest, pk: int) -> Warning:
    _need_view(request)
    return get_object_or_404(
        Warning.objects.visible_to(request.user).select_related(
            "rule", "unit", "region", "acknowledged_by", "resolved_by"
        ),
        pk=pk,
    )


def _state_context(request: HttpRequest, warning: Warning) -> dict[str, Any]:
    may_act = request.user.has_perm("alerts.act_on_warning", warning)
    return {
        "w": warning,
        "may_acknowledge": may_act and warning.status == WarningStatus.RAISED,
        "may_resolve": may_act and warning.is_open,
        "note_form": NoteForm(),
    }


@login_required
@require_GET
def warning_detail(request: HttpRequest, pk: int) -> HttpResponse:
    warning = _visible(request, pk)
    events = list(warning.events.select_related("actor"))
    deliveries = list(
        OutboundMessage.objects.filter(key__startswith=f"warning:{warning.pk}:")
        .order_by("created_at", "id")
        .only("channel", "to", "to_name", "to_role", "status", "attempts", "created_at", "key")
    )
    kind = KINDS.get(warning.rule.kind)
    return render(
        request,
        "alerts/detail.html",
        {
            **_state_context(request, warning),
            "events": events,
            "deliveries": deliveries,
            "kind_label": str(kind.label) if kind else warning.rule.kind,
        },
    )


def _act(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    warning = _visible(request, pk)
    form = NoteForm(request.POST)
    if not request.user.has_perm("alerts.act_on_warning", warning):
        raise PermissionDenied
    if form.is_valid():
        note = form.cleaned_data["note"]
        try:
            if step == "acknowledge":
                actions.acknowledge(warning, actor=request.user, note=note)
                messages.success(request, _("Acknowledged. No more reminders will be sent."))
            else:
                actions.resolve(warning, actor=request.user, note=note)
                messages.success(request, _("The warning is resolved."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("alerts:detail", pk=warning.pk)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "acknowledge")


@login_required
@require_POST
def resolve(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "resolve")


@login_required
@require_POST
def evaluate_now(request: HttpRequest) -> HttpResponse:
    """Evaluate every enabled rule now (the office), instead of waiting for the job."""
    if not request.user.has_perm("alerts.evaluate"):
        raise PermissionDenied
    result = evaluate()
    errors = [r for r in result.rules if r.error]
    messages.success(
        request,
        _(
            "%(rules)d rules evaluated: %(raised)d warnings raised, %(resolved)d resolved, "
            "%(repeated)d reminders sent."
        )
        % {
            "rules": len(result.rules),
            "raised": result.total("raised"),
            "resolved": result.total("resolved"),
            "repeated": result.total("repeated"),
        },
    )
    for r in errors:
        messages.error(request, f"{r.rule.name}: {r.error}")
    return redirect("alerts:rules" if request.POST.get("next") == "rules" else "alerts:list")
