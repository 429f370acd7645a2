"""Task series: generation (idempotent, from the start, ahead), replanning, completion."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.agenda.domain.tasks import (
    SeriesData,
    complete_occurrence,
    generate_occurrences,
    save_series,
)
from chuangcheng.agenda.enums import LAST_DAY, Frequency
from chuangcheng.agenda.models import SeriesUnit, TaskOccurrence, TaskSeries
from chuangcheng.core.models import AuditEntry
from tests.agenda.conftest import Agenda, build_agenda, moment
from tests.conftest import World

TODAY = dt.date(2026, 11, 18)  # a Wednesday
D = dt.date


@pytest.fixture
def ag(world: World, settings: object) -> Agenda:
    settings.AGENDA_DAYS_AHEAD = 14  # type: ignore[attr-defined]
    return build_agenda(world, today=TODAY)


def dates(series: TaskSeries, unit: object) -> list[dt.date]:
    return list(
        TaskOccurrence.objects.filter(series=series, unit=unit)
        .order_by("due_date")
        .values_list("due_date", flat=True)
    )


def test_daily_series_has_every_day_from_its_start_to_14_days_ahead(ag: Agenda) -> None:
    w = ag.world
    expected = [D(2026, 11, 15) + dt.timedelta(days=i) for i in range(3 + 1 + 14)]
    assert dates(ag.daily, w.unit_s1) == expected
    assert dates(ag.daily, w.unit_s2) == expected
    assert TaskOccurrence.objects.filter(series=ag.daily).count() == 36
    assert ag.daily.generated_until == D(2026, 12, 2)


def test_occurrence_due_at_is_the_local_due_time(ag: Agenda) -> None:
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=ag.world.unit_s1, due_date=TODAY)
    assert occ.due_at == moment(TODAY, 18)


def test_weekly_series_on_fridays(ag: Agenda) -> None:
    assert dates(ag.weekly, ag.world.unit_s1) == [D(2026, 11, 20), D(2026, 11, 27)]
    assert dates(ag.weekly, ag.world.unit_s2) == []


def test_generation_is_idempotent_and_continues_from_the_watermark(ag: Agenda) -> None:
    before = TaskOccurrence.objects.count()
    assert generate_occurrences(today=TODAY) == 0
    assert TaskOccurrence.objects.count() == before
    # A day later, one more day per daily unit (2) and no new Friday.
    assert generate_occurrences(today=TODAY + dt.timedelta(days=1)) == 2
    assert TaskOccurrence.objects.count() == before + 2
    assert generate_occurrences(today=TODAY + dt.timedelta(days=1)) == 0


def test_generation_after_losing_the_watermark_creates_nothing_twice(ag: Agenda) -> None:
    before = TaskOccurrence.objects.count()
    TaskSeries.objects.update(generated_until=None)
    generate_occurrences(today=TODAY)
    assert TaskOccurrence.objects.count() == before


def test_generation_runs_in_four_statements_whatever_the_series(
    ag: Agenda, django_assert_num_queries: object
) -> None:
    TaskSeries.objects.update(generated_until=None)
    TaskOccurrence.objects.all().delete()
    # series, their units, one insert, one update (+ the savepoint and its release).
    with django_assert_num_queries(6):  # type: ignore[operator]
        generate_occurrences(today=TODAY)
    assert TaskOccurrence.objects.count() == 38
    for i in range(5):
        extra = TaskSeries.objects.create(
            title=f"任务{i}", frequency=Frequency.DAILY, start_date=TODAY, region=ag.world.district
        )
        SeriesUnit.objects.create(series=extra, unit=ag.world.unit_s2)
    TaskSeries.objects.update(generated_until=None)
    with django_assert_num_queries(6):  # type: ignore[operator]
        generate_occurrences(today=TODAY)
    assert TaskOccurrence.objects.count() == 38 + 5 * 15


def test_monthly_last_day_series_across_february_of_a_leap_year(world: World) -> None:
    series = save_series(
        actor=world.office,
        data=SeriesData(
            title="月盘点",
            frequency=Frequency.MONTHLY,
            month_day=LAST_DAY,
            start_date=D(2028, 1, 10),
            end_date=D(2028, 4, 30),
            region=world.district,
            units=[world.unit_s1],
        ),
        today=D(2028, 1, 10),
    )
    generate_occurrences(today=D(2028, 4, 1), days_ahead=60)
    assert dates(series, world.unit_s1) == [
        D(2028, 1, 31),
        D(2028, 2, 29),
        D(2028, 3, 31),
        D(2028, 4, 30),
    ]


def test_series_past_its_end_is_not_extended(world: World) -> None:
    series = save_series(
        actor=world.office,
        data=SeriesData(
            title="短期任务",
            frequency=Frequency.DAILY,
            start_date=D(2026, 11, 1),
            end_date=D(2026, 11, 3),
            region=world.district,
            units=[world.unit_s1],
        ),
        today=D(2026, 11, 18),
    )
    assert dates(series, world.unit_s1) == [D(2026, 11, 1), D(2026, 11, 2), D(2026, 11, 3)]
    assert generate_occurrences(today=D(2026, 11, 19)) == 0


def test_changing_units_and_time_replans_only_open_days_from_today(ag: Agenda) -> None:
    w = ag.world
    done = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s2, due_date=TODAY)
    complete_occurrence(actor=w.user_s2, occurrence=done, now=moment(TODAY, 9))
    save_series(
        actor=w.office,
        series=ag.daily,
        data=SeriesData(
            title="日巡查",
            frequency=Frequency.DAILY,
            start_date=ag.daily.start_date,
            region=w.district,
            units=[w.unit_s1],
            due_time=dt.time(12, 0),
        ),
        today=TODAY,
    )
    # unit_s2 keeps its past days and today's done one; nothing from tomorrow on.
    assert dates(ag.daily, w.unit_s2) == [D(2026, 11, 15), D(2026, 11, 16), D(2026, 11, 17), TODAY]
    # unit_s1's days from today on follow the new due time; past ones keep 18:00.
    s1 = TaskOccurrence.objects.filter(series=ag.daily, unit=w.unit_s1)
    assert s1.get(due_date=TODAY).due_at == moment(TODAY, 12)
    assert s1.get(due_date=D(2026, 11, 17)).due_at == moment(D(2026, 11, 17), 18)
    assert s1.count() == 18
    entry = AuditEntry.objects.filter(object_type="agenda.taskseries", action="update").get()
    assert entry.before == {"due_time": "18:00:00", "units": [w.unit_s1.pk, w.unit_s2.pk]}
    assert entry.after == {"due_time": "12:00:00", "units": [w.unit_s1.pk]}


def test_stopping_a_series_removes_its_open_days_from_today(ag: Agenda) -> None:
    w = ag.world
    save_series(
        actor=w.office,
        series=ag.weekly,
        data=SeriesData(
            title="周小结",
            frequency=Frequency.WEEKLY,
            weekday=4,
            start_date=ag.weekly.start_date,
            region=w.district,
            units=[w.unit_s1],
            due_time=dt.time(17, 0),
            active=False,
        ),
        today=TODAY,
    )
    assert dates(ag.weekly, w.unit_s1) == []


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"frequency": Frequency.WEEKLY}, "weekday"),
        ({"frequency": Frequency.MONTHLY, "month_day": 32}, "month_day"),
        ({"end_date": D(2026, 10, 1)}, "end_date"),
        ({"units": []}, "units"),
    ],
)
def test_bad_series_is_refused_and_nothing_written(
    world: World, changes: dict[str, object], field: str
) -> None:
    data = SeriesData(
        title="日巡查",
        frequency=Frequency.DAILY,
        start_date=D(2026, 11, 1),
        region=world.district,
        units=[world.unit_s1],
    )
    for name, value in changes.items():
        setattr(data, name, value)
    with pytest.raises(ValidationError) as exc:
        save_series(actor=world.office, data=data, today=TODAY)
    assert field in exc.value.error_dict
    assert TaskSeries.objects.count() == 0
    assert TaskOccurrence.objects.count() == 0


def test_a_unit_cannot_create_a_series(world: World) -> None:
    with pytest.raises(PermissionDenied):
        save_series(
            actor=world.user_s1,
            data=SeriesData(
                title="x",
                frequency=Frequency.DAILY,
                start_date=TODAY,
                region=world.district,
                units=[world.unit_s1],
            ),
            today=TODAY,
        )


def test_done_before_the_due_time_is_on_time_and_audited(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    complete_occurrence(actor=w.user_s1, occurrence=occ, note=" 巡查3处 ", now=moment(TODAY, 17))
    occ.refresh_from_db()
    assert (occ.completed_by, occ.note, occ.late, occ.state()) == (
        w.user_s1,
        "巡查3处",
        False,
        "done",
    )
    entry = AuditEntry.objects.get(object_type="agenda.taskoccurrence", object_id=str(occ.pk))
    assert entry.after["late"] is False
    assert entry.actor == w.user_s1


def test_done_after_the_due_time_is_late(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=D(2026, 11, 16))
    complete_occurrence(actor=w.user_s1, occurrence=occ, now=moment(TODAY, 8))
    occ.refresh_from_db()
    assert (occ.late, occ.state()) == (True, "late")


def test_done_twice_is_refused(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    complete_occurrence(actor=w.user_s1, occurrence=occ, now=moment(TODAY, 9))
    again = TaskOccurrence.objects.get(pk=occ.pk)
    with pytest.raises(ValidationError, match="已经完成"):
        complete_occurrence(actor=w.user_s1, occurrence=again, now=moment(TODAY, 10))
    assert TaskOccurrence.objects.get(pk=occ.pk).completed_at == moment(TODAY, 9)


def test_a_day_still_to_come_cannot_be_done(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(
        series=ag.daily, unit=w.unit_s1, due_date=TODAY + dt.timedelta(days=1)
    )
    with pytest.raises(ValidationError, match="还没到期"):
        complete_occurrence(actor=w.user_s1, occurrence=occ, now=moment(TODAY, 9))
    assert TaskOccurrence.objects.get(pk=occ.pk).completed_at is None


def test_another_unit_and_the_office_cannot_mark_it_done(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    for user in (w.user_s2, w.office, w.user_line):
        with pytest.raises(PermissionDenied):
            complete_occurrence(actor=user, occurrence=occ, now=moment(TODAY, 9))
    assert TaskOccurrence.objects.get(pk=occ.pk).completed_at is None


def test_too_long_note_is_refused(ag: Agenda) -> None:
    w = ag.world
    occ = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    with pytest.raises(ValidationError, match="备注过长"):
        complete_occurrence(actor=w.user_s1, occurrence=occ, note="x" * 501, now=moment(TODAY, 9))
    assert TaskOccurrence.objects.get(pk=occ.pk).completed_at is None
