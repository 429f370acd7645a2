"""/api/v1/points: scoped reads, office-only writes, standard errors, constant queries."""

from __future__ import annotations

import json
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.core.models import AuditEntry
from chuangcheng.points.models import Point
from tests.conftest import login
from tests.factories import PointFactory
from tests.points.helpers import square

BASE = "/api/v1/points"


def test_list_is_scoped_and_paginated(world):
    data = login(world.user_s1).get(BASE).json()
    assert data["count"] == 1
    item = data["items"][0]
    assert (item["code"], item["street"], item["region"]) == ("P00001", "110101001", "110101001001")
    assert item["territorial_unit"]["contact_phone_masked"] == "138****1234"
    assert "13812341234" not in json.dumps(data)
    data = login(world.office).get(BASE, {"limit": 1, "offset": 1}).json()
    assert data["count"] == 2
    assert [i["code"] for i in data["items"]] == ["P00002"]
    data = login(world.office).get(BASE, {"unit": "L002"}).json()
    assert [i["code"] for i in data["items"]] == ["P00002"]


def test_detail_404_outside_scope(world):
    c = login(world.user_s1)
    assert c.get(f"{BASE}/P00001").json()["name"] == "多福巷"
    r = c.get(f"{BASE}/P00002")
    assert r.status_code == 404
    assert r.json() == {"detail": "Not found.", "code": "not_found", "errors": []}


def test_types_and_geojson(world):
    c = login(world.user_s1)
    assert [t["name"] for t in c.get(f"{BASE}/types").json()] == ["农贸市场", "背街小巷"]
    fc = c.get(f"{BASE}/geojson").json()
    assert fc["type"] == "FeatureCollection"
    assert [f["properties"]["code"] for f in fc["features"]] == ["P00001"]
    assert fc["features"][0]["geometry"]["coordinates"] == [116.405, 39.925]


def test_list_query_count_is_constant(world):
    c = login(world.office)
    c.get(BASE)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(BASE).status_code == 200
        return len(ctx.captured_queries)

    two = count()
    for i in range(18):
        PointFactory(
            name=f"点{i}", type=world.alley, region=world.c1, territorial_unit=world.unit_c1
        )
    assert count() == two


def _new(world, **extra):
    body = {
        "name": "新市场",
        "type": "market",
        "street": "110101002",
        "territorial_unit": "S002",
        "line_unit": "L002",
        "lng": "116.397",
        "lat": "39.929",
    }
    body.update(extra)
    return body


def test_office_creates_and_patches(world):
    c = login(world.office)
    r = c.post(BASE, _new(world), content_type="application/json")
    assert r.status_code == 201, r.content
    assert r.json()["code"] == "P00003"
    p = Point.objects.get(code="P00003")
    assert (p.region, p.lat) == (world.s2, Decimal("39.929000"))
    r = c.patch(
        f"{BASE}/P00003", {"name": "新市场（东）", "active": False}, content_type="application/json"
    )
    assert r.status_code == 200, r.content
    assert (r.json()["name"], r.json()["active"]) == ("新市场（东）", False)
    assert AuditEntry.objects.filter(object_type="points.point", object_id=str(p.pk)).count() == 3


def test_validation_errors_use_the_standard_shape(world):
    world.s2.boundary = square(116.39, 39.92, 116.40, 39.935)
    world.s2.save()
    c = login(world.office)
    r = c.post(BASE, _new(world, type="nope"), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["errors"] == [
        {"loc": ["body", "payload", "type"], "msg": "unknown code 'nope'"}
    ]
    r = c.post(BASE, _new(world, lng="116.45"), content_type="application/json")
    assert r.status_code == 422
    assert r.json()["code"] == "invalid"
    assert r.json()["errors"][0]["loc"] == ["body", "payload", "lng"]
    r = c.post(BASE, _new(world, lat="80"), content_type="application/json")
    assert r.status_code == 422
    assert Point.objects.count() == 2


def test_leader_and_units_cannot_write(world):
    for user in (world.leader, world.user_s1):
        c = login(user)
        assert c.post(BASE, _new(world), content_type="application/json").status_code == 403
        r = c.patch(f"{BASE}/P00001", {"name": "x"}, content_type="application/json")
        assert r.status_code == 403
    assert (
        login(world.user_s1)
        .patch(f"{BASE}/P00002", {"name": "x"}, content_type="application/json")
        .status_code
        == 404
    )
    assert Point.objects.get(code="P00001").name == "多福巷"
