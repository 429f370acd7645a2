"""/api/v1/alerts/: scoped like the pages (404 outside), explicit shapes, leaders read only."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.alerts.enums import WarningStatus
from chuangcheng.alerts.models import Warning
from tests.alerts.pages_data import Four, four, warning
from tests.conftest import World, login

API = "/api/v1/alerts"


@pytest.fixture
def data(world: World) -> Four:
    return four(world)


def test_list_is_scoped_and_filtered(world, data) -> None:
    body = login(world.office).get(f"{API}?level=orange").json()
    assert body["count"] == 2
    assert [w["key"] for w in body["items"]] == ["s2", "region"]
    body = login(world.user_s1).get(API).json()
    assert [w["key"] for w in body["items"]] == ["c1"]
    first = body["items"][0]
    assert first == {
        "id": data.w_c1.pk,
        "rule": "测试规则",
        "kind": "cases.overdue",
        "key": "c1",
        "level": "red",
        "status": "raised",
        "title": "预警 c1",
        "detail": "详情",
        "value": 1.0,
        "unit": {"id": world.unit_c1.pk, "code": "C001", "name": "多福巷社区居委会"},
        "region": {"id": world.c1.pk, "code": "110101001001", "name": "多福巷社区"},
        "url": "/cases/?overdue=1",
        "raised_at": "2026-11-20T04:00:00Z",
        "last_seen_at": "2026-11-20T04:00:00Z",
        "notify_count": 1,
    }


def test_others_warnings_are_not_found(world, data) -> None:
    client = login(world.user_s2)
    for other in (data.w_c1, data.w_line, data.w_region):
        assert client.get(f"{API}/{other.pk}").status_code == 404
        response = client.post(f"{API}/{other.pk}/acknowledge", {}, content_type="application/json")
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"
    assert login(world.inspector).get(API).status_code == 403


def test_acknowledge_and_resolve(world, data) -> None:
    client = login(world.user_s2)
    url = f"{API}/{data.w_s2.pk}"
    body = client.post(
        f"{url}/acknowledge", {"note": "马上处理"}, content_type="application/json"
    ).json()
    assert (body["status"], body["acknowledge_note"], body["acknowledged_by"]) == (
        "acknowledged",
        "马上处理",
        "景山联络员",
    )
    assert [e["action"] for e in body["events"]] == ["acknowledged"]
    again = client.post(f"{url}/acknowledge", {}, content_type="application/json")
    assert again.status_code == 422
    body = client.post(f"{url}/resolve", {"note": "完成"}, content_type="application/json").json()
    assert (body["status"], body["resolve_note"], body["auto_resolved"]) == (
        "resolved",
        "完成",
        False,
    )


def test_leader_reads_but_cannot_act(world, data) -> None:
    client = login(world.leader)
    assert client.get(f"{API}/{data.w_c1.pk}").status_code == 200
    response = client.post(f"{API}/{data.w_c1.pk}/resolve", {}, content_type="application/json")
    assert response.status_code == 403
    assert Warning.objects.get(pk=data.w_c1.pk).status == WarningStatus.RAISED


def test_list_queries_do_not_grow(world, data) -> None:
    client = login(world.office)
    client.get(API)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"{API}?status=all")
        return len(ctx)

    few = count()
    for i in range(20):
        warning(data.rule, f"n{i}", "red", world.s2, world.unit_s2)
    assert count() == few


def test_schemas_do_not_replace_other_apps_in_the_openapi_document() -> None:
    from chuangcheng.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    assert "action_label" in components["EventOut"]["properties"]  # the cases app's
    assert {"WarningOut", "WarningDetailOut", "WarningEventOut", "WarningPage"} <= set(components)
