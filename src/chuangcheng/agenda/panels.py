"""The calendar's dashboard panels (ADR 0010), registered from ``AgendaConfig.ready``.

- unit board: "my deadlines and tasks" — the next deadlines of the user's units, today's tasks
  left and the overdue count;
- office board: "this week's deadlines" — events of the coming seven days;
- leader board: "task completion" — this month's on-time rate by unit, lowest first.

Each answers in a constant number of queries and returns None when it has nothing for the user.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from chuangcheng.agenda.domain.calendar import attach_partners
from chuangcheng.agenda.domain.completion import counts_by
from chuangcheng.agenda.enums import OccurrenceState
from chuangcheng.agenda.models import CalendarEvent, TaskOccurrence, unit_ids_of
from chuangcheng.cases.domain.periods import current_month
from chuangcheng.core.dashboards import LEADER, OFFICE, UNIT, register_panel
from chuangcheng.orgs.models import Unit

DEADLINES_SHOWN = 5
WEEK_SHOWN = 8
UNITS_SHOWN = 10


def _occurrences_link(**query: Any) -> str:
    return f"{reverse('agenda:occurrences')}?{urlencode(query)}"


@register_panel(
    "agenda.my_agenda", boards=(UNIT,), order=20, template="agenda/panels/my_agenda.html"
)
def my_agenda(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    units = unit_ids_of(user)
    if not units or not user.has_perm("agenda.do_tasks"):
        return None
    now = timezone.now()
    today = timezone.localdate(now)
    deadlines = list(
        CalendarEvent.objects.visible_to(user)
        .filter(start_date__gte=today)
        .select_related("lead_unit")
        .order_by("start_date", "start_time", "pk")[:DEADLINES_SHOWN]
    )
    mine = TaskOccurrence.objects.filter(unit_id__in=units)
    todays = list(
        mine.filter(due_date=today, completed_at__isnull=True)
        .select_related("series")
        .order_by("due_at", "pk")
    )
    overdue = mine.filter(due_date__lt=today, completed_at__isnull=True).count()
    since = today - dt.timedelta(days=30)
    return {
        "deadlines": deadlines,
        "today": today,
        "todays": todays,
        "overdue": overdue,
        "overdue_link": _occurrences_link(
            state=OccurrenceState.MISSED, period=f"{since.isoformat()}..{today.isoformat()}"
        ),
    }


@register_panel(
    "agenda.week_deadlines", boards=(OFFICE,), order=40, template="agenda/panels/week.html"
)
def week_deadlines(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("agenda.manage_calendar"):
        return None
    today = timezone.localdate()
    end = today + dt.timedelta(days=7)
    qs = (
        CalendarEvent.objects.visible_to(user)
        .between(today, end)
        .select_related("lead_unit")
        .order_by("start_date", "start_time", "pk")
    )
    events = list(qs[: WEEK_SHOWN + 1])
    attach_partners(events[:WEEK_SHOWN])
    return {
        "events": events[:WEEK_SHOWN],
        "more": len(events) > WEEK_SHOWN,
        "today": today,
        "calendar_link": f"{reverse('agenda:month')}?month={today:%Y-%m}",
    }


@register_panel(
    "agenda.task_completion", boards=(LEADER,), order=60, template="agenda/panels/completion.html"
)
def task_completion(request: Any, board: str) -> dict[str, Any] | None:
    user = request.user
    if not user.has_perm("agenda.view_completion"):
        return None
    now = timezone.now()
    period = current_month(timezone.localdate(now))
    counts = counts_by(TaskOccurrence.objects.visible_to(user), period, now, "unit_id")
    rated = [(uid, c) for (uid,), c in counts.items() if c.rate is not None]
    if not rated:
        return None
    units = Unit.objects.in_bulk([uid for uid, _c in rated])
    rated.sort(key=lambda pair: (pair[1].rate, units[pair[0]].path))
    rows = [
        {
            "unit": units[uid],
            "counts": c,
            "percent": c.percent,
            "link": _occurrences_link(period=period.key, unit=uid),
        }
        for uid, c in rated
    ]
    return {
        "period": period,
        "rows": rows[:UNITS_SHOWN],
        "more": max(0, len(rows) - UNITS_SHOWN),
        "overview_link": f"{reverse('agenda:completion')}?period={period.key}",
    }
