"""The demo calendar on the small world: what it creates, and that loading twice adds nothing."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from django.db.models import F

from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import CalendarEvent, ReminderSent, TaskOccurrence, TaskSeries
from chuangcheng.demo import catalog
from chuangcheng.demo.calendar import HISTORY_DAYS, load_demo_calendar
from chuangcheng.frameworks.models import Framework
from tests.agenda.conftest import build_clauses
from tests.conftest import World

TODAY = dt.date(2026, 11, 18)


def test_demo_calendar(world: World) -> None:
    framework, _ledger, _plan, _field = build_clauses(world)
    Framework.objects.filter(pk=framework.pk).update(code=catalog.FRAMEWORK_CODE)
    out = StringIO()
    made = load_demo_calendar(out, today=TODAY)
    # Two material clauses with a lead unit (one per batch), the window, a survey, a meeting
    # and six monthly bulletins.
    assert made == 2 + 3 + 6
    kinds = list(CalendarEvent.objects.values_list("kind", flat=True))
    assert sorted(kinds).count(EventKind.MATERIAL) == 2
    assert CalendarEvent.objects.get(kind=EventKind.NATIONAL).start_date == dt.date(2027, 7, 1)
    bulletins = CalendarEvent.objects.filter(kind=EventKind.BULLETIN).order_by("start_date")
    assert [e.start_date for e in bulletins][:2] == [dt.date(2026, 9, 5), dt.date(2026, 10, 5)]
    # The two street offices of the world, three series each.
    assert sorted(TaskSeries.objects.values_list("title", flat=True)) == [
        "周小结",
        "日巡查",
        "月盘点",
    ]
    assert set(TaskOccurrence.objects.values_list("unit_id", flat=True)) == {
        world.unit_s1.pk,
        world.unit_s2.pk,
    }
    past = TaskOccurrence.objects.filter(due_date__lt=TODAY)
    daily = past.filter(series__title="日巡查", unit=world.unit_s1).count()
    assert daily == HISTORY_DAYS
    done = past.filter(completed_at__isnull=False)
    assert 0 < done.count() < past.count()
    assert set(done.values_list("completed_by__username", flat=True)) <= {"unit_s1", "unit_s2"}
    assert done.filter(completed_at__gt=F("due_at")).exists()  # some late
    assert not TaskOccurrence.objects.filter(due_date__gte=TODAY, completed_at__isnull=False)
    assert ReminderSent.objects.exists()
    assert "创建日历" in out.getvalue()
    # Loading again adds nothing.
    counts = (CalendarEvent.objects.count(), TaskOccurrence.objects.count())
    assert load_demo_calendar(StringIO(), today=TODAY) == 0
    assert (CalendarEvent.objects.count(), TaskOccurrence.objects.count()) == counts
