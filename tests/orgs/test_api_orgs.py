"""The regions and units API: scoped lists, details, masked phones, office-only writes."""

from __future__ import annotations

import json

import pytest

from chuangcheng.core.models import AuditEntry
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Region, Unit
from tests.conftest import login
from tests.factories import UnitFactory


def test_regions_list_scoped(world) -> None:
    data = login(world.user_s1).get("/api/v1/regions").json()
    assert data["count"] == 3
    assert [r["code"] for r in data["items"]] == ["110101", "110101001", "110101001001"]
    assert "boundary" not in data["items"][0]
    data = login(world.office).get("/api/v1/regions", {"level": "community"}).json()
    assert [r["name"] for r in data["items"]] == ["多福巷社区", "吉祥社区"]
    data = login(world.office).get("/api/v1/regions", {"parent": "110101002"}).json()
    assert [r["code"] for r in data["items"]] == ["110101002001"]


def test_region_detail_with_boundary(world) -> None:
    square = {"type": "Polygon", "coordinates": [[[1, 1], [2, 1], [2, 2], [1, 1]]]}
    Region.objects.filter(pk=world.s2.pk).update(boundary=square)
    resp = login(world.office).get("/api/v1/regions/110101002")
    assert resp.json()["boundary"] == square
    assert resp.json()["parent"] == "110101"
    assert login(world.user_s1).get("/api/v1/regions/110101002").status_code == 404


def test_units_list_masked_and_scoped(world) -> None:
    resp = login(world.user_s1).get("/api/v1/units")
    data = resp.json()
    assert [u["code"] for u in data["items"]] == ["S001", "C001"]
    assert data["items"][0]["contact_phone_masked"] == "138****1234"
    assert "13812341234" not in resp.content.decode()
    assert "13900001111" not in resp.content.decode()
    data = login(world.office).get("/api/v1/units", {"kind": "line", "q": "城管"}).json()
    assert [u["code"] for u in data["items"]] == ["L001"]
    data = login(world.office).get("/api/v1/units", {"region": "110101001"}).json()
    assert [u["code"] for u in data["items"]] == ["S001", "C001"]


def test_unit_detail(world) -> None:
    assert login(world.user_s1).get("/api/v1/units/S002").status_code == 404
    data = login(world.office).get("/api/v1/units/S002").json()
    assert (data["head_phone_masked"], data["region"]) == ("139****1111", "110101002")


@pytest.mark.parametrize("extra", [0, 20])
def test_api_lists_constant_queries(world, django_assert_num_queries, extra) -> None:
    for _i in range(extra):
        UnitFactory(kind=UnitKind.LINE, region=world.district)
    client = login(world.office)
    client.get("/api/v1/units")  # the first request stamps the session's last-seen time
    # session, user, grants + scope units, count, page (no session write after the first)
    with django_assert_num_queries(5):
        client.get("/api/v1/units")
    with django_assert_num_queries(5):
        client.get("/api/v1/regions")


def _post(client, payload):
    return client.post("/api/v1/units", json.dumps(payload), content_type="application/json")


def test_create_unit_via_api(world) -> None:
    client = login(world.office)
    resp = _post(
        client,
        {
            "code": "L010",
            "name": "区卫健委",
            "kind": "line",
            "region": "110101",
            "contact_phone": "13512345678",
        },
    )
    assert resp.status_code == 201
    assert resp.json()["contact_phone_masked"] == "135****5678"
    assert "13512345678" not in resp.content.decode()


def test_create_unit_bad_phone_writes_nothing(world) -> None:
    resp = _post(
        login(world.office),
        {
            "code": "L010",
            "name": "区卫健委",
            "kind": "line",
            "region": "110101",
            "contact_phone": "555",
        },
    )
    assert resp.status_code == 422
    assert resp.json()["detail"].startswith("contact_phone:")
    assert not Unit.objects.filter(code="L010").exists()
    assert not AuditEntry.objects.filter(object_type="orgs.unit").exists()


def test_create_unit_denied(world) -> None:
    payload = {"code": "L010", "name": "区卫健委", "kind": "line", "region": "110101001"}
    assert _post(login(world.user_s1), payload).status_code == 403
    assert not Unit.objects.filter(code="L010").exists()


def test_patch_unit(world) -> None:
    client = login(world.office)
    resp = client.patch(
        "/api/v1/units/L002",
        json.dumps({"short_name": "市场监管局", "active": False}),
        content_type="application/json",
    )
    assert resp.status_code == 200
    unit = Unit.objects.get(code="L002")
    assert (unit.short_name, unit.active, unit.contact_phone) == (
        "市场监管局",
        False,
        "13812341234",
    )
    resp = login(world.user_s1).patch(
        "/api/v1/units/S002", json.dumps({"name": "x"}), content_type="application/json"
    )
    assert resp.status_code == 404
