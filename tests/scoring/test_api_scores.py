"""/api/v1/scores/: the CLI's JSON tree, runs, snapshots and the evidence behind a clause."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from chuangcheng.core.models import AuditEntry
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun
from tests.conftest import World, login
from tests.scoring.conftest import Scored
from tests.scoring.pages_data import PERIOD, October, october

API = "/api/v1/scores"


@pytest.fixture
def oct_data(world: World, scored: Scored) -> October:
    return october(world, scored)


def _cli(*args: str) -> dict:
    out = StringIO()
    call_command("score", "--period", PERIOD, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_tree_is_exactly_the_cli_json(world: World, scored: Scored, oct_data: October) -> None:
    body = login(world.office).get(f"{API}/tree", {"period": PERIOD}).json()
    cli = _cli()
    assert body["tree"] == cli["tree"]
    assert set(body) == {"run", "period", "cutoff", "scope", "tree"}
    assert body["scope"] == {"kind": "region", "id": world.district.pk}
    assert body["period"] == PERIOD
    tree = body["tree"]
    assert (tree["score"], tree["max_score"], tree["measured_max"]) == (4.75, 10.0, 8.0)
    assert tree["coverage"] == 0.77 and tree["rate"] == 0.5938
    assert tree["children"][0]["children"][1]["score"] is None  # 1.2 群众评价: 未测
    run = ScoreRun.objects.get(pk=body["run"])
    assert run.kind == RunKind.LIVE


def test_unit_and_street_trees_match_the_cli(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.office)
    body = client.get(f"{API}/tree", {"period": PERIOD, "unit": "L002"}).json()
    assert body["tree"] == _cli("--unit", "L002")["tree"]
    assert body["tree"]["score"] == 1.5
    body = client.get(f"{API}/tree", {"period": PERIOD, "region": world.s1.code}).json()
    assert body["tree"] == _cli("--region", world.s1.code)["tree"]
    assert body["tree"]["score"] == 3.25


def test_unit_reads_its_own_tree_and_404_elsewhere(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.user_s2)
    body = client.get(f"{API}/tree", {"period": PERIOD}).json()
    assert body["scope"] == {"kind": "unit", "id": world.unit_s2.pk}
    assert body["tree"]["score"] == 1.5
    for query in ({"unit": "S001"}, {"region": world.s2.code}, {"region": "110101"}):
        assert client.get(f"{API}/tree", {"period": PERIOD, **query}).status_code == 404
    assert login(world.nobody).get(f"{API}/tree").status_code == 403
    r = login(world.office).get(f"{API}/tree", {"period": "2026-13"})
    assert r.status_code == 422 and "12" in r.json()["detail"]


def test_run_parameter_reads_a_stored_run(world: World, scored: Scored, oct_data: October) -> None:
    cli = _cli()
    body = login(world.leader).get(f"{API}/tree", {"run": cli["run"]}).json()
    assert body == cli


def test_snapshot_by_post_is_for_the_office(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.office).post(
        f"{API}/runs",
        {"period": PERIOD, "region": world.s1.code, "note": "十月通报"},
        content_type="application/json",
    )
    assert r.status_code == 201
    body = r.json()
    # A street is scored inside its district's run.
    assert (body["kind"], body["region"], body["note"]) == ("snapshot", "110101", "十月通报")
    assert AuditEntry.objects.filter(object_type="scoring.run", object_id=str(body["id"])).exists()
    r = login(world.leader).post(
        f"{API}/runs", {"period": PERIOD, "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 403
    r = login(world.user_s1).post(
        f"{API}/runs", {"period": PERIOD, "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 404
    r = login(world.office).post(
        f"{API}/runs", {"period": "2026-13", "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 422
    r = login(world.office).post(f"{API}/runs", {"period": PERIOD}, content_type="application/json")
    assert r.status_code == 422
    assert ScoreRun.objects.filter(kind=RunKind.SNAPSHOT).count() == 1


def test_runs_list(world: World, scored: Scored, oct_data: October) -> None:
    _cli()
    body = login(world.office).get(f"{API}/runs", {"period": PERIOD}).json()
    assert body["count"] == 1 and body["items"][0]["kind"] == "snapshot"
    assert login(world.nobody).get(f"{API}/runs").json() == {"count": 0, "items": []}


def test_observations_endpoint_matches_the_figure(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.office)
    path = f"{API}/nodes/{scored.clean.pk}/observations"
    body = client.get(path, {"period": PERIOD, "limit": 3}).json()
    assert (body["passed"], body["failed"], body["count"]) == (3, 1, 4)
    assert len(body["items"]) == 3
    first = body["items"][0]
    assert first["point"]["code"] == "P00001" and first["clause"] in ("1.1.1.1", "1.1.1.2")
    body = client.get(path, {"period": PERIOD, "limit": 3, "offset": 3}).json()
    assert len(body["items"]) == 1
    body = client.get(path, {"period": PERIOD, "unit": "S002"}).json()
    assert body["count"] == 0
    # A unit user: another unit's evidence, a street's, and a parent node answer 404.
    unit = login(world.user_s1)
    assert unit.get(path, {"period": PERIOD, "unit": "L001"}).status_code == 404
    assert unit.get(path, {"period": PERIOD, "region": world.s1.code}).status_code == 404
    assert unit.get(path, {"period": PERIOD, "region": "110101"}).status_code == 404
    parent = f"{API}/nodes/{scored.project1.pk}/observations"
    assert client.get(parent, {"period": PERIOD}).status_code == 404
    mine = login(world.user_s2).get(
        f"{API}/nodes/{scored.market_rows.pk}/observations", {"period": PERIOD}
    )
    assert (mine.json()["passed"], mine.json()["failed"]) == (0, 2)
