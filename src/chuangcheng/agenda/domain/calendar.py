"""What the calendar shows a user for a range of days: their visible events and, read from
the inspections app (never copied), the inspection rounds they may see.

:func:`items_between` answers in a fixed number of queries; :func:`month_grid` lays the items
of a month out in weeks (Monday first) for the desktop grid; the phone list uses the same items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.urls import reverse

from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import CalendarEvent, EventPartner
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Round
from chuangcheng.orgs.models import Unit

ROUND = "round"


@dataclass
class Item:
    """One entry of the calendar: an event, or an inspection round (``source`` "round")."""

    source: str
    pk: int
    title: str
    kind: str
    kind_label: str
    start: dt.date
    last: dt.date
    url: str
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    lead: Unit | None = None
    partners: list[Unit] = field(default_factory=list)
    clause: Any = None
    status: str = ""

    @property
    def css(self) -> str:
        return f"ag-k-{self.kind}"

    @property
    def days(self) -> int:
        return (self.last - self.start).days + 1

    def touches(self, day: dt.date) -> bool:
        return self.start <= day <= self.last


@dataclass
class Filters:
    """The calendar's filters: a kind, a unit, a clause (None: any)."""

    kind: str = ""
    unit: Unit | None = None
    clause_id: int | None = None

    @property
    def any(self) -> bool:
        return bool(self.kind or self.unit or self.clause_id)


def events_between(
    user: Any, start: dt.date, end: dt.date, filters: Filters | None = None
) -> list[CalendarEvent]:
    """The user's visible events touching ``[start, end)``, their partner units attached as
    ``partners`` (two queries after the scope)."""
    filters = filters or Filters()
    qs = CalendarEvent.objects.visible_to(user).between(start, end)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.unit is not None:
        qs = qs.filter(
            Q(lead_unit=filters.unit)
            | Q(pk__in=EventPartner.objects.filter(unit=filters.unit).values("event_id"))
        )
    if filters.clause_id:
        qs = qs.filter(clause_id=filters.clause_id)
    events = list(
        qs.select_related("lead_unit", "clause", "region").order_by(
            "start_date", "start_time", "pk"
        )
    )
    attach_partners(events)
    return events


def attach_partners(events: Sequence[CalendarEvent]) -> None:
    """Set ``event.partners`` (units, by path) on each event, in one query."""
    found: dict[int, list[Unit]] = {e.pk: [] for e in events}
    if found:
        links = EventPartner.objects.filter(event_id__in=list(found)).select_related("unit")
        for link in links.order_by("unit__path"):
            found[link.event_id].append(link.unit)
    for e in events:
        e.partners = found[e.pk]  # type: ignore[attr-defined]


def responsible_units(event: CalendarEvent) -> list[Unit]:
    """The event's lead unit, then its partners (``attach_partners`` first)."""
    lead = [event.lead_unit] if event.lead_unit is not None else []
    return lead + list(getattr(event, "partners", []))


def rounds_between(user: Any, start: dt.date, end: dt.date) -> list[Round]:
    """Inspection rounds the user may see (not drafts) whose dates touch ``[start, end)``."""
    return list(
        Round.objects.visible_to(user)
        .exclude(status=RoundStatus.DRAFT)
        .filter(period_start__lt=end, period_end__gte=start)
        .select_related("region")
        .order_by("period_start", "pk")
    )


def event_item(e: CalendarEvent) -> Item:
    return Item(
        source="event",
        pk=e.pk,
        title=e.title,
        kind=e.kind,
        kind_label=str(e.get_kind_display()),
        start=e.start_date,
        last=e.last_day,
        url=reverse("agenda:event_detail", args=[e.pk]),
        start_time=e.start_time,
        end_time=e.end_time,
        lead=e.lead_unit,
        partners=getattr(e, "partners", []),
        clause=e.clause,
    )


def round_item(r: Round) -> Item:
    return Item(
        source=ROUND,
        pk=r.pk,
        title=r.name,
        kind=EventKind.INSPECTION,
        kind_label=str(EventKind.INSPECTION.label),
        start=r.period_start,
        last=r.period_end,
        url=reverse("inspections:round_detail", args=[r.pk]),
        status=str(r.get_status_display()),
    )


def items_between(
    user: Any, start: dt.date, end: dt.date, filters: Filters | None = None
) -> list[Item]:
    """Events and rounds touching ``[start, end)``, by first day. Rounds have no units or
    clause: a unit or clause filter leaves them out."""
    filters = filters or Filters()
    items = [event_item(e) for e in events_between(user, start, end, filters)]
    if (
        filters.kind in ("", EventKind.INSPECTION)
        and filters.unit is None
        and not filters.clause_id
    ):
        items += [round_item(r) for r in rounds_between(user, start, end)]
    items.sort(key=lambda i: (i.start, i.start_time or dt.time.min, i.title))
    return items


@dataclass
class Day:
    day: dt.date
    in_month: bool
    today: bool
    items: list[Item]


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, month, 1)
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return start, end


def grid_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The Monday on or before the 1st and the day after the Sunday on or after the last day."""
    start, end = month_bounds(year, month)
    first = start - dt.timedelta(days=start.weekday())
    last = end - dt.timedelta(days=1)
    return first, last + dt.timedelta(days=7 - last.weekday())


def month_grid(items: Sequence[Item], year: int, month: int, today: dt.date) -> list[list[Day]]:
    """The weeks of the month's grid. An item is shown on its first day and, when it lasts
    longer, again at the start of each following week it touches (so a month-long round is
    not repeated in every cell)."""
    first, after = grid_bounds(year, month)
    weeks: list[list[Day]] = []
    day = first
    while day < after:
        week = []
        for _i in range(7):
            shown = [
                i
                for i in items
                if i.touches(day) and (day == i.start or day.weekday() == 0 or day == first)
            ]
            week.append(Day(day, day.month == month, day == today, shown))
            day += dt.timedelta(days=1)
        weeks.append(week)
    return weeks


def agenda_days(
    items: Sequence[Item], start: dt.date, end: dt.date
) -> list[tuple[dt.date, list[Item]]]:
    """The phone list: each item once, under its first day in ``[start, end)``."""
    days: dict[dt.date, list[Item]] = {}
    for item in items:
        days.setdefault(max(item.start, start), []).append(item)
    return sorted(((d, rows) for d, rows in days.items() if d < end), key=lambda p: p[0])
