"""The demo's campaign calendar (创建日历), loaded after the rounds and ratings.

``load_demo_calendar(stdout)`` creates, once, through the calendar's own domain functions:

- the material deadlines (材料报送截止) of the demo framework's material clauses, for their lead
  and partner units, in three batches (one past, two ahead);
- the national assessment window (国家测评, July–August), the monthly bulletins (督察通报, the
  5th of each month), a survey campaign and a meeting, shown to every unit of the district;
- the 11710 tasks of every street office: 日巡查 every day, 周小结 every Friday, 月盘点 on the
  last day of the month, from six weeks ago, with a completion history: each street does its
  tasks on time with its own steadiness, some late (the next morning), some missed. Streets
  without a demo account get a clerk who never logs in (as the red-flag raters do);
- the reminders the job would send today (in-app, and text messages left in the outbox).

A fixed seed makes every load the same; a second load changes nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.agenda.domain.events import EventData, generate_clause_deadlines, save_event
from chuangcheng.agenda.domain.reminders import send_reminders
from chuangcheng.agenda.domain.tasks import SeriesData, complete_occurrence, save_series
from chuangcheng.agenda.enums import LAST_DAY, EventKind, Frequency, Weekday
from chuangcheng.agenda.models import CalendarEvent, TaskOccurrence, TaskSeries
from chuangcheng.demo import catalog
from chuangcheng.demo.cases import frozen
from chuangcheng.frameworks.enums import FrameworkStatus, Method
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit

SEED = 20261201
HISTORY_DAYS = 42
NOTES = ("", "", "", "已巡查，发现问题已转办", "台账已更新", "小结已上报街道工委")


def _when(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def _material_clauses() -> list[Node]:
    nodes = Node.objects.filter(
        framework__code=catalog.FRAMEWORK_CODE, framework__status=FrameworkStatus.ACTIVE
    ).order_by("seq")
    return [n for n in nodes if Method.MATERIAL in (n.methods or []) and n.lead_unit_id]


def _deadlines(office: User, district: Region, today: dt.date) -> int:
    clauses = _material_clauses()
    if not clauses:
        return 0
    third = max(1, len(clauses) // 3)
    batches = (
        (clauses[:third], today - dt.timedelta(days=10), [7, 3, 1]),
        (clauses[third : 2 * third], today + dt.timedelta(days=3), [7, 3, 1]),
        (clauses[2 * third :], today + dt.timedelta(days=16), [7, 3, 1]),
    )
    made = 0
    for batch, deadline, days in batches:
        if batch:
            created, _skipped = generate_clause_deadlines(
                actor=office, clauses=batch, deadline=deadline, region=district, remind_days=days
            )
            made += len(created)
    return made


def _month(day: dt.date, shift: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


def _general_events(office: User, district: Region, today: dt.date) -> int:
    year = today.year if today < dt.date(today.year, 7, 1) else today.year + 1
    events = [
        EventData(
            title=_("National assessment window %(y)d") % {"y": year},
            kind=EventKind.NATIONAL,
            start_date=dt.date(year, 7, 1),
            end_date=dt.date(year, 8, 31),
            region=district,
            general=True,
            remind_days=[30, 7],
            description="国家测评组可能随时暗访：点位常态保持，材料随时备查。",
        ),
        EventData(
            title="群众满意度问卷调查（入户）",
            kind=EventKind.SURVEY,
            start_date=today + dt.timedelta(days=8),
            end_date=today + dt.timedelta(days=21),
            region=district,
            general=True,
            remind_days=[3],
            description="100个小区×20户入户调查，请各街道做好入户引导。",
        ),
        EventData(
            title="创城工作推进会",
            kind=EventKind.MEETING,
            start_date=today + dt.timedelta(days=2),
            start_time=dt.time(9, 0),
            end_time=dt.time(10, 30),
            region=district,
            general=True,
            remind_days=[1],
            description="区文明办三楼会议室；各街道、各委办局主管领导参加。",
        ),
    ]
    for shift in range(-2, 4):
        first = _month(today, shift)
        events.append(
            EventData(
                title=_("Inspection bulletin of %(m)s") % {"m": f"{first:%Y-%m}"},
                kind=EventKind.BULLETIN,
                start_date=first.replace(day=5),
                region=district,
                general=True,
                remind_days=[],
            )
        )
    for data in events:
        save_event(actor=office, data=data)
    return len(events)


def _clerks(streets: list[Unit]) -> dict[int, User]:
    """The user who ticks each street's tasks: its demo account, else a clerk who never logs in."""
    users: dict[int, User] = {}
    for g in Grant.objects.filter(role=Role.UNIT, unit__in=streets).select_related("user"):
        users.setdefault(g.unit_id or 0, g.user)
    for street in streets:
        if street.pk in users:
            continue
        user, created = User.objects.get_or_create(
            username=f"clerk_{street.code}",
            defaults={
                "display_name": street.contact_name or f"{street.short_name}联络员",
                "must_change_password": False,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Grant.objects.create(user=user, role=Role.UNIT, unit=street)
        users[street.pk] = user
    return users


def _series(
    office: User, district: Region, streets: list[Unit], start: dt.date, today: dt.date
) -> None:
    # (title, what to do, frequency, weekday, day of the month, due hour)
    plans: tuple[tuple[str, str, str, int | None, int | None, int], ...] = (
        (
            "日巡查",
            "巡查辖区主次干道、背街小巷和重点点位，问题当日转办。",
            Frequency.DAILY,
            None,
            None,
            18,
        ),
        (
            "周小结",
            "汇总本周巡查和整改情况，上报街道创城办。",
            Frequency.WEEKLY,
            Weekday.FRIDAY,
            None,
            17,
        ),
        (
            "月盘点",
            "盘点本月台账：一事一台账，销号情况和遗留问题。",
            Frequency.MONTHLY,
            None,
            LAST_DAY,
            17,
        ),
    )
    for title, description, frequency, weekday, month_day, hour in plans:
        save_series(
            actor=office,
            data=SeriesData(
                title=title,
                description=description,
                frequency=frequency,
                weekday=weekday,
                month_day=month_day,
                start_date=start,
                region=district,
                units=streets,
                due_time=dt.time(hour, 0),
            ),
            today=today,
        )


def _history(streets: list[Unit], clerks: dict[int, User], today: dt.date) -> int:
    """Tick the past occurrences as each street would have: on time, late or not at all."""
    rng = random.Random(SEED)
    steadiness = {s.pk: rng.choice((0.97, 0.93, 0.9, 0.86, 0.8, 0.72, 0.6)) for s in streets}
    done = 0
    rows = (
        TaskOccurrence.objects.filter(due_date__lt=today, completed_at__isnull=True)
        .select_related("series", "unit")
        .order_by("due_date", "unit__path", "series__title")
    )
    for occ in rows:
        roll = rng.random()
        steady = steadiness[occ.unit_id]
        if roll < steady:
            at = occ.due_at - dt.timedelta(minutes=rng.randint(20, 9 * 60))
        elif roll < steady + (1 - steady) / 2:
            at = _when(occ.due_date + dt.timedelta(days=1), 9, rng.randint(0, 59))
        else:
            continue
        with frozen(at):
            complete_occurrence(
                actor=clerks[occ.unit_id], occurrence=occ, note=rng.choice(NOTES), now=at
            )
        done += 1
    return done


@transaction.atomic
def load_demo_calendar(stdout: Any, today: dt.date | None = None) -> int:
    """Create the demo calendar once; returns how many events it made (0 when there)."""
    district = Region.objects.filter(code=catalog.DISTRICT_CODE).first()
    office = User.objects.filter(username="office").first()
    if district is None or office is None or CalendarEvent.objects.exists():
        return 0
    if TaskSeries.objects.exists():
        return 0
    today = today or timezone.localdate()
    made = _deadlines(office, district, today) + _general_events(office, district, today)
    streets = list(
        Unit.objects.filter(
            kind=UnitKind.TERRITORIAL, region__level=RegionLevel.STREET, active=True
        ).order_by("path")
    )
    ticked = 0
    if streets:
        start = today - dt.timedelta(days=HISTORY_DAYS)
        _series(office, district, streets, start, today)
        ticked = _history(streets, _clerks(streets), today)
    # What the reminder job would send on ``today`` (the demo's "now", which a test fixes): the
    # units' inboxes and the outbox show it.
    now = timezone.now()
    if today != timezone.localdate(now):
        now = timezone.make_aware(dt.datetime.combine(today, dt.time(9)))
    send_reminders(now=now, send=False)
    stdout.write(
        _(
            "Calendar: %(events)d events, the 11710 tasks of %(streets)d street offices with "
            "%(done)d past occurrences done."
        )
        % {"events": made, "streets": len(streets), "done": ticked}
    )
    return made
