"""The .ics feed: RFC 5545 text a standard library parses, holding the unit's deadlines and
tasks and nothing of other units; secret links issued, replaced and audited."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.test import Client

from chuangcheng.agenda.domain import ics
from chuangcheng.agenda.domain.feeds import digest, issue_token
from chuangcheng.agenda.models import FeedToken
from chuangcheng.core.models import AuditEntry
from tests.agenda.conftest import Agenda
from tests.conftest import login

DAY = dt.timedelta(days=1)


def fetch(token: str) -> tuple[int, bytes]:
    response = Client().get(f"/agenda/ics/{token}.ics")
    return response.status_code, response.content


def parse(body: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(body)


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_escape_and_fold() -> None:
    assert ics.escape("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "SUMMARY:" + "材料报送截止" * 20
    folded = ics.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    assert ics.fold("short") == "short"


def test_unit_feed_parses_and_holds_exactly_its_entries(agenda: Agenda) -> None:
    w, today = agenda.world, agenda.today
    token = issue_token(actor=w.user_s1, unit=w.unit_s1)
    status, body = fetch(token)
    assert status == 200
    assert b"\r\n" in body and b"\n" not in body.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    cal = parse(body)
    assert str(cal["X-WR-CALNAME"]) == "东华门街道办事处 · 创建日历"
    assert str(cal["VERSION"]) == "2.0"
    found = events(cal)
    deadline = found["台账材料报送"]
    assert deadline["DTSTART"].dt == today + 5 * DAY
    assert deadline["DTEND"].dt == today + 6 * DAY
    assert str(deadline["UID"]) == f"event-{agenda.e_cg.pk}@chuangcheng.agenda"
    assert "DTSTAMP" in deadline
    assert sorted(str(a["TRIGGER"].to_ical(), "ascii") for a in deadline.walk("VALARM")) == [
        "-P1D",
        "-P3D",
        "-P7D",
    ]
    window = found["国家测评窗口期"]
    assert (window["DTSTART"].dt, window["DTEND"].dt) == (today + 20 * DAY, today + 41 * DAY)
    # Another unit's meeting and the office's own event are not in it.
    assert "景山创城推进会" not in found
    assert "文明办内部会" not in found
    tasks = [e for e in cal.walk("VEVENT") if str(e["UID"]).startswith("task-")]
    daily = sorted(e["DTEND"].dt for e in tasks if str(e["SUMMARY"]) == "任务：日巡查")
    assert len(daily) == 15  # today and the 14 days ahead, none done
    assert daily[0] == dt.datetime.combine(today, dt.time(10, 0), tzinfo=dt.UTC)  # 18:00 Beijing
    fridays = [e for e in tasks if str(e["SUMMARY"]) == "任务：周小结"]
    assert 2 <= len(fridays) <= 3
    assert set(found) == {"台账材料报送", "国家测评窗口期", "任务：日巡查", "任务：周小结"}


def test_timed_event_is_written_in_utc(agenda: Agenda) -> None:
    w, today = agenda.world, agenda.today
    token = issue_token(actor=w.user_s2, unit=w.unit_s2)
    _status, body = fetch(token)
    meeting = events(parse(body))["景山创城推进会"]
    start = dt.datetime.combine(today + DAY, dt.time(1, 30), tzinfo=dt.UTC)
    assert (meeting["DTSTART"].dt, meeting["DTEND"].dt) == (
        start,
        start + dt.timedelta(hours=1, minutes=30),
    )
    assert re.search(rb"DTSTART:\d{8}T013000Z", body)
    assert "台账材料报送" not in events(parse(body))


def test_text_is_escaped_in_the_feed(agenda: Agenda) -> None:
    w = agenda.world
    agenda.e_cg.description = "第一行，含逗号;分号\\斜杠\n第二行"
    agenda.e_cg.save()
    _status, body = fetch(issue_token(actor=w.user_line, unit=w.line_cg))
    unfolded = body.replace(b"\r\n ", b"")
    assert "第一行，含逗号\\;分号\\\\斜杠\\n第二行".encode() in unfolded
    description = str(events(parse(body))["台账材料报送"]["DESCRIPTION"])
    assert description.endswith("第一行，含逗号;分号\\斜杠\n第二行")


def test_regenerating_stops_the_old_link(agenda: Agenda) -> None:
    w = agenda.world
    old = issue_token(actor=w.user_s1, unit=w.unit_s1)
    new = issue_token(actor=w.office, unit=w.unit_s1)
    assert fetch(old)[0] == 404
    assert fetch(new)[0] == 200
    row = FeedToken.objects.get(unit=w.unit_s1)
    assert row.token_hash == digest(new) and row.issued_by == w.office
    entries = AuditEntry.objects.filter(object_type="agenda.feedtoken").order_by("pk")
    assert [e.action for e in entries] == ["create", "update"]
    assert all(old not in str(e.after) and new not in str(e.after) for e in entries)


@pytest.mark.parametrize("token", ["nope", "x" * 200, ""])
def test_unknown_token_is_404(agenda: Agenda, token: str) -> None:
    assert Client().get(f"/agenda/ics/{token}.ics").status_code == 404


def test_inactive_unit_feed_is_404(agenda: Agenda) -> None:
    token = issue_token(actor=agenda.world.office, unit=agenda.world.unit_s2)
    agenda.world.unit_s2.active = False
    agenda.world.unit_s2.save()
    assert fetch(token)[0] == 404


def test_subscribe_page_issues_for_own_unit_and_404_for_another(agenda: Agenda) -> None:
    w = agenda.world
    client = login(w.user_s1)
    page = client.get("/agenda/subscribe/")
    assert page.status_code == 200
    assert page.context["unit"] == w.unit_s1
    response = client.post("/agenda/subscribe/", {"unit": w.unit_s1.pk})
    url = response.context["url"]
    assert url.startswith("http://testserver/agenda/ics/") and url.endswith(".ics")
    assert "<svg" in response.content.decode()
    assert fetch(url.rsplit("/", 1)[1].removesuffix(".ics"))[0] == 200
    # The link is not shown again.
    assert client.get("/agenda/subscribe/").context["url"] == ""
    assert client.post("/agenda/subscribe/", {"unit": w.unit_s2.pk}).status_code == 404
    assert client.get(f"/agenda/subscribe/?unit={w.line_cg.pk}").status_code == 404
    assert not FeedToken.objects.filter(unit=w.unit_s2).exists()


def test_office_issues_for_any_unit_and_leader_cannot(agenda: Agenda) -> None:
    w = agenda.world
    response = login(w.office).post("/agenda/subscribe/", {"unit": w.unit_s2.pk})
    assert response.status_code == 200 and response.context["url"]
    assert login(w.leader).get("/agenda/subscribe/").status_code == 403
