"""/api/v1/case-figures/: the figures as JSON, scoped like the page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.enums import CaseStatus as S
from tests.cases.figures_fixtures import at, make_case
from tests.conftest import World, login
from tests.factories import RegionFactory, UnitFactory

API = "/api/v1/case-figures/"


@pytest.fixture
def month(world: World) -> None:
    w = world
    # 东华门 (unit_s1) in c1: 2 closed (one late), 1 overdue, reworked once; 景山 (unit_s2) in c2:
    # one awaiting re-check, on time.
    make_case(w.c1, w.unit_s1, status=S.CLOSED, due=at(11, 3), feedback=at(11, 2), closed=at(11, 3))
    make_case(
        w.c1,
        w.unit_s1,
        status=S.CLOSED,
        due=at(11, 6),
        feedback=at(11, 8),
        closed=at(11, 9),
        rework=1,
    )
    make_case(w.c1, w.unit_s1, status=S.DISPATCHED, due=at(11, 9))
    make_case(w.c2, w.unit_s2, status=S.FEEDBACK, due=at(11, 12), feedback=at(11, 11))


def test_office_gets_units_regions_total(world: World, month: None) -> None:
    r = login(world.office).get(API, {"period": "2026-11"})
    assert r.status_code == 200
    body = r.json()
    assert body["period"] == {
        "key": "2026-11",
        "kind": "month",
        "start": "2026-11-01",
        "end": "2026-12-01",
        "label": "2026年11月",
    }
    assert body["overview"] is True and body["region"]["name"] == "东城区"
    assert body["scheme"]["code"] == "closure-30"
    units = {u["unit"]["name"]: u for u in body["units"]}
    s1 = units["东华门街道办事处"]
    # due 3 = 2 handled + 1 overdue; closed 2/3; on time 1/3; rework 1/3.
    assert s1["figures"]["due"] == 3 and s1["figures"]["overdue"] == 1
    assert s1["figures"]["closed_rate"] == "0.6667"
    assert s1["figures"]["on_time_rate"] == "0.3333"
    assert s1["figures"]["rework_rate"] == "0.3333"
    # 30×2/3 + 30×1/3 + 30×(1 − 1/3) + 2 = 20 + 10 + 20 + 2 = 52.00
    assert s1["score"] == "52.00" and s1["rank"] == 2
    s2 = units["景山街道办事处"]
    # closed 0/1 → 0; on time 1/1; rework 0: 0 + 30 + 30 + 2 = 62.00
    assert s2["score"] == "62.00" and s2["rank"] == 1
    assert s2["figures"]["closed_rate"] == "0.0000"
    assert [x["region"]["name"] for x in body["regions"]] == ["东华门街道", "景山街道"]
    assert body["total"]["due"] == 4


def test_street_parameter_and_other_scheme(world: World, month: None) -> None:
    r = login(world.office).get(
        API, {"period": "2026-11", "street": world.s2.pk, "scheme": "handled-30"}
    )
    body = r.json()
    assert body["region"]["name"] == "景山街道" and body["scheme"]["code"] == "handled-30"
    assert [u["unit"]["name"] for u in body["units"]] == ["景山街道办事处"]
    # handled 1/1×30 + on time 1/1×20 + 20 + 20 + 10 = 100.00
    assert body["units"][0]["score"] == "100.00"


def test_unit_gets_only_its_rows_no_totals(world: World, month: None) -> None:
    body = login(world.user_s2).get(API, {"period": "2026-11"}).json()
    assert body["overview"] is False and body["total"] is None and body["regions"] == []
    assert [(u["unit"]["name"], u["rank"]) for u in body["units"]] == [("景山街道办事处", 1)]
    assert body["ranked"] == 2


def test_scoping_refusals(world: World, month: None) -> None:
    assert login(world.user_s1).get(API, {"region": world.district.pk}).status_code == 404
    assert login(world.nobody).get(API).status_code == 403
    from django.test import Client

    assert Client().get(API).status_code == 401
    r = login(world.office).get(API, {"period": "2026-13"})
    assert r.status_code == 422 and "1" in r.json()["detail"]
    assert login(world.office).get(API, {"scheme": "nope"}).status_code == 422


def test_unit_history(world: World, month: None) -> None:
    url = f"{API}units/{world.unit_s1.pk}"
    body = login(world.user_s1).get(url, {"period": "2026-11"}).json()
    assert [m["period"]["key"] for m in body["months"]][-2:] == ["2026-10", "2026-11"]
    assert body["months"][-1]["figures"]["due"] == 3 and body["months"][-1]["score"] == "52.00"
    assert body["months"][0]["score"] is None
    assert login(world.user_s1).get(f"{API}units/{world.unit_s2.pk}").status_code == 404


def test_schemes_listed(world: World) -> None:
    body = login(world.office).get(f"{API}schemes").json()
    assert [s["code"] for s in body] == ["closure-30", "handled-30"]
    assert body[0]["volume_bands"][0] == ["100", "10"]


def test_api_query_count_constant(world: World, month: Any) -> None:
    client = login(world.office)
    client.get(API, {"period": "2026-11"})

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API, {"period": "2026-11"}).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(12):
        street = RegionFactory(parent=world.district)
        make_case(street, UnitFactory(region=street), status=S.DISPATCHED, due=at(11, 1 + i))
    assert count() == small
