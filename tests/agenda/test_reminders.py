"""Reminders: deadlines N days before, to each responsible unit, once per (event, unit, days);
the day's tasks as one digest per unit and day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.agenda.domain.events import EventData, save_event
from chuangcheng.agenda.domain.reminders import due_remind_day, send_reminders
from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import ReminderSent, TaskOccurrence
from chuangcheng.core.models_messages import Notification, OutboundMessage
from tests.agenda.conftest import Agenda, build_agenda, deadline, moment
from tests.conftest import World
from tests.factories import UnitFactory

TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def ag(world: World, settings: object) -> Agenda:
    settings.AGENDA_DIGEST_HOUR = 8  # type: ignore[attr-defined]
    return build_agenda(world, today=TODAY)


def test_due_remind_day_is_the_nearest_threshold_not_passed() -> None:
    assert due_remind_day([7, 3, 1], 10) is None
    assert due_remind_day([7, 3, 1], 7) == 7
    assert due_remind_day([7, 3, 1], 5) == 7
    assert due_remind_day([7, 3, 1], 2) == 3
    assert due_remind_day([7, 3, 1], 0) == 1
    assert due_remind_day([7, 0], 0) == 0
    assert due_remind_day([], 0) is None


def test_first_run_sends_each_due_reminder_once(ag: Agenda) -> None:
    w = ag.world
    sent = send_reminders(now=moment(TODAY, 9), send=False)
    assert set(sent) == {
        f"event:{ag.e_cg.pk}:unit:{w.line_cg.pk}:d7",
        f"event:{ag.e_cg.pk}:unit:{w.unit_s1.pk}:d7",
        f"event:{ag.e_s2.pk}:unit:{w.unit_s2.pk}:d1",
        f"tasks:unit:{w.unit_s1.pk}:2026-11-18",
        f"tasks:unit:{w.unit_s2.pk}:2026-11-18",
    }
    by_user = {
        u.username: sorted(Notification.objects.filter(recipient=u).values_list("title", flat=True))
        for u in (w.user_s1, w.user_s2, w.user_line, w.office)
    }
    assert by_user == {
        "unit_s1": ["5天后：台账材料报送", "今天有 1 项任务到期"],
        "unit_s2": ["1天后：景山创城推进会", "今天有 1 项任务到期"],
        "unit_line": ["5天后：台账材料报送"],
        "office": [],
    }
    texts = OutboundMessage.objects.filter(channel="sms")
    assert texts.count() == 5
    assert {m.unit_id for m in texts} == {w.line_cg.pk, w.unit_s1.pk, w.unit_s2.pk}
    meeting = texts.get(key=f"agenda:event:{ag.e_s2.pk}:unit:{w.unit_s2.pk}:d1:contact")
    assert meeting.text == "【创城】景山街道办事处：会议“景山创城推进会”在 2026-11-19。"
    assert meeting.to == "13812341234"


def test_a_second_run_sends_nothing(ag: Agenda) -> None:
    send_reminders(now=moment(TODAY, 9), send=False)
    before = (Notification.objects.count(), OutboundMessage.objects.count())
    assert send_reminders(now=moment(TODAY, 9, 30), send=False) == []
    assert (Notification.objects.count(), OutboundMessage.objects.count()) == before


def test_next_days_send_only_new_keys(ag: Agenda) -> None:
    w = ag.world
    send_reminders(now=moment(TODAY, 9), send=False)
    day2 = TODAY + dt.timedelta(days=1)
    # The meeting is today now: its only reminder (1 day) went yesterday.
    assert set(send_reminders(now=moment(day2, 9), send=False)) == {
        f"tasks:unit:{w.unit_s1.pk}:2026-11-19",
        f"tasks:unit:{w.unit_s2.pk}:2026-11-19",
    }
    day3 = TODAY + dt.timedelta(days=2)  # a Friday: 周小结 too
    assert set(send_reminders(now=moment(day3, 9), send=False)) == {
        f"event:{ag.e_cg.pk}:unit:{w.line_cg.pk}:d3",
        f"event:{ag.e_cg.pk}:unit:{w.unit_s1.pk}:d3",
        f"tasks:unit:{w.unit_s1.pk}:2026-11-20",
        f"tasks:unit:{w.unit_s2.pk}:2026-11-20",
    }
    digest = Notification.objects.get(recipient=w.user_s1, title="今天有 2 项任务到期")
    assert digest.body == "今天到期尚未完成：周小结、日巡查。"  # by due time: 17:00, 18:00


def test_no_digest_before_the_digest_hour_nor_for_done_tasks(ag: Agenda) -> None:
    w = ag.world
    sent = send_reminders(now=moment(TODAY, 7, 59), send=False)
    assert not [k for k in sent if k.startswith("tasks:")]
    TaskOccurrence.objects.filter(unit=w.unit_s1, due_date=TODAY).update(
        completed_at=moment(TODAY, 7), completed_by=w.user_s1
    )
    sent = send_reminders(now=moment(TODAY, 8), send=False)
    assert [k for k in sent if k.startswith("tasks:")] == [f"tasks:unit:{w.unit_s2.pk}:2026-11-18"]


def test_an_event_created_late_sends_only_its_nearest_reminder(ag: Agenda) -> None:
    w = ag.world
    event = save_event(
        actor=w.office,
        data=EventData(
            title="临时报送",
            kind=EventKind.MATERIAL,
            start_date=TODAY + dt.timedelta(days=2),
            region=w.district,
            lead_unit=w.line_sj,
        ),
    )
    sent = send_reminders(now=moment(TODAY, 9), send=False)
    assert [k for k in sent if k.startswith(f"event:{event.pk}:")] == [
        f"event:{event.pk}:unit:{w.line_sj.pk}:d3"
    ]


def test_a_run_takes_the_same_number_of_queries_for_more_events_and_units(ag: Agenda) -> None:
    w = ag.world
    with CaptureQueriesContext(connection) as small:
        assert len(send_reminders(now=moment(TODAY, 9), send=False)) == 5
    # Forget what was sent, add four deadlines of new units (each with a partner), run again.
    ReminderSent.objects.all().delete()
    Notification.objects.all().delete()
    OutboundMessage.objects.all().delete()
    for i in range(4):
        deadline(w, f"报送{i}", TODAY + dt.timedelta(days=1), UnitFactory(region=w.s2), [w.line_sj])
    with CaptureQueriesContext(connection) as large:
        sent = send_reminders(now=moment(TODAY, 9), send=False)
    assert len(sent) == 5 + 8  # four events, each with its lead and a partner
    assert len(large) == len(small)
