"""The calendar's warning kinds, registered with the alerts engine (ADR 0010).

- ``agenda.deadline_near``: a material deadline (材料报送截止) is ``days`` days away or less,
  today included; one finding per (event, responsible unit), key ``event:<id>:unit:<id>``.
- ``agenda.tasks_missed``: a unit missed at least ``count`` task occurrences whose due time fell
  in the last ``days`` days; one finding per unit, key ``tasks_missed:unit:<id>``.

Each answers in a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from chuangcheng.agenda.domain.calendar import attach_partners, responsible_units
from chuangcheng.agenda.enums import EventKind, OccurrenceState
from chuangcheng.agenda.models import CalendarEvent, TaskOccurrence
from chuangcheng.alerts.domain.kinds import Finding, Param, register_kind
from chuangcheng.orgs.models import Unit


def _int(params: dict[str, Any], name: str, default: int) -> int:
    value = params.get(name)
    return default if value in (None, "") else int(value)


@register_kind(
    "agenda.deadline_near",
    label=gettext_lazy("Material deadline near"),
    params={
        "days": Param(
            gettext_lazy("Days before the deadline"),
            type=int,
            default=3,
            help=gettext_lazy("Warn when a material deadline is this many days away or less."),
        )
    },
    description=gettext_lazy(
        "A material deadline (材料报送截止) of the calendar is near: one warning per deadline "
        "and responsible unit."
    ),
)
def deadline_near(params: dict[str, Any], now: dt.datetime) -> Iterable[Finding]:
    days = _int(params, "days", 3)
    today = timezone.localdate(now)
    events = list(
        CalendarEvent.objects.filter(
            kind=EventKind.MATERIAL,
            start_date__gte=today,
            start_date__lte=today + dt.timedelta(days=days),
        )
        .select_related("lead_unit", "region")
        .order_by("start_date", "pk")
    )
    attach_partners(events)
    found = []
    for event in events:
        left = (event.start_date - today).days
        for unit in responsible_units(event):
            values = {"title": event.title, "unit": unit.name, "n": left}
            title = (
                _("%(unit)s: %(title)s is due today") % values
                if left == 0
                else ngettext(
                    "%(unit)s: %(title)s is due in %(n)d day",
                    "%(unit)s: %(title)s is due in %(n)d days",
                    left,
                )
                % values
            )
            found.append(
                Finding(
                    key=f"event:{event.pk}:unit:{unit.pk}",
                    title=title,
                    detail=_("Deadline %(date)s.") % {"date": event.start_date.isoformat()},
                    unit_id=unit.pk,
                    region_id=event.region_id,
                    url=reverse("agenda:event_detail", args=[event.pk]),
                    value=float(left),
                )
            )
    return found


@register_kind(
    "agenda.tasks_missed",
    label=gettext_lazy("Unit tasks missed"),
    params={
        "count": Param(
            gettext_lazy("Missed occurrences"),
            type=int,
            default=3,
            help=gettext_lazy("Warn when a unit missed at least this many task occurrences."),
        ),
        "days": Param(
            gettext_lazy("Over the last days"),
            type=int,
            default=7,
            help=gettext_lazy("Count occurrences whose due time fell in this many past days."),
        ),
    },
    description=gettext_lazy(
        "A unit did not do its recurring tasks (日巡查, 周小结, 月盘点) in time: "
        "one warning per unit."
    ),
)
def tasks_missed(params: dict[str, Any], now: dt.datetime) -> Iterable[Finding]:
    count = max(1, _int(params, "count", 3))
    days = max(1, _int(params, "days", 7))
    since = now - dt.timedelta(days=days)
    rows = (
        TaskOccurrence.objects.in_state(OccurrenceState.MISSED, now)
        .filter(due_at__gte=since, series__active=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=count)
        .order_by("unit_id")
    )
    missed = {r["unit_id"]: r["n"] for r in rows}
    units = Unit.objects.in_bulk(list(missed))
    first = timezone.localdate(since)
    last = timezone.localdate(now)
    found = []
    for unit_id, n in missed.items():
        unit = units[unit_id]
        query = urlencode(
            {
                "unit": unit_id,
                "state": OccurrenceState.MISSED,
                "period": f"{first.isoformat()}..{last.isoformat()}",
            }
        )
        found.append(
            Finding(
                key=f"tasks_missed:unit:{unit_id}",
                title=ngettext(
                    "%(unit)s missed %(n)d task in the last %(d)d days",
                    "%(unit)s missed %(n)d tasks in the last %(d)d days",
                    n,
                )
                % {"unit": unit.name, "n": n, "d": days},
                unit_id=unit_id,
                region_id=unit.region_id,
                url=f"{reverse('agenda:occurrences')}?{query}",
                value=float(n),
            )
        )
    return found
