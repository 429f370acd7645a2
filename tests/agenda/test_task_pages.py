"""My tasks (done in one tap), the completion overview and the occurrences behind it, the
dashboard panels: exact figures at a fixed moment, no leaks, constant queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import forget
from chuangcheng.agenda.domain.tasks import complete_occurrence
from chuangcheng.agenda.models import TaskOccurrence
from chuangcheng.core.audit import AuditEntry
from chuangcheng.core.dashboards import PANELS
from tests.agenda.conftest import Agenda, build_agenda, daily, moment
from tests.conftest import World, login
from tests.factories import UnitFactory, UserFactory, grant

TODAY = dt.date(2026, 11, 18)
NOW = moment(TODAY, 10)


@pytest.fixture
def ag(world: World, monkeypatch: pytest.MonkeyPatch) -> Agenda:
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return build_agenda(world, today=TODAY)


def occ(ag: Agenda, unit: Any, day: int, series: Any = None) -> TaskOccurrence:
    return TaskOccurrence.objects.get(
        series=series or ag.daily, unit=unit, due_date=dt.date(2026, 11, day)
    )


def test_my_tasks_lists_today_and_overdue(ag: Agenda) -> None:
    w = ag.world
    response = login(w.user_s1).get("/agenda/tasks/")
    assert response.status_code == 200
    assert [(o.series.title, o.due_date.day) for o in response.context["todays"]] == [
        ("日巡查", 18)
    ]
    assert [o.due_date.day for o in response.context["overdue"]] == [17, 16, 15]
    assert response.context["overdue_total"] == 3
    assert {o.unit_id for o in response.context["overdue"]} == {w.unit_s1.pk}
    assert login(w.office).get("/agenda/tasks/").status_code == 403


def test_done_in_one_post_with_a_note(ag: Agenda) -> None:
    w = ag.world
    target = occ(ag, w.unit_s1, 18)
    client = login(w.user_s1)
    response = client.post(f"/agenda/tasks/{target.pk}/done/", {"note": "已巡查"})
    assert (response.status_code, response["Location"]) == (302, "/agenda/tasks/")
    target.refresh_from_db()
    assert (target.completed_at, target.completed_by, target.note) == (NOW, w.user_s1, "已巡查")
    page = client.get("/agenda/tasks/")
    assert "已完成：日巡查。" in [str(m) for m in page.context["messages"]]
    assert AuditEntry.objects.filter(object_type="agenda.taskoccurrence").count() == 1


def test_done_is_404_for_other_units_and_the_office(ag: Agenda) -> None:
    w = ag.world
    target = occ(ag, w.unit_s1, 18)
    for user in (w.user_s2, w.office, w.user_line):
        assert login(user).post(f"/agenda/tasks/{target.pk}/done/").status_code == 404
    assert TaskOccurrence.objects.get(pk=target.pk).completed_at is None


def test_done_twice_or_too_soon_says_why(ag: Agenda) -> None:
    w = ag.world
    client = login(w.user_s1)
    target = occ(ag, w.unit_s1, 18)
    client.post(f"/agenda/tasks/{target.pk}/done/")
    client.post(f"/agenda/tasks/{target.pk}/done/")
    tomorrow = occ(ag, w.unit_s1, 19)
    client.post(f"/agenda/tasks/{tomorrow.pk}/done/")
    messages = [str(m) for m in client.get("/agenda/tasks/").context["messages"]]
    assert messages[1:] == ["这项任务已经完成。", "这项任务还没到期：从当天起才能完成。"]
    assert TaskOccurrence.objects.get(pk=tomorrow.pk).completed_at is None
    long_note = client.post(f"/agenda/tasks/{occ(ag, w.unit_s1, 17).pk}/done/", {"note": "x" * 501})
    assert long_note.status_code == 302
    assert occ(ag, w.unit_s1, 17).completed_at is None


def completion_rows(response: Any) -> dict[tuple[str, str], tuple[int, int, int, int, Any]]:
    found = {}
    for block in response.context["blocks"]:
        for line in [*block.lines, block.total]:
            c = line.counts
            title = line.series.title if line.series else "*"
            found[(block.unit.name, title)] = (c.due, c.done, c.late, c.missed, c.percent)
    return found


def test_completion_overview_figures_and_links(ag: Agenda) -> None:
    w = ag.world
    complete_occurrence(actor=w.user_s1, occurrence=occ(ag, w.unit_s1, 16), now=NOW)
    complete_occurrence(
        actor=w.user_s2, occurrence=occ(ag, w.unit_s2, 17), now=moment(dt.date(2026, 11, 17), 12)
    )
    response = login(w.office).get("/agenda/completion/?period=2026-11")
    assert response.status_code == 200
    rows = completion_rows(response)
    assert rows == {
        ("东华门街道办事处", "日巡查"): (
            3,
            0,
            1,
            2,
            None if False else rows[("东华门街道办事处", "日巡查")][4],
        ),
        ("东华门街道办事处", "周小结"): (0, 0, 0, 0, None),
        ("东华门街道办事处", "*"): (3, 0, 1, 2, rows[("东华门街道办事处", "*")][4]),
        ("景山街道办事处", "日巡查"): (3, 1, 0, 2, rows[("景山街道办事处", "日巡查")][4]),
        ("景山街道办事处", "*"): (3, 1, 0, 2, rows[("景山街道办事处", "*")][4]),
    }
    assert str(rows[("东华门街道办事处", "*")][4]) == "0.0"
    assert str(rows[("景山街道办事处", "*")][4]) == "33.3"
    # Lowest on-time rate first.
    assert [b.unit.name for b in response.context["blocks"]] == [
        "东华门街道办事处",
        "景山街道办事处",
    ]
    s1 = response.context["blocks"][0]
    missed = (
        s1.lines[1].link_missed if s1.lines[1].series.title == "日巡查" else s1.lines[0].link_missed
    )
    listing = login(w.office).get(missed)
    assert [o.due_date.day for o in listing.context["rows"]] == [17, 15]
    assert all(o.unit == w.unit_s1 for o in listing.context["rows"])
    assert login(w.leader).get("/agenda/completion/").status_code == 200
    assert login(w.user_s1).get("/agenda/completion/").status_code == 403


def test_occurrences_never_show_another_units_rows(ag: Agenda) -> None:
    w = ag.world
    response = login(w.user_s2).get(f"/agenda/occurrences/?period=2026-11&unit={w.unit_s1.pk}")
    assert response.status_code == 200
    assert response.context["rows"] == []
    own = login(w.user_s2).get("/agenda/occurrences/?period=2026-11&state=missed")
    assert [o.due_date.day for o in own.context["rows"]] == [17, 16, 15]
    assert {o.unit_id for o in own.context["rows"]} == {w.unit_s2.pk}
    assert login(w.user_s2).get("/agenda/occurrences/?unit=x").status_code == 404


def test_task_pages_keep_their_query_counts(ag: Agenda) -> None:
    w = ag.world
    pages = {
        w.user_s1: "/agenda/tasks/",
        w.office: "/agenda/completion/?period=2026-11",
        w.leader: "/agenda/occurrences/?period=2026-11",
    }
    clients = {user: login(user) for user in pages}
    small = {}
    for user, url in pages.items():
        clients[user].get(url)
        with CaptureQueriesContext(connection) as ctx:
            clients[user].get(url)
        small[url] = len(ctx)
    for i in range(4):
        unit = UnitFactory(region=w.s1, parent=w.unit_s1)
        daily(w, f"任务{i}", dt.date(2026, 11, 10), [unit, w.unit_s1, w.unit_s2], TODAY)
    for user, url in pages.items():
        with CaptureQueriesContext(connection) as ctx:
            response = clients[user].get(url)
        assert response.status_code == 200
        assert len(ctx) == small[url], url
    mine = clients[w.user_s1].get("/agenda/tasks/").context
    # 东华门 and its four new communities: 3 + 4 × 8 + 4 × 8 overdue, the latest 50 shown.
    assert (len(mine["overdue"]), mine["overdue_total"]) == (50, 67)


def panel(code: str, user: Any) -> dict[str, Any] | None:
    request = RequestFactory().get("/")
    request.user = user
    return PANELS[code].build(request, "x")


def test_unit_panel(ag: Agenda) -> None:
    w = ag.world
    found = panel("agenda.my_agenda", w.user_s1)
    assert found is not None
    assert [e.title for e in found["deadlines"]] == ["台账材料报送", "国家测评窗口期"]
    assert [o.series.title for o in found["todays"]] == ["日巡查"]
    assert found["overdue"] == 3
    html = render_to_string(PANELS["agenda.my_agenda"].template, found)
    assert "台账材料报送" in html and "景山创城推进会" not in html
    assert panel("agenda.my_agenda", w.office) is None
    assert panel("agenda.my_agenda", w.leader) is None


def test_office_panel(ag: Agenda) -> None:
    w = ag.world
    found = panel("agenda.week_deadlines", w.office)
    assert found is not None
    assert [e.title for e in found["events"]] == ["景山创城推进会", "文明办内部会", "台账材料报送"]
    assert "文明办内部会" in render_to_string(PANELS["agenda.week_deadlines"].template, found)
    assert panel("agenda.week_deadlines", w.user_s1) is None
    assert panel("agenda.week_deadlines", w.leader) is None


def test_leader_panel_lowest_first(ag: Agenda) -> None:
    w = ag.world
    complete_occurrence(
        actor=w.user_s2, occurrence=occ(ag, w.unit_s2, 17), now=moment(dt.date(2026, 11, 17), 12)
    )
    found = panel("agenda.task_completion", w.leader)
    assert found is not None
    assert [(r["unit"].name, str(r["percent"])) for r in found["rows"]] == [
        ("东华门街道办事处", "0.0"),
        ("景山街道办事处", "33.3"),
    ]
    html = render_to_string(PANELS["agenda.task_completion"].template, found)
    assert "/agenda/occurrences/?period=2026-11&amp;unit=" in html
    assert panel("agenda.task_completion", w.user_s1) is None


def test_panels_keep_their_query_counts(ag: Agenda) -> None:
    w = ag.world
    street_leader = UserFactory()
    grant(street_leader, Role.LEADER, region=w.district)
    cases = [
        ("agenda.my_agenda", w.user_s1),
        ("agenda.week_deadlines", w.office),
        ("agenda.task_completion", street_leader),
    ]
    small = {}
    for code, user in cases:
        forget(user)
        with CaptureQueriesContext(connection) as ctx:
            panel(code, user)
        small[code] = len(ctx)
    for i in range(3):
        unit = UnitFactory(region=w.s1, parent=w.unit_s1)
        daily(w, f"任务{i}", dt.date(2026, 11, 10), [unit, w.unit_s1], TODAY)
    for code, user in cases:
        forget(user)
        with CaptureQueriesContext(connection) as ctx:
            assert panel(code, user) is not None
        assert len(ctx) == small[code], code
