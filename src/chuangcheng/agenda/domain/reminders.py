"""Reminders of the calendar (job ``agenda.remind``, ADR 0006 and 0010).

- **Deadlines.** For an event ``d`` days away, ``d`` one of its remind days, each responsible
  unit (lead and partners) is told: in-app, every user holding the unit role over it (the reach
  of ADR 0006), and a text message to its 联络员. Each (event, unit, d) is sent once. A job that
  did not run on the day catches up with the nearest remind day not yet passed only: an event
  created two days ahead sends its "3 days" reminder, not also its "7 days" one.
- **The day's tasks.** From ``AGENDA_DIGEST_HOUR`` local time, each unit with occurrences due
  today and not done gets one digest for the day (not one per task), in-app and by text.

Keys (``event:3:unit:7:d3``, ``tasks:unit:7:2026-11-30``) are recorded in ``ReminderSent``; the
notifications and messages use them too, so nothing is sent twice, whatever the runs.
A fixed number of statements per run, whatever the number of events, units or tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chuangcheng.accounts.holders import unit_users
from chuangcheng.agenda.domain.calendar import attach_partners, responsible_units
from chuangcheng.agenda.models import CalendarEvent, ReminderSent, TaskOccurrence
from chuangcheng.core import messaging, notify
from chuangcheng.core.models_messages import Channel, Level
from chuangcheng.orgs.models import Unit

# Remind days beyond this are not looked at (a reminder a year ahead is not one).
MAX_AHEAD = 366


@dataclass(frozen=True)
class Reminder:
    """One message to one unit."""

    key: str
    unit: Unit
    title: str
    body: str
    text: str  # the text message, before the signature
    link: str
    level: str
    scope_path: str


def due_remind_day(remind_days: Sequence[int], days_left: int) -> int | None:
    """The remind day due with ``days_left`` days to go: the smallest one not below it."""
    candidates = [d for d in remind_days if d >= days_left]
    return min(candidates) if candidates else None


def event_key(event_id: int, unit_id: int, days: int) -> str:
    return f"event:{event_id}:unit:{unit_id}:d{days}"


def digest_key(unit_id: int, day: dt.date) -> str:
    return f"tasks:unit:{unit_id}:{day.isoformat()}"


def _event_reminders(today: dt.date) -> list[Reminder]:
    events = list(
        CalendarEvent.objects.filter(
            start_date__gte=today, start_date__lte=today + dt.timedelta(days=MAX_AHEAD)
        )
        .select_related("lead_unit", "region")
        .order_by("start_date", "pk")
    )
    attach_partners(events)
    found: list[Reminder] = []
    for event in events:
        days_left = (event.start_date - today).days
        days = due_remind_day(event.remind_days or [], days_left)
        if days is None:
            continue
        values = {
            "title": event.title,
            "date": event.start_date.isoformat(),
            "kind": event.get_kind_display(),
        }
        if days_left == 0:
            title = _("Today: %(title)s") % values
        else:
            title = ngettext("In %(n)d day: %(title)s", "In %(n)d days: %(title)s", days_left) % {
                **values,
                "n": days_left,
            }
        for unit in responsible_units(event):
            if not unit.active:
                continue
            text = _("%(unit)s: %(kind)s “%(title)s” is on %(date)s.") % {
                **values,
                "unit": unit.short_name or unit.name,
            }
            found.append(
                Reminder(
                    key=event_key(event.pk, unit.pk, days),
                    unit=unit,
                    title=title,
                    body=_("%(kind)s on %(date)s. Your unit answers for it.") % values,
                    text=text,
                    link=reverse("agenda:event_detail", args=[event.pk]),
                    level=Level.WARNING if days_left <= 1 else Level.INFO,
                    scope_path=event.region.path,
                )
            )
    return found


def _task_digests(now: dt.datetime) -> list[Reminder]:
    local = timezone.localtime(now)
    if local.hour < settings.AGENDA_DIGEST_HOUR:
        return []
    today = local.date()
    rows = (
        TaskOccurrence.objects.filter(
            due_date=today, completed_at__isnull=True, series__active=True
        )
        .select_related("series", "unit__region")
        .order_by("unit_id", "due_at", "series__title")
    )
    by_unit: dict[int, list[TaskOccurrence]] = {}
    for occ in rows:
        by_unit.setdefault(occ.unit_id, []).append(occ)
    found = []
    for occs in by_unit.values():
        unit = occs[0].unit
        titles = "、".join(o.series.title for o in occs[:5])
        n = len(occs)
        values = {"n": n, "titles": titles, "unit": unit.short_name or unit.name}
        found.append(
            Reminder(
                key=digest_key(unit.pk, today),
                unit=unit,
                title=ngettext("%(n)d task due today", "%(n)d tasks due today", n) % values,
                body=_("Due today and not done yet: %(titles)s.") % values,
                text=ngettext(
                    "%(unit)s: %(n)d task is due today: %(titles)s.",
                    "%(unit)s: %(n)d tasks are due today: %(titles)s.",
                    n,
                )
                % values,
                link=reverse("agenda:my_tasks"),
                level=Level.INFO,
                scope_path=unit.region.path if unit.region else "",
            )
        )
    return found


def send_reminders(*, now: dt.datetime | None = None, send: bool = True) -> list[str]:
    """Send every reminder due at ``now`` and not sent before; returns their keys."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        wanted = _event_reminders(timezone.localdate(now)) + _task_digests(now)
        if not wanted:
            return []
        done = set(
            ReminderSent.objects.filter(key__in=[r.key for r in wanted]).values_list(
                "key", flat=True
            )
        )
        todo = [r for r in wanted if r.key not in done]
        if not todo:
            return []
        with transaction.atomic():
            ReminderSent.objects.bulk_create(
                [ReminderSent(key=r.key, sent_at=now) for r in todo], ignore_conflicts=True
            )
            users = unit_users({r.unit.pk: r.unit for r in todo}.values())
            notify.notify(
                [
                    (
                        notify.Notice(
                            key=f"agenda:{r.key}",
                            title=r.title,
                            body=r.body,
                            link=r.link,
                            level=r.level,
                            about=r.unit.short_name or r.unit.name,
                            scope_path=r.scope_path,
                        ),
                        users.get(r.unit.pk, []),
                    )
                    for r in todo
                ],
                now=now,
                send=send,
            )
            messaging.queue(
                [_text(r) for r in todo if r.unit.contact_phone.strip()], now=now, send=send
            )
    return [r.key for r in todo]


def _text(r: Reminder) -> messaging.Outgoing:
    return messaging.Outgoing(
        key=f"agenda:{r.key}:contact",
        channel=Channel.SMS,
        to=r.unit.contact_phone,
        to_name=r.unit.contact_name,
        to_role=_("contact (联络员)"),
        unit_id=r.unit.pk,
        template=settings.SMS_TEMPLATE_AGENDA,
        params={"unit": r.unit.short_name or r.unit.name, "text": r.text},
        text=f"【{settings.SMS_SIGN_NAME}】{r.text}",
        link=r.link,
        about=r.unit.short_name or r.unit.name,
        scope_path=r.scope_path,
    )
