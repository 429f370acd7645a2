"""Hotline entry: office staff turn a 12345 call into a case; the caller's phone is encrypted,
shown masked and kept out of the audit log; a ticket is entered once."""

from __future__ import annotations

from typing import Any

from django.db import connection

from chuangcheng.cases.enums import CaseSource, CaseStatus, Priority
from chuangcheng.cases.models import Case
from chuangcheng.core.models import AuditEntry
from tests.cases.report_world import People, people_fixture  # noqa: F401
from tests.conftest import World, login


def call(world: World, **fields: Any) -> dict[str, Any]:
    data = {
        "caller_name": "张先生",
        "caller_phone": "139 1234 5678",
        "external_id": "GD20261103001",
        "description": "景山市场门口占道摆摊，堵住了人行道",
        "priority": Priority.NORMAL,
        "region": str(world.c2.pk),
        "address": "景山市场东门",
    }
    data.update(fields)
    return data


def test_office_enters_a_call_as_a_hotline_case(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    c = login(world.office)
    assert c.get("/report/hotline/").status_code == 200
    r = c.post("/report/hotline/", call(world))
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/report/done/{case.number}/"
    assert case.source == CaseSource.HOTLINE and case.status == CaseStatus.REPORTED
    assert case.reporter is None and case.created_by == world.office
    assert (case.reporter_name, case.reporter_phone) == ("张先生", "13912345678")
    assert case.external_id == "GD20261103001"
    assert case.region == world.c2
    # 占道(2) + 摆摊(2): 占道经营; no line department, so 景山's street office leads.
    assert case.suggested_category == categories["S0501"]
    assert case.suggested_unit == world.unit_s2
    with connection.cursor() as cur:
        cur.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        stored = cur.fetchone()[0]
    assert "5678" not in stored and stored
    body = c.get(r["Location"]).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    entry = AuditEntry.objects.get(object_type="cases.case")
    assert entry.after["reporter_phone"] == "<set>"
    assert "5678" not in str(entry.after)


def test_a_ticket_is_entered_once(world: World, people: People, categories: dict[str, Any]) -> None:
    c = login(world.office)
    c.post("/report/hotline/", call(world))
    first = Case.objects.get()
    r = c.post("/report/hotline/", call(world, description="同一张工单又录了一次"))
    assert r.status_code == 400
    assert f"工单 GD20261103001 已录入为案件 {first.number}。" in r.content.decode()
    assert Case.objects.count() == 1


def test_a_clerk_who_cannot_see_the_first_case_is_not_told_its_number(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    login(world.office).post("/report/hotline/", call(world))
    first = Case.objects.get()
    r = login(people.office_s1).post(
        "/report/hotline/", call(world, region=str(world.c1.pk), description="多福巷垃圾")
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "工单 GD20261103001 已录入过。" in body and first.number not in body


def test_a_street_office_chooses_only_its_own_places(world: World, people: People) -> None:
    body = login(people.office_s1).get("/report/hotline/").content.decode()
    assert "多福巷社区" in body and "东华门街道" in body
    assert "吉祥社区" not in body and "景山街道" not in body
    r = login(people.office_s1).post("/report/hotline/", call(world))  # 吉祥社区: not theirs
    assert r.status_code == 400
    assert Case.objects.count() == 0


def test_only_the_office_enters_calls(world: World, people: People) -> None:
    for user in (world.user_s1, people.supervisor, people.resident, world.nobody):
        c = login(user)
        assert c.get("/report/hotline/").status_code == 403
        assert c.post("/report/hotline/", call(world)).status_code == 403
    assert Case.objects.count() == 0


def test_bad_phone_and_no_place_are_refused_with_the_form_filled(
    world: World, people: People
) -> None:
    c = login(world.office)
    r = c.post("/report/hotline/", call(world, caller_phone="12ab"))
    assert r.status_code == 400
    assert "请输入 11 位手机号或固定电话（如 010-65123456）。" in r.content.decode()
    r = c.post("/report/hotline/", call(world, region=""))
    body = r.content.decode()
    assert r.status_code == 400
    assert "请在地图上选择位置或选择点位。" in body
    assert "景山市场门口占道摆摊" in body
    assert Case.objects.count() == 0
