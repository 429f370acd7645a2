"""Events: units default to the clause's, bad input is refused, clause deadlines in one step,
and who sees which event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chuangcheng.accounts.enums import Role
from chuangcheng.agenda.domain.events import (
    EventData,
    delete_event,
    generate_clause_deadlines,
    parse_remind_days,
    save_event,
)
from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import (
    CalendarEvent,
    EventPartner,
    SeriesUnit,
    TaskOccurrence,
    TaskSeries,
)
from chuangcheng.core.models import AuditEntry
from tests.agenda.conftest import Agenda, build_agenda
from tests.conftest import World
from tests.factories import UserFactory, grant

TODAY = dt.date(2026, 11, 18)


@pytest.fixture
def ag(world: World) -> Agenda:
    return build_agenda(world, today=TODAY)


def partners(event: CalendarEvent) -> set[int]:
    return set(EventPartner.objects.filter(event=event).values_list("unit_id", flat=True))


def test_clause_gives_the_event_its_lead_and_partner_units(ag: Agenda) -> None:
    assert ag.e_cg.lead_unit == ag.world.line_cg
    assert partners(ag.e_cg) == {ag.world.unit_s1.pk}
    entry = AuditEntry.objects.get(object_type="agenda.calendarevent", object_id=str(ag.e_cg.pk))
    assert entry.action == "create"
    assert entry.after["partner_units"] == [ag.world.unit_s1.pk]
    assert entry.after["lead_unit_id"] == ag.world.line_cg.pk


def test_units_given_win_over_the_clause(ag: Agenda) -> None:
    w = ag.world
    event = save_event(
        actor=w.office,
        data=EventData(
            title="方案报送",
            kind=EventKind.MATERIAL,
            start_date=TODAY,
            region=w.district,
            clause=ag.ledger,
            lead_unit=w.unit_s2,
            partner_units=[w.unit_s2, w.line_sj],
        ),
    )
    # The lead is never also a partner.
    assert (event.lead_unit, partners(event)) == (w.unit_s2, {w.line_sj.pk})


def test_editing_an_event_audits_the_change(ag: Agenda) -> None:
    w = ag.world
    save_event(
        actor=w.office,
        event=ag.e_cg,
        data=EventData(
            title="台账材料报送（延期）",
            kind=EventKind.MATERIAL,
            start_date=TODAY + dt.timedelta(days=8),
            region=w.district,
            clause=ag.ledger,
            lead_unit=w.line_cg,
            partner_units=[],
            remind_days=[3],
        ),
    )
    assert partners(ag.e_cg) == set()
    entry = AuditEntry.objects.get(object_type="agenda.calendarevent", action="update")
    assert entry.before == {
        "title": "台账材料报送",
        "start_date": "2026-11-23",
        "remind_days": [7, 3, 1],
        "partner_units": [w.unit_s1.pk],
    }
    assert entry.after == {
        "title": "台账材料报送（延期）",
        "start_date": "2026-11-26",
        "remind_days": [3],
        "partner_units": [],
    }


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": ""}, "title"),
        ({"kind": "party"}, "kind"),
        ({"end_date": TODAY - dt.timedelta(days=1)}, "end_date"),
        ({"end_time": dt.time(10)}, "end_time"),
        ({"start_time": dt.time(10), "end_time": dt.time(9)}, "end_time"),
        ({"remind_days": [400]}, "remind_days"),
        ({"kind": EventKind.MATERIAL, "lead_unit": None}, "lead_unit"),
    ],
)
def test_bad_event_is_refused_and_nothing_written(
    world: World, changes: dict[str, object], field: str
) -> None:
    data = EventData(title="会", kind=EventKind.MEETING, start_date=TODAY, region=world.district)
    for name, value in changes.items():
        setattr(data, name, value)
    with pytest.raises(ValidationError) as exc:
        save_event(actor=world.office, data=data)
    assert field in exc.value.error_dict
    assert CalendarEvent.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="agenda.calendarevent").exists()


def test_parse_remind_days() -> None:
    assert parse_remind_days("7, 3，1 3") == [7, 3, 1]
    assert parse_remind_days("") == []
    for bad in ("7 x", "-1", "400", "1.5"):
        with pytest.raises(ValidationError):
            parse_remind_days(bad)


def test_only_the_office_over_the_region_edits(ag: Agenda) -> None:
    w = ag.world
    street_office = UserFactory()
    grant(street_office, Role.OFFICE, region=w.s1)
    data = EventData(title="x", kind=EventKind.MEETING, start_date=TODAY, region=w.district)
    for user in (w.user_s1, w.leader, street_office):
        with pytest.raises(PermissionDenied):
            save_event(actor=user, data=data)
        with pytest.raises(PermissionDenied):
            delete_event(actor=user, event=ag.e_cg)
    assert CalendarEvent.objects.count() == 4


def test_delete_is_audited(ag: Agenda) -> None:
    pk = ag.e_s2.pk
    delete_event(actor=ag.world.office, event=ag.e_s2)
    assert not CalendarEvent.objects.filter(pk=pk).exists()
    entry = AuditEntry.objects.get(object_type="agenda.calendarevent", action="delete")
    assert (entry.object_id, entry.before["title"]) == (str(pk), "景山创城推进会")


def test_generate_clause_deadlines_once_per_clause_and_day(ag: Agenda) -> None:
    w = ag.world
    deadline = dt.date(2026, 12, 10)
    created, skipped = generate_clause_deadlines(
        actor=w.office,
        clauses=[ag.ledger, ag.plan, ag.field],
        deadline=deadline,
        region=w.district,
        remind_days=[5, 1],
    )
    assert [(e.title, e.lead_unit_id, e.remind_days) for e in created] == [
        ("材料报送截止：1. 建立志愿服务台账", w.line_cg.pk, [5, 1]),
        ("材料报送截止：2. 制定年度工作方案", w.unit_s2.pk, [5, 1]),
        ("材料报送截止：3. 农贸市场划行归市", w.line_sj.pk, [5, 1]),
    ]
    assert [e.clause_id for e in created] == [ag.ledger.pk, ag.plan.pk, ag.field.pk]
    assert partners(created[0]) == {w.unit_s1.pk}
    assert skipped == []
    assert (
        AuditEntry.objects.filter(object_type="agenda.calendarevent", action="create").count()
        == 4 + 3
    )
    again, skipped = generate_clause_deadlines(
        actor=w.office, clauses=[ag.ledger, ag.plan], deadline=deadline, region=w.district
    )
    assert again == []
    assert {n.pk for n in skipped} == {ag.ledger.pk, ag.plan.pk}


def test_generate_needs_a_clause(ag: Agenda) -> None:
    with pytest.raises(ValidationError):
        generate_clause_deadlines(
            actor=ag.world.office, clauses=[], deadline=TODAY, region=ag.world.district
        )


def titles(qs: object) -> set[str]:
    return {e.title for e in qs}  # type: ignore[attr-defined]


def test_office_and_leader_see_every_event_of_the_district(ag: Agenda) -> None:
    every = {"台账材料报送", "景山创城推进会", "国家测评窗口期", "文明办内部会"}
    assert titles(CalendarEvent.objects.visible_to(ag.world.office)) == every
    assert titles(CalendarEvent.objects.visible_to(ag.world.leader)) == every


def test_units_see_their_own_events_and_the_general_ones(ag: Agenda) -> None:
    w = ag.world
    assert titles(CalendarEvent.objects.visible_to(w.user_s1)) == {"台账材料报送", "国家测评窗口期"}
    assert titles(CalendarEvent.objects.visible_to(w.user_s2)) == {
        "景山创城推进会",
        "国家测评窗口期",
    }
    assert titles(CalendarEvent.objects.visible_to(w.user_line)) == {
        "台账材料报送",
        "国家测评窗口期",
    }
    assert titles(CalendarEvent.objects.visible_to(w.inspector)) == set()
    assert titles(CalendarEvent.objects.visible_to(w.nobody)) == set()


def test_series_and_occurrences_are_seen_by_their_units_only(ag: Agenda) -> None:
    w = ag.world
    assert titles(TaskSeries.objects.visible_to(w.user_s1)) == {"日巡查", "周小结"}
    assert titles(TaskSeries.objects.visible_to(w.user_s2)) == {"日巡查"}
    assert titles(TaskSeries.objects.visible_to(w.user_line)) == set()
    assert set(TaskOccurrence.objects.visible_to(w.user_s2).values_list("unit_id", flat=True)) == {
        w.unit_s2.pk
    }
    assert TaskOccurrence.objects.visible_to(w.office).count() == TaskOccurrence.objects.count()
    assert SeriesUnit.objects.count() == 3
