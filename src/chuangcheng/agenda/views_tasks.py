"""Unit task pages: "My tasks" (today's and overdue occurrences, done in one tap), the office's
task series, the completion overview (units × tasks) and the occurrences behind each figure."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.agenda.domain.completion import Counts, counts_by, in_period
from chuangcheng.agenda.domain.tasks import complete_occurrence, save_series
from chuangcheng.agenda.enums import OccurrenceState
from chuangcheng.agenda.forms import DoneForm, SeriesForm
from chuangcheng.agenda.models import TaskOccurrence, TaskSeries, unit_ids_of
from chuangcheng.agenda.views import _form_errors, need, tabs
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.forms_figures import period_choices, read_period
from chuangcheng.orgs.models import Unit

OVERDUE_SHOWN = 50
OCCURRENCES_SHOWN = 300


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    """Today's occurrences of the user's units (done or not) and the overdue ones not done."""
    need(request, "agenda.do_tasks")
    now = timezone.now()
    today = timezone.localdate(now)
    mine = TaskOccurrence.objects.filter(unit_id__in=unit_ids_of(request.user))
    rows = mine.select_related("series", "unit", "completed_by")
    todays = list(rows.filter(due_date=today).order_by("due_at", "series__title", "unit__path"))
    overdue_qs = mine.filter(due_date__lt=today, completed_at__isnull=True)
    overdue = list(
        rows.filter(due_date__lt=today, completed_at__isnull=True).order_by("-due_date", "pk")[
            :OVERDUE_SHOWN
        ]
    )
    # Always counted (not only past the page's length), so the page's queries never vary.
    overdue_total = overdue_qs.count()
    return render(
        request,
        "agenda/my_tasks.html",
        {
            **tabs(request),
            "tab": "tasks",
            "today": today,
            "now": now,
            "todays": todays,
            "open_today": sum(1 for o in todays if o.completed_at is None),
            "overdue": overdue,
            "overdue_total": overdue_total,
            "several_units": len({o.unit_id for o in [*todays, *overdue]}) > 1,
        },
    )


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one occurrence done (with the optional note), then back to where the tap was."""
    occurrence = (
        TaskOccurrence.objects.visible_to(request.user)
        .filter(unit_id__in=unit_ids_of(request.user))
        .select_related("series", "unit")
        .filter(pk=pk)
        .first()
    )
    if occurrence is None:
        raise Http404
    form = DoneForm(request.POST)
    back = request.POST.get("next") or reverse("agenda:my_tasks")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("agenda:my_tasks")
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect(back)
    try:
        complete_occurrence(
            actor=request.user, occurrence=occurrence, note=form.cleaned_data["note"]
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        text = (_("Done (late): %(t)s.") if occurrence.late else _("Done: %(t)s.")) % {
            "t": occurrence.series.title
        }
        messages.success(request, text)
    return redirect(back)


@login_required
@require_GET
def series_list(request: HttpRequest) -> HttpResponse:
    need(request, "agenda.view_calendar")
    series = list(
        TaskSeries.objects.visible_to(request.user)
        .select_related("region", "clause")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-active", "title", "pk")
    )
    return render(
        request,
        "agenda/series_list.html",
        {**tabs(request), "tab": "series", "series": series},
    )


@login_required
def series_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    need(request, "agenda.manage_calendar")
    series = None
    if pk is not None:
        series = TaskSeries.objects.visible_to(request.user).filter(pk=pk).first()
        if series is None:
            raise Http404
        need(request, "agenda.manage_calendar", series)
    form = SeriesForm(request.POST or None, user=request.user, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save_series(actor=request.user, data=form.data_object(), series=series)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("Task “%(t)s” saved.") % {"t": saved.title})
            return redirect("agenda:series")
    return render(
        request,
        "agenda/series_form.html",
        {**tabs(request), "tab": "series", "form": form, "series": series},
    )


@dataclass
class Line:
    """One unit's figures for one series, or its total (``series`` None)."""

    series: TaskSeries | None
    counts: Counts
    query: dict[str, Any]

    def link(self, state: str = "") -> str:
        q = {**self.query, **({"state": state} if state else {})}
        return f"{reverse('agenda:occurrences')}?{urlencode(q)}"

    @property
    def link_due(self) -> str:
        return self.link()

    @property
    def link_done(self) -> str:
        return self.link(OccurrenceState.DONE)

    @property
    def link_late(self) -> str:
        return self.link(OccurrenceState.LATE)

    @property
    def link_missed(self) -> str:
        return self.link(OccurrenceState.MISSED)


@dataclass
class UnitBlock:
    unit: Unit
    total: Line
    lines: list[Line] = field(default_factory=list)


def completion_blocks(user: Any, period: Period, now: dt.datetime) -> list[UnitBlock]:
    """Each unit's lines (one per series, then its total), lowest on-time rate first;
    three queries."""
    counts = counts_by(TaskOccurrence.objects.visible_to(user), period, now, "unit_id", "series_id")
    units = Unit.objects.in_bulk(list({u for u, _s in counts}))
    series = TaskSeries.objects.in_bulk(list({s for _u, s in counts}))
    blocks: dict[int, UnitBlock] = {}
    for (unit_id, series_id), c in counts.items():
        base = {"period": period.key, "unit": unit_id}
        block = blocks.get(unit_id)
        if block is None:
            block = blocks[unit_id] = UnitBlock(units[unit_id], Line(None, Counts(), base))
        block.lines.append(Line(series[series_id], c, {**base, "series": series_id}))
        block.total.counts.add(c)
    for block in blocks.values():
        block.lines.sort(key=lambda line: line.series.title if line.series else "")
    return sorted(
        blocks.values(),
        key=lambda b: (b.total.counts.rate is None, b.total.counts.rate or 0, b.unit.path),
    )


@login_required
@require_GET
def completion(request: HttpRequest) -> HttpResponse:
    """Units × tasks: due, done on time, late, missed and the on-time rate for a period."""
    need(request, "agenda.view_completion")
    period, error = read_period(request.GET)
    now = timezone.now()
    blocks = completion_blocks(request.user, period, now)
    overall = Counts()
    for b in blocks:
        overall.add(b.total.counts)
    return render(
        request,
        "agenda/completion.html",
        {
            **tabs(request),
            "tab": "completion",
            "period": period,
            "periods": period_choices(),
            "error": error,
            "blocks": blocks,
            "overall": overall,
        },
    )


@login_required
@require_GET
def occurrences(request: HttpRequest) -> HttpResponse:
    """The occurrences behind a figure: by unit, series, state and period."""
    need(request, "agenda.view_calendar")
    period, error = read_period(request.GET)
    now = timezone.now()
    qs = in_period(TaskOccurrence.objects.visible_to(request.user), period)
    unit = _id(request.GET.get("unit"))
    series = _id(request.GET.get("series"))
    state = request.GET.get("state", "")
    if unit is not None:
        qs = qs.filter(unit_id=unit)
    if series is not None:
        qs = qs.filter(series_id=series)
    if state in OccurrenceState.values:
        qs = qs.in_state(state, now)
    else:
        state = ""
        # Like the overview's "due": owed by now.
        qs = qs.filter(due_at__lte=now)
    rows = list(
        qs.select_related("series", "unit", "completed_by").order_by("-due_at", "unit__path")[
            : OCCURRENCES_SHOWN + 1
        ]
    )
    return render(
        request,
        "agenda/occurrences.html",
        {
            **tabs(request),
            "tab": "completion" if request.user.has_perm("agenda.view_completion") else "tasks",
            "period": period,
            "error": error,
            "rows": rows[:OCCURRENCES_SHOWN],
            "more": len(rows) > OCCURRENCES_SHOWN,
            "state": state,
            "state_label": OccurrenceState(state).label if state else "",
            "unit": rows[0].unit if rows and unit is not None else None,
            "series_obj": rows[0].series if rows and series is not None else None,
            "now": now,
        },
    )


def _id(value: str | None) -> int | None:
    if value in (None, ""):
        return None
    if not value.isdigit():
        raise Http404
    return int(value)
