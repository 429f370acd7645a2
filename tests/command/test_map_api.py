"""/command/map/ and /api/v1/map/: who gets the page, what each endpoint leaks (nothing), the
popups' real details, 404 outside scope, and a constant number of queries."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.cases.enums import CaseAction, PhotoStage
from chuangcheng.cases.models import CaseEvent, Photo
from chuangcheng.command.models import KeyArea
from chuangcheng.inspections.enums import Result
from tests.command.map_data import s1_case, s2_case, square
from tests.conftest import World, login
from tests.factories import PointFactory
from tests.scoring.conftest import Scored, observe

API = "/api/v1/map/"
LAYERS = ("regions", "points", "cases", "streets", "heat", "key-areas")


def _soon() -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=5)


def test_map_page_and_nav_for_leader_office_and_units(world: World) -> None:
    for user in (world.office, world.leader, world.user_s1, world.user_line):
        r = login(user).get("/command/map/")
        assert r.status_code == 200, user
        assert "/command/map/" in [i["url"] for i in r.context["nav_items"]]
        config = r.context["config"]
        assert config["urls"]["cases"] == "/api/v1/map/cases"
        assert config["tiles"] == ""  # no tiles configured: outlines only
    for user in (world.nobody, world.inspector):
        assert login(user).get("/command/map/").status_code == 403
        assert login(user).get(API + "cases").status_code == 403


def test_map_uses_tiles_when_configured(world: World, settings: Any) -> None:
    settings.MAP_TILE_URL = "tianditu"
    settings.MAP_TIANDITU_KEY = "k123"
    config = login(world.office).get("/command/map/").context["config"]
    assert (config["tiles"], config["tiandituKey"]) == ("tianditu", "k123")


def _bodies(client: Any) -> str:
    """Every layer's answer as one text, to look for names and numbers in."""
    found = []
    for name in LAYERS:
        r = client.get(API + name)
        assert r.status_code == 200, name
        found.append(json.dumps(r.json(), ensure_ascii=False))
    return "".join(found)


@pytest.fixture
def both_streets(world: World) -> dict[str, Any]:
    """A case, a point inspection and a key area in each street."""
    KeyArea.objects.create(name="东华门片区", region=world.s1, geometry=square(116.405, 39.925))
    KeyArea.objects.create(name="景山片区", region=world.s2, geometry=square(116.396, 39.928))
    return {"c1": s1_case(world, _soon()), "c2": s2_case(world, _soon())}


def test_no_endpoint_shows_another_streets_rows(world: World, both_streets: dict[str, Any]) -> None:
    c1, c2 = both_streets["c1"], both_streets["c2"]
    joined = _bodies(login(world.user_s2))
    for leak in (c1.number, "多福巷", "P00001", "东华门片区", "东华门街道"):
        assert leak not in joined, leak
    for seen in (c2.number, "P00002", "景山片区", "景山街道"):
        assert seen in joined, seen
    office = _bodies(login(world.office))
    for seen in (c1.number, c2.number, "P00001", "P00002", "东华门片区", "景山片区"):
        assert seen in office


def test_details_outside_scope_answer_404(world: World, both_streets: dict[str, Any]) -> None:
    c1 = both_streets["c1"]
    s2 = login(world.user_s2)
    assert s2.get(f"{API}cases/{c1.pk}").status_code == 404
    assert s2.get(f"{API}points/P00001").status_code == 404
    assert s2.get(f"{API}cases/999999").status_code == 404
    assert s2.get(f"{API}points/P00002").status_code == 200
    assert login(world.user_s1).get(f"{API}cases/{c1.pk}").status_code == 200


def test_case_popup_shows_the_real_case(world: World, categories: dict[str, Any]) -> None:
    case = s1_case(world, _soon(), category=categories["S0101"], address="多福巷12号")
    case.escalated_at = timezone.now()
    case.save()
    CaseEvent.objects.create(
        case=case,
        at=timezone.now(),
        action=CaseAction.DISPATCH,
        unit=world.unit_c1,
        actor_name="王",
    )
    photo = Photo.objects.create(
        case=case,
        stage=PhotoStage.REPORT,
        image="photos/x.jpg",
        sha256="a" * 64,
        content_type="image/jpeg",
        size=1,
    )
    d = login(world.office).get(f"{API}cases/{case.pk}").json()
    assert d["number"] == case.number
    assert d["category"] == categories["S0101"].name
    assert d["category_class"] == categories["S0101"].parent.name
    assert d["unit"] == world.unit_c1.name
    assert d["state"] == "soon" and d["escalated"] is True
    assert d["address"] == "多福巷12号"
    assert d["photos"] == [{"thumb": f"/photos/{photo.pk}/thumb/", "url": f"/photos/{photo.pk}/"}]
    assert [e["action"] for e in d["events"]] == ["派遣"]
    assert d["url"] == f"/cases/{case.pk}/"


def test_point_popup_shows_the_latest_visit(world: World, scored: Scored) -> None:
    s = scored
    observe(s.framework, world.p1, "2026-09-01", {s.clean_ground: Result.FAIL})
    observe(
        s.framework,
        world.p1,
        "2026-10-01",
        {s.clean_ground: Result.PASS, s.clean_posters: Result.FAIL},
    )
    d = login(world.user_s1).get(f"{API}points/P00001").json()
    assert (d["name"], d["passed"], d["failed"]) == ("多福巷", 1, 1)
    assert d["visited"] == "2026-10-01 10:00"
    assert [(i["clause"], i["result"]) for i in d["items"]] == [
        ("1.1.1.1 路面整洁", "pass"),
        ("1.1.1.2 无小广告", "fail"),
    ]
    assert d["url"] == "/points/P00001/"
    never = login(world.office).get(f"{API}points/P00002").json()
    assert (never["visited"], never["items"]) == ("", [])


def _grow(world: World, scored: Scored, n: int) -> None:
    for i in range(n):
        point = PointFactory(type=world.alley, region=world.c1, territorial_unit=world.unit_c1)
        observe(
            scored.framework, point, f"2026-10-{1 + i % 28:02d}", {scored.clean_ground: Result.PASS}
        )
        s1_case(world, _soon())
        s2_case(world, _soon())
        KeyArea.objects.create(
            name=f"片区{i}", region=world.s1, geometry=square(116.405, 39.925, 0.001 * (i + 1))
        )


def test_every_layer_answers_in_a_constant_number_of_queries(world: World, scored: Scored) -> None:
    client = login(world.office)
    _grow(world, scored, 2)
    for name in LAYERS:  # the first call computes the live score run
        client.get(API + name)
    few = {}
    for name in LAYERS:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API + name).status_code == 200
        few[name] = len(ctx)
    _grow(world, scored, 20)
    client.get(API + "streets")  # the new inspections' month run was updated incrementally
    for name in LAYERS:
        with CaptureQueriesContext(connection) as ctx:
            client.get(API + name)
        assert len(ctx) == few[name], name
