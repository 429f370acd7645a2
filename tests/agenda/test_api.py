"""/api/v1/agenda/: events of a range, occurrences, marking done; 404 outside scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.agenda.models import TaskOccurrence
from tests.agenda.conftest import Agenda, build_agenda, deadline, moment, queries_before_and_after
from tests.conftest import World, login
from tests.factories import UnitFactory

TODAY = dt.date(2026, 11, 18)
NOW = moment(TODAY, 10)
RANGE = "start=2026-11-01&end=2026-12-31"


@pytest.fixture
def ag(world: World, monkeypatch: pytest.MonkeyPatch) -> Agenda:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return build_agenda(world, today=TODAY)


def titles(response: Any) -> list[str]:
    return [e["title"] for e in response.json()]


def test_events_of_a_range_by_user(ag: Agenda) -> None:
    w = ag.world
    office = login(w.office).get(f"/api/v1/agenda/events?{RANGE}")
    assert office.status_code == 200
    assert titles(office) == ["景山创城推进会", "文明办内部会", "台账材料报送", "国家测评窗口期"]
    meeting = office.json()[0]
    assert meeting["start_time"] == "09:30:00" and meeting["lead_unit"]["name"] == "景山街道办事处"
    s1 = login(w.user_s1).get(f"/api/v1/agenda/events?{RANGE}")
    assert titles(s1) == ["台账材料报送", "国家测评窗口期"]
    assert s1.json()[0]["partner_units"] == [
        {"id": w.unit_s1.pk, "code": "S001", "name": "东华门街道办事处"}
    ]
    assert titles(login(w.user_s1).get(f"/api/v1/agenda/events?{RANGE}&kind=national")) == [
        "国家测评窗口期"
    ]
    assert login(w.inspector).get(f"/api/v1/agenda/events?{RANGE}").status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "start=2026-11-01",
        "start=2026-12-01&end=2026-11-01",
        "start=2026-01-01&end=2027-06-01",
        "kind=party",
    ],
)
def test_bad_range_is_422(ag: Agenda, query: str) -> None:
    response = login(ag.world.office).get(f"/api/v1/agenda/events?{query}")
    assert response.status_code == 422
    assert set(response.json()) == {"detail", "code", "errors"}


def test_event_detail_404_outside_scope(ag: Agenda) -> None:
    w = ag.world
    url = f"/api/v1/agenda/events/{ag.e_s2.pk}"
    assert login(w.user_s2).get(url).json()["remind_days"] == [1]
    response = login(w.user_s1).get(url)
    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_occurrences_are_scoped(ag: Agenda) -> None:
    w = ag.world
    rows = login(w.user_s2).get(f"/api/v1/agenda/occurrences?{RANGE}&state=missed").json()
    assert [(r["due_date"], r["state"], r["unit"]["id"]) for r in rows] == [
        ("2026-11-15", "missed", w.unit_s2.pk),
        ("2026-11-16", "missed", w.unit_s2.pk),
        ("2026-11-17", "missed", w.unit_s2.pk),
    ]
    other = login(w.user_s2).get(f"/api/v1/agenda/occurrences?{RANGE}&unit={w.unit_s1.pk}")
    assert other.json() == []
    everything = login(w.office).get(f"/api/v1/agenda/occurrences?{RANGE}").json()
    assert len(everything) == TaskOccurrence.objects.count()


def test_complete_own_occurrence(ag: Agenda) -> None:
    w = ag.world
    target = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    url = f"/api/v1/agenda/occurrences/{target.pk}/complete"
    response = login(w.user_s1).post(url, {"note": "ok"}, content_type="application/json")
    assert response.status_code == 200
    body = response.json()
    assert (body["state"], body["completed_by"], body["note"]) == ("done", "unit_s1", "ok")
    again = login(w.user_s1).post(url, {}, content_type="application/json")
    assert again.status_code == 422


def test_complete_outside_scope_is_404_and_office_is_403(ag: Agenda) -> None:
    w = ag.world
    target = TaskOccurrence.objects.get(series=ag.daily, unit=w.unit_s1, due_date=TODAY)
    url = f"/api/v1/agenda/occurrences/{target.pk}/complete"
    assert login(w.user_s2).post(url, {}, content_type="application/json").status_code == 404
    assert login(w.office).post(url, {}, content_type="application/json").status_code == 403
    assert TaskOccurrence.objects.get(pk=target.pk).completed_at is None


def test_occurrence_list_queries_do_not_grow(ag: Agenda) -> None:
    w = ag.world
    client = login(w.office)
    client.get(f"/api/v1/agenda/occurrences?{RANGE}")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/api/v1/agenda/occurrences?{RANGE}")
    TaskOccurrence.objects.filter(unit=w.unit_s1).update(completed_by=w.user_s1, completed_at=NOW)
    UnitFactory(region=w.s1)
    with CaptureQueriesContext(connection) as large:
        client.get(f"/api/v1/agenda/occurrences?{RANGE}")
    assert len(large) == len(small)


def test_event_list_queries_do_not_grow(ag: Agenda) -> None:
    w = ag.world

    def grow() -> None:
        for i in range(6):
            deadline(w, f"报送{i}", TODAY + dt.timedelta(days=i), UnitFactory(), [w.unit_s1])

    url = f"/api/v1/agenda/events?{RANGE}"
    small, large, response = queries_before_and_after(login(w.user_s1), url, grow)
    assert len(response.json()) == 2 + 6
    assert large == small
