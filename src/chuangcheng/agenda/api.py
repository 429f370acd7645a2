"""The campaign calendar under /api/v1/agenda/, scoped like the pages.

Events of a date range (with the inspection rounds the user may see), the units' task
occurrences, and marking one's own occurrence done. Rows outside the user's scope answer 404.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.agenda.domain import calendar as cal
from chuangcheng.agenda.domain.tasks import complete_occurrence
from chuangcheng.agenda.enums import EventKind, OccurrenceState
from chuangcheng.agenda.models import CalendarEvent, TaskOccurrence
from chuangcheng.core.api_support import Error

router = Router(tags=["agenda"])

MAX_DAYS = 366
MAX_OCCURRENCES = 1000


class CalendarUnitRef(Schema):
    id: int
    code: str
    name: str


class CalendarEventOut(Schema):
    id: int
    source: str = Field(..., description="event, or round for an inspection round")
    title: str
    kind: str = Field(..., description=" | ".join([*EventKind.values]))
    start_date: dt.date
    end_date: dt.date = Field(..., description="The last day (the start date for one day)")
    start_time: dt.time | None = Field(None, description="null: all day")
    end_time: dt.time | None = None
    lead_unit: CalendarUnitRef | None = None
    partner_units: list[CalendarUnitRef] = []
    clause: int | None = Field(None, description="Framework node id")
    url: str


class EventDetailOut(CalendarEventOut):
    region: str
    remind_days: list[int]
    description: str


class OccurrenceOut(Schema):
    id: int
    series: int
    title: str
    unit: CalendarUnitRef
    due_date: dt.date
    due_at: dt.datetime
    state: str = Field(..., description=" | ".join(OccurrenceState.values))
    completed_at: dt.datetime | None
    completed_by: str | None
    note: str


class CompleteIn(Schema):
    note: str = ""


def _unit(u: Any) -> dict[str, Any] | None:
    return {"id": u.pk, "code": u.code, "name": u.name} if u is not None else None


def _item(i: cal.Item) -> dict[str, Any]:
    return {
        "id": i.pk,
        "source": i.source,
        "title": i.title,
        "kind": i.kind,
        "start_date": i.start,
        "end_date": i.last,
        "start_time": i.start_time,
        "end_time": i.end_time,
        "lead_unit": _unit(i.lead),
        "partner_units": [_unit(u) for u in i.partners],
        "clause": i.clause.pk if i.clause is not None else None,
        "url": i.url,
    }


def _occurrence(o: TaskOccurrence, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": o.pk,
        "series": o.series_id,
        "title": o.series.title,
        "unit": _unit(o.unit),
        "due_date": o.due_date,
        "due_at": o.due_at,
        "state": o.state(now),
        "completed_at": o.completed_at,
        "completed_by": o.completed_by.get_username() if o.completed_by else None,
        "note": o.note,
    }


def _range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """``[start, end]`` as a half-open range; default: the current month."""
    today = timezone.localdate()
    if start is None and end is None:
        return cal.month_bounds(today.year, today.month)
    if start is None or end is None:
        raise HttpError(422, "Give both start and end, or neither (the current month).")
    if end < start:
        raise HttpError(422, "The end is before the start.")
    if (end - start).days >= MAX_DAYS:
        raise HttpError(422, f"At most {MAX_DAYS} days at a time.")
    return start, end + dt.timedelta(days=1)


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "Not allowed.")


class EventParams(Schema):
    start: dt.date | None = Field(None, description="First day (default: the month's first)")
    end: dt.date | None = Field(None, description="Last day, included")
    kind: str = ""


@router.get(
    "/events",
    response={200: list[CalendarEventOut], 403: Error, 422: Error},
    summary="Calendar events",
)
def list_events(request: HttpRequest, params: Query[EventParams]) -> list[dict[str, Any]]:
    _need(request, "agenda.view_calendar")
    start, end = _range(params.start, params.end)
    if params.kind and params.kind not in EventKind.values:
        raise HttpError(422, "Unknown kind.")
    items = cal.items_between(request.user, start, end, cal.Filters(kind=params.kind))
    return [_item(i) for i in items]


@router.get("/events/{event_id}", response={200: EventDetailOut, 404: Error}, summary="One event")
def get_event(request: HttpRequest, event_id: int) -> dict[str, Any]:
    found = (
        CalendarEvent.objects.visible_to(request.user)
        .select_related("lead_unit", "clause", "region")
        .filter(pk=event_id)
        .first()
    )
    if found is None:
        raise Http404
    cal.attach_partners([found])
    return {
        **_item(cal.event_item(found)),
        "region": found.region.name,
        "remind_days": found.remind_days or [],
        "description": found.description,
    }


class OccurrenceParams(Schema):
    start: dt.date | None = Field(None, description="First due day (default: the month's first)")
    end: dt.date | None = Field(None, description="Last due day, included")
    state: str = Field("", description=" | ".join(OccurrenceState.values))
    unit: int | None = None


@router.get(
    "/occurrences",
    response={200: list[OccurrenceOut], 403: Error, 422: Error},
    summary="Task occurrences",
)
def list_occurrences(request: HttpRequest, params: Query[OccurrenceParams]) -> list[dict[str, Any]]:
    _need(request, "agenda.view_calendar")
    start, end = _range(params.start, params.end)
    now = timezone.now()
    qs = TaskOccurrence.objects.visible_to(request.user).filter(
        due_date__gte=start, due_date__lt=end
    )
    if params.state:
        if params.state not in OccurrenceState.values:
            raise HttpError(422, "Unknown state.")
        qs = qs.in_state(params.state, now)
    if params.unit is not None:
        qs = qs.filter(unit_id=params.unit)
    rows = qs.select_related("series", "unit", "completed_by").order_by("due_at", "pk")
    return [_occurrence(o, now) for o in rows[:MAX_OCCURRENCES]]


@router.post(
    "/occurrences/{occurrence_id}/complete",
    response={200: OccurrenceOut, 403: Error, 404: Error, 422: Error},
    summary="Mark one of your unit's task occurrences done",
)
def complete(request: HttpRequest, occurrence_id: int, payload: CompleteIn) -> dict[str, Any]:
    occurrence = (
        TaskOccurrence.objects.visible_to(request.user)
        .select_related("series", "unit")
        .filter(pk=occurrence_id)
        .first()
    )
    if occurrence is None:
        raise Http404
    try:
        complete_occurrence(actor=request.user, occurrence=occurrence, note=payload.note)
    except PermissionDenied as exc:
        raise HttpError(403, "Only the unit's own users mark its tasks done.") from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _occurrence(occurrence, timezone.now())
