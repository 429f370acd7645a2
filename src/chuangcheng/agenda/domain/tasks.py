"""Recurring unit tasks: saving a series, generating its occurrences, marking one done.

Occurrences exist once per (series, unit, day) — a unique constraint, and inserts that ignore
conflicts — so generation may run any number of times, or twice at once. A run continues from
each series' ``generated_until`` (from its start the first time, so past days since the start
are there too) to ``AGENDA_DAYS_AHEAD`` days from today, in one insert for all series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.agenda.domain.recurrence import due_days
from chuangcheng.agenda.enums import LAST_DAY, Frequency
from chuangcheng.agenda.models import SeriesUnit, TaskOccurrence, TaskSeries
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Region, Unit

NOTE_MAX = 500
SCHEDULE_FIELDS = ("frequency", "weekday", "month_day", "start_date", "end_date", "due_time")


@dataclass
class SeriesData:
    """What the office's form (or the demo) gives for a series."""

    title: str
    frequency: str
    start_date: dt.date
    region: Region
    units: list[Unit] = field(default_factory=list)
    description: str = ""
    clause: Node | None = None
    weekday: int | None = None
    month_day: int | None = None
    end_date: dt.date | None = None
    due_time: dt.time = dt.time(18, 0)
    active: bool = True


def clean_series(data: SeriesData) -> None:
    """Raise ValidationError naming every problem of ``data``."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the task a title.")
    if data.frequency not in Frequency.values:
        errors["frequency"] = _("Choose how often the task recurs.")
    if data.frequency == Frequency.WEEKLY and (data.weekday is None or not 0 <= data.weekday <= 6):
        errors["weekday"] = _("A weekly task needs the weekday it is due.")
    if data.frequency == Frequency.MONTHLY and (
        data.month_day is None or not LAST_DAY <= data.month_day <= 31
    ):
        errors["month_day"] = _("A monthly task needs the day of the month it is due.")
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = _("The last day cannot be before the first.")
    if not data.units:
        errors["units"] = _("Assign the task to at least one unit.")
    if errors:
        raise ValidationError(errors)


def _snapshot(series: TaskSeries, unit_ids: Iterable[int]) -> dict[str, Any]:
    state = audit.snapshot(
        series,
        [
            "title",
            "description",
            "clause_id",
            *SCHEDULE_FIELDS,
            "region_id",
            "active",
        ],
    )
    state["units"] = sorted(unit_ids)
    return state


@transaction.atomic
def save_series(
    *,
    actor: Any,
    data: SeriesData,
    series: TaskSeries | None = None,
    today: dt.date | None = None,
) -> TaskSeries:
    """Create or change a series and generate its occurrences. Changing the schedule, the
    units or the active flag replaces the occurrences not done from today on (done ones and
    past ones stay as they were: history is not rewritten)."""
    clean_series(data)
    today = today or timezone.localdate()
    target = series or TaskSeries(created_by=actor if actor else None)
    if not actor.has_perm("agenda.manage_calendar", data.region):
        raise PermissionDenied
    if series is not None and not actor.has_perm("agenda.manage_calendar", series):
        raise PermissionDenied
    old_units = (
        set(SeriesUnit.objects.filter(series=series).values_list("unit_id", flat=True))
        if series is not None
        else set()
    )
    before = _snapshot(series, old_units) if series is not None else None
    weekly, monthly = data.frequency == Frequency.WEEKLY, data.frequency == Frequency.MONTHLY
    target.title = data.title.strip()
    target.description = data.description.strip()
    target.clause = data.clause
    target.frequency = data.frequency
    target.weekday = data.weekday if weekly else None
    target.month_day = data.month_day if monthly else None
    target.start_date = data.start_date
    target.end_date = data.end_date
    target.due_time = data.due_time
    target.region = data.region
    target.active = data.active
    new_units = {u.pk for u in data.units}
    after = _snapshot(target, new_units)
    replan = series is not None and any(
        before is not None and before.get(k) != after.get(k)
        for k in (*SCHEDULE_FIELDS, "units", "active")
    )
    if replan:
        # From today on, what is not done follows the new plan.
        TaskOccurrence.objects.filter(
            series=series, completed_at__isnull=True, due_date__gte=today
        ).delete()
        if target.generated_until is not None:
            target.generated_until = min(target.generated_until, today - dt.timedelta(days=1))
    target.save()
    if new_units != old_units:
        SeriesUnit.objects.filter(series=target).exclude(unit_id__in=new_units).delete()
        SeriesUnit.objects.bulk_create(
            [SeriesUnit(series=target, unit_id=pk) for pk in sorted(new_units - old_units)]
        )
    if series is None:
        audit.record(actor, AuditAction.CREATE, target, after=after)
    else:
        audit.record(actor, AuditAction.UPDATE, target, before=before, after=after)
    generate_occurrences(today=today, series=TaskSeries.objects.filter(pk=target.pk))
    target.refresh_from_db(fields=["generated_until"])
    return target


def due_at(day: dt.date, at: dt.time) -> dt.datetime:
    """The aware local moment ``at`` on ``day``."""
    return dt.datetime.combine(day, at, tzinfo=timezone.get_current_timezone())


def generate_occurrences(
    *,
    today: dt.date | None = None,
    days_ahead: int | None = None,
    series: Any = None,
) -> int:
    """Create the missing occurrences of every active series (or of ``series``, a queryset)
    up to ``days_ahead`` days from today; returns how many rows were offered. Two reads, one
    insert and one update, whatever the number of series."""
    today = today or timezone.localdate()
    days_ahead = settings.AGENDA_DAYS_AHEAD if days_ahead is None else days_ahead
    horizon = today + dt.timedelta(days=days_ahead)
    qs = series if series is not None else TaskSeries.objects.all()
    todo = list(
        qs.filter(active=True, start_date__lte=horizon)
        .filter(Q(generated_until__isnull=True) | Q(generated_until__lt=horizon))
        .exclude(end_date__isnull=False, generated_until__gte=F("end_date"))
        .order_by("pk")
    )
    if not todo:
        return 0
    units: dict[int, list[int]] = {}
    for link in SeriesUnit.objects.filter(series__in=[s.pk for s in todo]).order_by("unit_id"):
        units.setdefault(link.series_id, []).append(link.unit_id)
    rows: list[TaskOccurrence] = []
    for s in todo:
        first = s.start_date
        if s.generated_until is not None:
            first = max(first, s.generated_until + dt.timedelta(days=1))
        last = min(horizon, s.end_date) if s.end_date else horizon
        for day in due_days(
            s.frequency, start=first, end=last, weekday=s.weekday, month_day=s.month_day
        ):
            moment = due_at(day, s.due_time)
            rows.extend(
                TaskOccurrence(series=s, unit_id=u, due_date=day, due_at=moment)
                for u in units.get(s.pk, [])
            )
    with transaction.atomic():
        if rows:
            TaskOccurrence.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
        TaskSeries.objects.filter(pk__in=[s.pk for s in todo]).update(generated_until=horizon)
    # Rows offered: the watermark means a day is offered once, so only a concurrent run (whose
    # rows the constraint turned away) makes this more than what was inserted.
    return len(rows)


@transaction.atomic
def complete_occurrence(
    *,
    actor: Any,
    occurrence: TaskOccurrence,
    note: str = "",
    now: dt.datetime | None = None,
) -> TaskOccurrence:
    """Mark one occurrence done by ``actor`` (a user of its unit) with an optional note.
    Refused when it is done already or not due yet (a day still to come)."""
    now = now or timezone.now()
    if not actor.has_perm("agenda.complete_task", occurrence):
        raise PermissionDenied
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX}
        )
    if occurrence.due_date > timezone.localdate(now):
        raise ValidationError(_("This task is not due yet: it can be done from its day on."))
    claimed = TaskOccurrence.objects.filter(pk=occurrence.pk, completed_at__isnull=True).update(
        completed_at=now, completed_by=actor, note=note
    )
    if not claimed:
        raise ValidationError(_("This task is done already."))
    occurrence.completed_at, occurrence.completed_by, occurrence.note = now, actor, note
    audit.record(
        actor,
        AuditAction.UPDATE,
        occurrence,
        object_repr=f"{occurrence.series.title} · {occurrence.unit} · {occurrence.due_date}",
        before={"completed_at": None, "note": ""},
        after={"completed_at": now.isoformat(), "note": note, "late": occurrence.late},
    )
    return occurrence
