""".ics subscriptions: one secret link per unit, for phone calendars that cannot log in.

The token is 32 random bytes (URL-safe); only its SHA-256 is stored, so the link is shown once,
when issued. Issuing again replaces the hash: the old link answers 404 from then on. Issuing is
audited (never the token itself). The feed holds the unit's events from ``PAST_DAYS`` ago and
its task occurrences not done from today to ``AGENDA_DAYS_AHEAD`` days ahead.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.agenda.domain import ics
from chuangcheng.agenda.models import CalendarEvent, FeedToken, TaskOccurrence
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Unit

PAST_DAYS = 60
TASK_MINUTES = 30  # how long a task's entry lasts in a calendar, ending at its due time
UID_DOMAIN = "chuangcheng.agenda"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@transaction.atomic
def issue_token(*, actor: Any, unit: Unit, now: dt.datetime | None = None) -> str:
    """A new secret for ``unit``'s feed (replacing any earlier one); returns the token."""
    if not actor.has_perm("agenda.issue_feed", unit):
        raise PermissionDenied
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    existing = FeedToken.objects.select_for_update().filter(unit=unit).first()
    if existing is None:
        row = FeedToken.objects.create(
            unit=unit, token_hash=digest(token), issued_at=now, issued_by=actor
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            row,
            object_repr=str(unit),
            after={"unit": unit.pk, "issued_at": now.isoformat()},
            note="calendar feed link issued",
        )
        return token
    before = {"issued_at": existing.issued_at.isoformat(), "issued_by": existing.issued_by_id}
    existing.token_hash, existing.issued_at, existing.issued_by = digest(token), now, actor
    existing.save(update_fields=["token_hash", "issued_at", "issued_by"])
    audit.record(
        actor,
        AuditAction.UPDATE,
        existing,
        object_repr=str(unit),
        before=before,
        after={"issued_at": now.isoformat(), "issued_by": actor.pk},
        note="calendar feed link regenerated; the old link stops working",
    )
    return token


def unit_for_token(token: str) -> Unit | None:
    """The active unit whose current link carries ``token``, else None."""
    if not token or len(token) > 100:
        return None
    row = (
        FeedToken.objects.filter(token_hash=digest(token), unit__active=True)
        .select_related("unit__region")
        .first()
    )
    return row.unit if row else None


def _event_entry(event: CalendarEvent, base_url: str) -> ics.Entry:
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime
    if event.start_time is None:
        start, end = event.start_date, event.last_day + dt.timedelta(days=1)
    else:
        zone = timezone.get_current_timezone()
        start = dt.datetime.combine(event.start_date, event.start_time, tzinfo=zone)
        end_time = (
            event.end_time
            or (
                dt.datetime.combine(event.start_date, event.start_time) + dt.timedelta(hours=1)
            ).time()
        )
        end = dt.datetime.combine(event.last_day, end_time, tzinfo=zone)
        if end <= start:
            end = start + dt.timedelta(hours=1)
    lines = [event.get_kind_display()]
    if event.clause is not None:
        lines.append(_("Clause: %(c)s") % {"c": f"{event.clause.number} {event.clause.text}"})
    if event.description:
        lines.append(event.description)
    return ics.Entry(
        uid=f"event-{event.pk}@{UID_DOMAIN}",
        stamp=event.updated_at,
        summary=event.title,
        start=start,
        end=end,
        description="\n".join(lines),
        url=f"{base_url}{reverse('agenda:event_detail', args=[event.pk])}" if base_url else "",
        categories=str(event.get_kind_display()),
        alarms=tuple(event.remind_days or ()),
    )


def _task_entry(occ: TaskOccurrence, base_url: str) -> ics.Entry:
    end = timezone.localtime(occ.due_at)
    return ics.Entry(
        uid=f"task-{occ.pk}@{UID_DOMAIN}",
        stamp=occ.series.updated_at,
        summary=_("Task: %(t)s") % {"t": occ.series.title},
        start=end - dt.timedelta(minutes=TASK_MINUTES),
        end=end,
        description=occ.series.description,
        url=f"{base_url}{reverse('agenda:my_tasks')}" if base_url else "",
        categories=_("Unit task"),
    )


def feed_text(unit: Unit, *, base_url: str = "", today: dt.date | None = None) -> str:
    """The unit's calendar as iCalendar text (three queries)."""
    today = today or timezone.localdate()
    events = (
        CalendarEvent.objects.for_unit(unit)
        .filter(start_date__gte=today - dt.timedelta(days=PAST_DAYS))
        .select_related("clause")
        .order_by("start_date", "pk")
    )
    horizon = today + dt.timedelta(days=settings.AGENDA_DAYS_AHEAD)
    tasks = (
        TaskOccurrence.objects.filter(
            unit=unit,
            completed_at__isnull=True,
            due_date__gte=today,
            due_date__lte=horizon,
            series__active=True,
        )
        .select_related("series")
        .order_by("due_at", "pk")
    )
    entries = [_event_entry(e, base_url) for e in events]
    entries += [_task_entry(o, base_url) for o in tasks]
    name = _("%(unit)s · campaign calendar") % {"unit": unit.short_name or unit.name}
    return ics.calendar(name, entries, zone=settings.TIME_ZONE)
