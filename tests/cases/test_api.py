"""/api/v1/cases: the list with the page filters, one case with its timeline, staff intake,
and every workflow step — 409 for a refused or stale step, 422 for bad input, 404 outside
scope, 403 for a step the user may not take."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.cases.domain import actions
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseEvent, Photo
from tests.cases.workflow_helpers import days_ago, dispatched, report
from tests.conftest import World, login
from tests.images import jpeg

BASE = "/api/v1/cases"


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def test_list_is_scoped_filtered_and_masks_nothing_it_should_not(
    world: World, categories: dict[str, Any]
) -> None:
    a = report(world, categories, at=days_ago(2), phone="13912345678")
    b = dispatched(world, categories, point="p2", code="S0501", at=days_ago(1))
    data = login(world.office).get(BASE).json()
    assert data["count"] == 2
    assert [i["number"] for i in data["items"]] == [b.number, a.number]
    item = data["items"][0]
    assert (item["status"], item["lead_unit"]["code"], item["street"]["code"]) == (
        "dispatched",
        "S001",
        "110101002",
    )
    assert item["category"] == {"id": categories["S0501"].pk, "code": "S0501", "name": "占道经营"}
    assert "13912345678" not in json.dumps(data)
    data = login(world.user_s2).get(BASE).json()
    assert [i["number"] for i in data["items"]] == [b.number]
    data = login(world.office).get(BASE, {"status": "open", "street": world.s1.pk}).json()
    assert [i["number"] for i in data["items"]] == [a.number]
    today = timezone.localdate().isoformat()
    data = login(world.office).get(BASE, {"from": today, "to": today}).json()
    assert data["count"] == 0
    data = login(world.office).get(BASE, {"limit": 1, "offset": 1}).json()
    assert (data["count"], [i["number"] for i in data["items"]]) == (2, [a.number])


def test_list_rejects_bad_types(world: World) -> None:
    r = login(world.office).get(BASE, {"category": "abc"})
    assert r.status_code == 422
    assert r.json()["code"] == "invalid"


def test_list_query_count_is_constant(world: World, categories: dict[str, Any]) -> None:
    client = login(world.office)
    for i in range(2):
        dispatched(world, categories, code="S0103", at=days_ago(i + 1))
    client.get(BASE)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(BASE).status_code == 200
        return len(ctx.captured_queries)

    two = count()
    for i in range(2, 12):
        dispatched(world, categories, code="S0103", point="p2", at=days_ago(i + 1))
    assert count() == two


def test_detail_has_timeline_and_is_404_outside_scope(
    world: World, categories: dict[str, Any]
) -> None:
    case = dispatched(world, categories, phone="13912345678")
    data = login(world.user_s1).get(f"{BASE}/{case.pk}").json()
    assert data["reporter_phone_masked"] == "139****5678"
    assert [e["action"] for e in data["timeline"]] == ["report", "register", "dispatch"]
    assert data["assignments"][0]["unit"]["code"] == "S001"
    assert set(data["allowed_actions"]) == {"feedback", "extension_asked", "comment"}
    for user in (world.user_s2, world.nobody):
        r = login(user).get(f"{BASE}/{case.pk}")
        assert r.status_code == 404
        assert r.json() == {"detail": "Not found.", "code": "not_found", "errors": []}


def test_create_by_staff_and_validation(world: World, categories: dict[str, Any]) -> None:
    client = login(world.office)
    r = _post(
        client,
        BASE,
        {
            "description": "井盖缺失",
            "point": "P00002",
            "category": "B0101",
            "reporter_phone": "13912345678",
            "external_id": "T-1",
        },
    )
    assert r.status_code == 201
    data = r.json()
    assert (data["status"], data["source"], data["region"]["code"]) == (
        "reported",
        "hotline",
        "110101002",
    )
    assert data["line_unit"]["code"] == "L002"
    assert data["reporter_phone_masked"] == "139****5678"
    r = _post(client, BASE, {"description": "   ", "point": "P00002"})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"loc": ["body", "description"], "msg": "请描述问题。"}]
    r = _post(client, BASE, {"description": "x", "source": "resident", "point": "P00002"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "source"]
    r = _post(client, BASE, {"description": "x", "point": "NOPE"})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "point"]
    r = _post(client, BASE, {"description": "x", "point": "P00002", "reporter_phone": "问前台"})
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"loc": ["body", "reporter_phone"], "msg": "请输入 7 至 15 位数字的电话号码。"}
    ]
    assert Case.objects.count() == 1
    r = _post(login(world.user_s1), BASE, {"description": "x", "point": "P00001"})
    assert r.status_code == 403


def test_whole_flow_through_the_api(world: World, categories: dict[str, Any]) -> None:
    office, unit = login(world.office), login(world.user_s1)
    case = report(world, categories)
    r = _post(
        office,
        f"{BASE}/{case.pk}/dispatch",
        {"version": 0, "lead": "S001", "partners": ["L001"], "category": "S0101"},
    )
    assert r.status_code == 200, r.json()
    data = r.json()
    assert (data["status"], data["version"]) == ("dispatched", 2)
    assert [(a["unit"]["code"], a["lead"]) for a in data["assignments"]] == [
        ("S001", True),
        ("L001", False),
    ]
    r = unit.post(
        f"{BASE}/{case.pk}/feedback",
        {
            "version": 2,
            "text": "已清理",
            "photos": [SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "feedback"
    assert [p["stage"] for p in r.json()["photos"]] == ["after"]
    r = office.post(f"{BASE}/{case.pk}/verify", {"version": 3, "passed": "false", "note": "未清理"})
    assert (r.status_code, r.json()["status"], r.json()["rework_count"]) == (200, "rework", 1)
    r = unit.post(f"{BASE}/{case.pk}/feedback", {"text": "已彻底清理"})
    assert r.json()["status"] == "feedback"
    r = office.post(f"{BASE}/{case.pk}/verify", {"passed": "true"})
    assert r.json()["status"] == "closed"
    r = _post(office, f"{BASE}/{case.pk}/reopen", {"reason": "群众再次反映"})
    assert r.json()["status"] == "registered"
    assert [e["action"] for e in r.json()["timeline"]] == [
        "report",
        "register",
        "dispatch",
        "feedback",
        "fail",
        "feedback",
        "pass",
        "reopen",
    ]


def test_refused_and_stale_steps_are_409(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    client = login(world.office)
    r = _post(client, f"{BASE}/{case.pk}/reject", {"reason": "不属实"})
    assert r.status_code == 409
    assert r.json() == {
        "detail": "案件处于“已派遣”状态，不能“不予立案”。",
        "code": "refused",
        "errors": [],
    }
    r = _post(client, f"{BASE}/{case.pk}/comment", {"version": 1, "text": "晚了一步"})
    assert r.status_code == 409
    assert r.json()["code"] == "stale"
    assert r.json()["detail"] == "其他人刚刚修改了本案件，请刷新后重试。"
    assert not CaseEvent.objects.filter(case=case, action="comment").exists()


def test_validation_errors_are_422_per_field(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已处理")
    r = login(world.office).post(f"{BASE}/{case.pk}/verify", {"passed": "false", "note": ""})
    assert r.status_code == 422
    assert r.json()["errors"] == [{"loc": ["body", "note"], "msg": "请说明仍存在的问题。"}]
    r = _post(login(world.office), f"{BASE}/{case.pk}/comment", {"text": 5})
    assert r.status_code == 422  # a number is not a text
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FEEDBACK


def test_bad_photo_is_422_and_leaves_nothing(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    r = login(world.user_s1).post(
        f"{BASE}/{case.pk}/feedback",
        {
            "text": "已清理",
            "photos": [
                SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg"),
                SimpleUploadedFile("b.png", b"GIF89a....", content_type="image/png"),
            ],
        },
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["loc"] == ["body", "photos"]
    assert "b.png" in r.json()["errors"][0]["msg"]
    assert Photo.objects.count() == 0
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_steps_outside_scope_404_and_without_permission_403(
    world: World, categories: dict[str, Any]
) -> None:
    case = dispatched(world, categories)
    r = _post(login(world.user_s2), f"{BASE}/{case.pk}/comment", {"text": "看看"})
    assert r.status_code == 404
    r = _post(login(world.user_s1), f"{BASE}/{case.pk}/suspend", {"reason": "等"})
    assert (r.status_code, r.json()["code"]) == (403, "forbidden")
    r = _post(login(world.leader), f"{BASE}/{case.pk}/comment", {"text": "领导批示"})
    assert r.status_code == 403
    assert Case.objects.get(pk=case.pk).version == 2


def test_merge_register_reject_suspend_resume(world: World, categories: dict[str, Any]) -> None:
    client = login(world.office)
    first = report(world, categories, at=days_ago(1))
    second = report(world, categories)
    r = _post(client, f"{BASE}/{second.pk}/merge", {"into": first.number})
    assert (r.json()["status"], r.json()["duplicate_of"]) == ("merged", first.number)
    r = _post(client, f"{BASE}/{second.pk}/merge", {"into": "2026-999999"})
    assert r.status_code == 422
    r = _post(client, f"{BASE}/{first.pk}/register", {"category": "S0102"})
    assert (r.json()["status"], r.json()["category"]["code"]) == ("registered", "S0102")
    assert r.json()["duplicates"] == [second.number]
    r = _post(client, f"{BASE}/{first.pk}/suspend", {"reason": "待改造"})
    assert r.json()["status"] == "suspended"
    r = _post(client, f"{BASE}/{first.pk}/resume", {})
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["body", "lead"]
    r = _post(client, f"{BASE}/{first.pk}/resume", {"lead": "C001"})
    assert (r.json()["status"], r.json()["lead_unit"]["code"]) == ("dispatched", "C001")
    third = report(world, categories, point="p2", code="S0501")
    r = _post(client, f"{BASE}/{third.pk}/reject", {"reason": "非本辖区"})
    assert r.json()["status"] == "rejected"


def test_extension_ask_and_decide(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    later = timezone.localtime(case.due_at) + dt.timedelta(days=2)
    r = _post(
        login(world.user_s1),
        f"{BASE}/{case.pk}/extension",
        {"new_due_at": later.isoformat(), "reason": "需协调产权单位"},
    )
    assert r.status_code == 200
    assert r.json()["extensions"][0]["status"] == "asked"
    r = _post(
        login(world.user_s1),
        f"{BASE}/{case.pk}/extension",
        {"new_due_at": (later + dt.timedelta(days=1)).isoformat(), "reason": "再延"},
    )
    assert r.status_code == 422  # one request at a time
    r = _post(
        login(world.office),
        f"{BASE}/{case.pk}/extension/decide",
        {"grant": False, "note": "时限已足够"},
    )
    data = r.json()
    assert (data["extensions"][0]["status"], data["extension_count"]) == ("refused", 0)
    r = _post(login(world.office), f"{BASE}/{case.pk}/extension/decide", {"grant": True})
    assert r.status_code == 409


def test_scope_for_line_units_and_residents(world: World, categories: dict[str, Any]) -> None:
    from chuangcheng.accounts.enums import Role
    from tests.factories import UserFactory, grant

    reporter = UserFactory(username="resident1")
    grant(reporter, Role.RESIDENT, region=world.c1)
    other = UserFactory(username="resident2")
    grant(other, Role.RESIDENT, region=world.c1)
    at_p1 = report(world, categories, reporter=reporter)  # p1: line unit 城管委
    at_p2 = report(world, categories, point="p2", code="S0501")  # p2: line unit 市场监管局
    expected = {
        world.user_line: {at_p1.pk},
        reporter: {at_p1.pk},
        other: set(),
        world.user_s2: {at_p2.pk},
    }
    for user, visible in expected.items():
        client = login(user)
        assert {i["id"] for i in client.get(BASE).json()["items"]} == visible
        for case in (at_p1, at_p2):
            code = client.get(f"{BASE}/{case.pk}").status_code
            assert code == (200 if case.pk in visible else 404), (user, case)
    # A reporter reads their case but takes no step on it.
    r = _post(login(reporter), f"{BASE}/{at_p1.pk}/comment", {"text": "怎么还没处理"})
    assert r.status_code == 403
