"""Calendar pages: the month (a grid on desktops, a list on phones), an event, the office's
event form and the clause deadlines generator. Thin: parse → domain → render.

Rows come from ``visible_to``; anything outside answers 404.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.agenda.domain import calendar as cal
from chuangcheng.agenda.domain.events import delete_event, generate_clause_deadlines, save_event
from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.forms import EventForm, GenerateForm, clause_label, clauses, units_for
from chuangcheng.agenda.models import CalendarEvent

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def tabs(request: HttpRequest) -> dict[str, bool]:
    """Which of the calendar's tabs the user has (the same questions as the pages ask)."""
    user = request.user
    return {
        "may_manage": user.has_perm("agenda.manage_calendar"),
        "may_do_tasks": user.has_perm("agenda.do_tasks"),
        "may_see_completion": user.has_perm("agenda.view_completion"),
        "may_issue_feed": user.has_perm("agenda.issue_feed"),
    }


def _month(text: str, today: dt.date) -> tuple[int, int, str]:
    found = _MONTH.match(text or "")
    if found:
        year, month = int(found[1]), int(found[2])
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month, ""
    error = _("Give a month like 2026-11; showing this month.") if text else ""
    return today.year, today.month, error


def _shift(year: int, month: int, by: int) -> str:
    index = year * 12 + month - 1 + by
    return f"{index // 12}-{index % 12 + 1:02d}"


def _filters(request: HttpRequest) -> tuple[cal.Filters, list[Any], list[Any]]:
    units = list(units_for(request.user))
    clause_rows = list(clauses())
    f = cal.Filters()
    kind = request.GET.get("kind", "")
    if kind in EventKind.values:
        f.kind = kind
    unit = request.GET.get("unit", "")
    if unit:
        f.unit = next((u for u in units if str(u.pk) == unit), None)
        if f.unit is None:
            raise Http404
    clause = request.GET.get("clause", "")
    if clause:
        if not clause.isdigit() or all(str(c.pk) != clause for c in clause_rows):
            raise Http404
        f.clause_id = int(clause)
    choices = [(c.pk, clause_label(c)) for c in clause_rows]
    return f, units, choices


@login_required
@require_GET
def month(request: HttpRequest) -> HttpResponse:
    """The calendar of a month: a grid of weeks on a desktop, a list of days on a phone."""
    need(request, "agenda.view_calendar")
    today = timezone.localdate()
    year, mon, error = _month(request.GET.get("month", ""), today)
    filters, units, clause_choices = _filters(request)
    first, after = cal.grid_bounds(year, mon)
    start, end = cal.month_bounds(year, mon)
    items = cal.items_between(request.user, first, after, filters)
    kept = {k: v for k, v in request.GET.items() if k in ("kind", "unit", "clause") and v}
    return render(
        request,
        "agenda/month.html",
        {
            **tabs(request),
            "tab": "calendar",
            "error": error,
            "month_start": start,
            "month_key": f"{year}-{mon:02d}",
            "previous": f"?{urlencode({**kept, 'month': _shift(year, mon, -1)})}",
            "next": f"?{urlencode({**kept, 'month': _shift(year, mon, 1)})}",
            "this_month": f"?{urlencode(kept)}",
            "today": today,
            "weeks": cal.month_grid(items, year, mon, today),
            "days": cal.agenda_days([i for i in items if i.last >= start], start, end),
            "filters": filters,
            "kinds": EventKind.choices,
            "units": units,
            "clause_choices": clause_choices,
        },
    )


def _visible_event(request: HttpRequest, pk: int) -> CalendarEvent:
    found = (
        CalendarEvent.objects.visible_to(request.user)
        .select_related("lead_unit", "clause", "region", "created_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need(request, "agenda.view_calendar")
    event = _visible_event(request, pk)
    cal.attach_partners([event])
    return render(
        request,
        "agenda/event_detail.html",
        {
            **tabs(request),
            "tab": "calendar",
            "event": event,
            "may_edit": request.user.has_perm("agenda.manage_calendar", event),
        },
    )


@login_required
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The office's event form (new when ``pk`` is None)."""
    need(request, "agenda.manage_calendar")
    event = _visible_event(request, pk) if pk is not None else None
    if event is not None:
        need(request, "agenda.manage_calendar", event)
    initial = None
    if event is None and request.method == "GET" and request.GET.get("date"):
        initial = {"start_date": request.GET["date"], "remind_days": "7 3 1"}
    kw: dict[str, Any] = {"initial": initial} if initial else {}
    form = EventForm(request.POST or None, user=request.user, event=event, **kw)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_event(actor=request.user, data=form.data_object(), event=event)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Event “%(t)s” saved.") % {"t": saved.title})
            return redirect("agenda:event_detail", pk=saved.pk)
    return render(
        request,
        "agenda/event_form.html",
        {**tabs(request), "tab": "calendar", "form": form, "event": event},
    )


def _form_errors(form: Any, exc: ValidationError) -> None:
    """Put the domain's errors on the form's fields (or above it for unknown names)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_POST
def event_delete(request: HttpRequest, pk: int) -> HttpResponse:
    event = _visible_event(request, pk)
    need(request, "agenda.manage_calendar", event)
    title = event.title
    delete_event(actor=request.user, event=event)
    messages.success(request, _("Event “%(t)s” deleted.") % {"t": title})
    return redirect("agenda:month")


@login_required
def generate(request: HttpRequest) -> HttpResponse:
    """Material deadlines of chosen clauses for their lead and partner units, in one step."""
    need(request, "agenda.manage_calendar")
    form = GenerateForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            created, skipped = generate_clause_deadlines(
                actor=request.user,
                clauses=list(c["clauses"]),
                deadline=c["deadline"],
                region=c["region"],
                remind_days=c["remind_days"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            n = len(created)
            text = ngettext(
                "%(n)d material deadline created.", "%(n)d material deadlines created.", n
            ) % {"n": n}
            if skipped:
                text += " " + ngettext(
                    "%(n)d clause skipped: it has one on that day already, or no unit.",
                    "%(n)d clauses skipped: they have one on that day already, or no unit.",
                    len(skipped),
                ) % {"n": len(skipped)}
            messages.success(request, text)
            return redirect(
                f"{reverse('agenda:month')}?month={c['deadline']:%Y-%m}&kind={EventKind.MATERIAL}"
            )
    return render(
        request, "agenda/generate.html", {**tabs(request), "tab": "calendar", "form": form}
    )
