"""The calendar pages: who sees what (404 outside), forms that refuse bad input, and constant
query counts as the data grows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import CalendarEvent, TaskOccurrence
from chuangcheng.inspections.enums import RoundKind, RoundStatus
from chuangcheng.inspections.models import Round
from tests.agenda.conftest import Agenda, build_agenda, deadline, queries_before_and_after
from tests.conftest import World, login
from tests.factories import UnitFactory

TODAY = dt.date(2026, 11, 3)
MONTH = "/agenda/?month=2026-11"


@pytest.fixture
def nov(world: World) -> Agenda:
    return build_agenda(world, today=TODAY)


def shown(response: Any) -> set[str]:
    """Titles on the page's list (the phone view; the grid holds the same items)."""
    return {i.title for _day, rows in response.context["days"] for i in rows}


def add_round(ag: Agenda, region: Any, status: str = RoundStatus.OPEN) -> Round:
    return Round.objects.create(
        name="11月模拟测评",
        kind=RoundKind.MOCK,
        framework=ag.framework,
        region=region,
        period_start=dt.date(2026, 11, 10),
        period_end=dt.date(2026, 11, 12),
        seed=1,
        status=status,
    )


def test_office_month_shows_every_event_and_the_open_rounds(nov: Agenda) -> None:
    add_round(nov, nov.world.district)
    draft = add_round(nov, nov.world.district, RoundStatus.DRAFT)
    draft.name = "草稿"
    draft.save()
    response = login(nov.world.office).get(MONTH)
    assert response.status_code == 200
    assert shown(response) == {
        "台账材料报送",
        "景山创城推进会",
        "国家测评窗口期",
        "文明办内部会",
        "11月模拟测评",
    }
    html = response.content.decode()
    assert 'class="ag-grid"' in html and 'class="ag-list"' in html
    # The window spans Monday 23 Nov – 13 Dec: in the grid (to Sunday 6 Dec) on its first day
    # and again at the start of the next week.
    cells = [d.day for week in response.context["weeks"] for d in week for i in d.items]
    window = [
        d.day
        for week in response.context["weeks"]
        for d in week
        if any(i.title == "国家测评窗口期" for i in d.items)
    ]
    assert window == [dt.date(2026, 11, 23), dt.date(2026, 11, 30)]
    assert len(cells) == 5 + 1  # five items, the window twice


def test_unit_month_shows_only_its_events(nov: Agenda) -> None:
    add_round(nov, nov.world.district)
    w = nov.world
    assert shown(login(w.user_s1).get(MONTH)) == {"台账材料报送", "国家测评窗口期"}
    assert shown(login(w.user_s2).get(MONTH)) == {"景山创城推进会", "国家测评窗口期"}
    assert login(w.inspector).get(MONTH).status_code == 403
    assert login(w.nobody).get(MONTH).status_code == 403


def test_filters(nov: Agenda) -> None:
    w = nov.world
    office = login(w.office)
    assert shown(office.get(f"{MONTH}&kind=material")) == {"台账材料报送"}
    assert shown(office.get(f"{MONTH}&unit={w.unit_s1.pk}")) == {"台账材料报送"}
    assert shown(office.get(f"{MONTH}&clause={nov.ledger.pk}")) == {"台账材料报送"}
    # A unit cannot filter by a unit it does not see.
    assert login(w.user_s1).get(f"{MONTH}&unit={w.unit_s2.pk}").status_code == 404
    assert office.get(f"{MONTH}&clause=abc").status_code == 404


def test_bad_month_falls_back_with_a_message(nov: Agenda) -> None:
    response = login(nov.world.office).get("/agenda/?month=2026-13")
    assert response.status_code == 200
    assert response.context["error"]


def test_event_detail_is_404_for_another_unit(nov: Agenda) -> None:
    w = nov.world
    url = f"/agenda/events/{nov.e_s2.pk}/"
    assert login(w.user_s2).get(url).status_code == 200
    assert login(w.user_s1).get(url).status_code == 404
    assert login(w.user_line).get(f"/agenda/events/{nov.e_office.pk}/").status_code == 404
    office = login(w.office).get(url)
    assert office.context["may_edit"] is True
    assert login(w.user_s2).get(url).context["may_edit"] is False


def test_unit_cannot_edit_or_delete(nov: Agenda) -> None:
    w = nov.world
    client = login(w.user_s2)
    assert client.get(f"/agenda/events/{nov.e_s2.pk}/edit/").status_code == 403
    assert client.post(f"/agenda/events/{nov.e_s2.pk}/delete/").status_code == 403
    assert client.get("/agenda/events/new/").status_code == 403
    assert CalendarEvent.objects.filter(pk=nov.e_s2.pk).exists()


def test_event_form_refuses_bad_input_and_writes_nothing(nov: Agenda) -> None:
    w = nov.world
    before = CalendarEvent.objects.count()
    response = login(w.office).post(
        "/agenda/events/new/",
        {
            "title": "材料",
            "kind": EventKind.MATERIAL,
            "start_date": "2026-11-20",
            "end_date": "2026-11-19",
            "region": w.district.pk,
            "remind_days": "7 x",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) == {"end_date", "remind_days", "lead_unit"} or set(errors) == {"remind_days"}
    assert CalendarEvent.objects.count() == before
    response = login(w.office).post(
        "/agenda/events/new/",
        {
            "title": "材料",
            "kind": EventKind.MATERIAL,
            "start_date": "2026-11-20",
            "end_date": "2026-11-19",
            "region": w.district.pk,
            "remind_days": "7",
        },
    )
    assert set(response.context["form"].errors) == {"end_date", "lead_unit"}
    assert "请修正" in response.content.decode()
    assert CalendarEvent.objects.count() == before


def test_event_form_creates_with_clause_units(nov: Agenda) -> None:
    w = nov.world
    response = login(w.office).post(
        "/agenda/events/new/",
        {
            "title": "方案报送",
            "kind": EventKind.MATERIAL,
            "start_date": "2026-11-25",
            "clause": nov.plan.pk,
            "region": w.district.pk,
            "remind_days": "3 1",
        },
    )
    event = CalendarEvent.objects.get(title="方案报送")
    assert response.status_code == 302 and response["Location"] == f"/agenda/events/{event.pk}/"
    assert (event.lead_unit, event.remind_days) == (w.unit_s2, [3, 1])


def test_generate_page(nov: Agenda) -> None:
    w = nov.world
    client = login(w.office)
    page = client.get("/agenda/events/generate/")
    assert {c.pk for c in page.context["form"].fields["clauses"].queryset} == {
        nov.ledger.pk,
        nov.plan.pk,
    }
    bad = client.post("/agenda/events/generate/", {"deadline": "2026-12-01"})
    assert set(bad.context["form"].errors) == {"clauses", "region"}
    response = client.post(
        "/agenda/events/generate/",
        {
            "clauses": [nov.ledger.pk, nov.plan.pk],
            "deadline": "2026-12-01",
            "region": w.district.pk,
            "remind_days": "7 1",
        },
    )
    assert response.status_code == 302
    assert CalendarEvent.objects.filter(start_date=dt.date(2026, 12, 1)).count() == 2
    assert login(w.user_s1).get("/agenda/events/generate/").status_code == 403


def test_month_page_queries_do_not_grow(nov: Agenda) -> None:
    w = nov.world

    def grow() -> None:
        for i in range(12):
            unit = UnitFactory(region=w.s1)
            deadline(w, f"报送{i}", dt.date(2026, 11, 1 + i), unit, [w.unit_s1, w.line_sj])
        add_round(nov, w.district)

    small, large, response = queries_before_and_after(login(w.office), MONTH, grow)
    assert len(shown(response)) == 5 + 12
    assert large == small


def test_unit_month_page_queries_do_not_grow(nov: Agenda) -> None:
    w = nov.world

    def grow() -> None:
        for i in range(8):
            partner = UnitFactory(region=w.s1)
            deadline(w, f"报送{i}", dt.date(2026, 11, 1 + i), w.unit_s1, [partner])

    small, large, response = queries_before_and_after(login(w.user_s1), MONTH, grow)
    assert len(shown(response)) == 2 + 8
    assert large == small


def test_series_pages(nov: Agenda) -> None:
    w = nov.world
    office = login(w.office)
    listing = office.get("/agenda/series/")
    assert [s.title for s in listing.context["series"]] == ["周小结", "日巡查"]
    assert [s.unit_count for s in listing.context["series"]] == [1, 2]
    assert [s.title for s in login(w.user_s2).get("/agenda/series/").context["series"]] == [
        "日巡查"
    ]
    assert login(w.user_s2).get(f"/agenda/series/{nov.daily.pk}/").status_code == 403
    bad = office.post(
        "/agenda/series/new/",
        {
            "title": "周报",
            "frequency": "weekly",
            "start_date": "2026-11-01",
            "due_time": "17:00",
            "region": w.district.pk,
            "active": "on",
        },
    )
    assert set(bad.context["form"].errors) == {"weekday", "units"}
    good = office.post(
        "/agenda/series/new/",
        {
            "title": "月盘点",
            "frequency": "monthly",
            "month_day": "0",
            "start_date": "2026-11-01",
            "due_time": "17:00",
            "units": [w.unit_s1.pk],
            "region": w.district.pk,
            "active": "on",
        },
    )
    assert good.status_code == 302
    assert TaskOccurrence.objects.filter(series__title="月盘点", due_date=dt.date(2026, 11, 30))


def test_series_list_queries_do_not_grow(nov: Agenda) -> None:
    def grow() -> None:
        for _i in range(5):
            nov.daily.pk = None
            nov.daily.save()

    small, large, response = queries_before_and_after(
        login(nov.world.office), "/agenda/series/", grow
    )
    assert len(response.context["series"]) == 7
    assert large == small


def test_menu_entries_follow_the_permissions(nov: Agenda) -> None:
    w = nov.world

    def urls(user: Any) -> list[str]:
        return [i["url"] for i in login(user).get("/").context["nav_items"]]

    assert {"/agenda/", "/agenda/tasks/"} <= set(urls(w.user_s1))
    assert "/agenda/" in urls(w.office) and "/agenda/tasks/" not in urls(w.office)
    assert not {"/agenda/", "/agenda/tasks/"} & set(urls(w.inspector))
