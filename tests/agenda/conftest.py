"""A calendar on top of ``world``: an active framework with material clauses, events for
different units, and two recurring task series.

- clause ``ledger`` (material): lead 城管委 (line_cg), partner 东华门 (unit_s1);
- clause ``plan`` (material): lead 景山 (unit_s2), no partner;
- clause ``field`` (field only): lead 市场监管局;
- ``e_cg``: material deadline of ``ledger`` in 5 days (lead line_cg, partner unit_s1);
- ``e_s2``: a meeting of 景山 tomorrow at 09:30–11:00, region s2;
- ``e_window``: the national assessment window, general (every unit of the district), 20 days;
- ``e_office``: an office-only event (no unit, not general);
- ``daily``: 日巡查 every day from 3 days ago, for unit_s1 and unit_s2, due 18:00;
- ``weekly``: 周小结 every Friday from 3 days ago, for unit_s1 only, due 17:00.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.agenda.domain.events import EventData, save_event
from chuangcheng.agenda.domain.tasks import SeriesData, save_series
from chuangcheng.agenda.enums import EventKind, Frequency, Weekday
from chuangcheng.agenda.models import CalendarEvent, TaskSeries
from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from tests.conftest import World

DAY = dt.timedelta(days=1)


@dataclass
class Agenda:
    world: World
    today: dt.date
    framework: Framework
    ledger: Node
    plan: Node
    field: Node
    e_cg: CalendarEvent
    e_s2: CalendarEvent
    e_window: CalendarEvent
    e_office: CalendarEvent
    daily: TaskSeries
    weekly: TaskSeries


def build_clauses(world: World) -> tuple[Framework, Node, Node, Node]:
    framework = Framework.objects.create(
        code="fw", version=1, name="测评体系", status=FrameworkStatus.ACTIVE
    )
    content = Node.objects.create(
        framework=framework, level=NodeLevel.CONTENT, text="志愿服务制度", seq=1
    )

    def standard(seq: int, number: str, text: str, methods: list[str], lead: Any) -> Node:
        return Node.objects.create(
            framework=framework,
            parent=content,
            level=NodeLevel.STANDARD,
            seq=seq,
            number=number,
            text=text,
            methods=methods,
            lead_unit=lead,
        )

    ledger = standard(2, "1.", "建立志愿服务台账", ["material"], world.line_cg)
    ledger.partner_units.set([world.unit_s1])
    plan = standard(3, "2.", "制定年度工作方案", ["material", "online"], world.unit_s2)
    field = standard(4, "3.", "农贸市场划行归市", ["field"], world.line_sj)
    return framework, ledger, plan, field


def build_agenda(world: World, today: dt.date | None = None) -> Agenda:
    today = today or timezone.localdate()
    framework, ledger, plan, field = build_clauses(world)
    office = world.office

    def event(**kw: Any) -> CalendarEvent:
        kw.setdefault("region", world.district)
        return save_event(actor=office, data=EventData(**kw))

    e_cg = event(
        title="台账材料报送",
        kind=EventKind.MATERIAL,
        start_date=today + 5 * DAY,
        clause=ledger,
    )
    e_s2 = event(
        title="景山创城推进会",
        kind=EventKind.MEETING,
        start_date=today + DAY,
        start_time=dt.time(9, 30),
        end_time=dt.time(11, 0),
        lead_unit=world.unit_s2,
        region=world.s2,
        remind_days=[1],
    )
    e_window = event(
        title="国家测评窗口期",
        kind=EventKind.NATIONAL,
        start_date=today + 20 * DAY,
        end_date=today + 40 * DAY,
        general=True,
        remind_days=[7],
    )
    e_office = event(
        title="文明办内部会", kind=EventKind.MEETING, start_date=today + 2 * DAY, remind_days=[]
    )
    daily = save_series(
        actor=office,
        data=SeriesData(
            title="日巡查",
            frequency=Frequency.DAILY,
            start_date=today - 3 * DAY,
            region=world.district,
            units=[world.unit_s1, world.unit_s2],
            due_time=dt.time(18, 0),
        ),
        today=today,
    )
    weekly = save_series(
        actor=office,
        data=SeriesData(
            title="周小结",
            frequency=Frequency.WEEKLY,
            weekday=Weekday.FRIDAY,
            start_date=today - 3 * DAY,
            region=world.district,
            units=[world.unit_s1],
            due_time=dt.time(17, 0),
        ),
        today=today,
    )
    return Agenda(
        world, today, framework, ledger, plan, field, e_cg, e_s2, e_window, e_office, daily, weekly
    )


@pytest.fixture
def agenda(world: World) -> Agenda:
    return build_agenda(world)


def moment(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware local time on ``day``."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=timezone.get_current_timezone())


def deadline(
    world: World, title: str, day: dt.date, lead: Any, partners: list[Any]
) -> CalendarEvent:
    """A material deadline of the district by the office."""
    return save_event(
        actor=world.office,
        data=EventData(
            title=title,
            kind=EventKind.MATERIAL,
            start_date=day,
            region=world.district,
            lead_unit=lead,
            partner_units=partners,
        ),
    )


def daily(world: World, title: str, start: dt.date, units: list[Any], today: dt.date) -> TaskSeries:
    """A daily task of the district by the office, due at 18:00."""
    return save_series(
        actor=world.office,
        data=SeriesData(
            title=title,
            frequency=Frequency.DAILY,
            start_date=start,
            region=world.district,
            units=units,
        ),
        today=today,
    )


def queries_before_and_after(client: Any, url: str, grow: Any) -> tuple[int, int, Any]:
    """Queries of ``url`` (after a first request warmed the session), then again after
    ``grow()`` added data; returns both counts and the second response."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    return len(small), len(large), response
