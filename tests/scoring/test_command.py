"""``chuangcheng score``: the contract others script against, and its refusals."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from chuangcheng.inspections.enums import Result
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun
from tests.conftest import World
from tests.scoring.conftest import Scored, observe


def score(*args: str) -> str:
    out = StringIO()
    call_command("score", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def evidence(world: World, scored: Scored) -> None:
    observe(
        scored.framework,
        world.p1,
        "2026-11-05",
        {scored.clean_ground: Result.PASS, scored.clean_posters: Result.FAIL},
    )


def keys(node: dict[str, Any]) -> set[str]:
    return set(node)


@pytest.mark.usefixtures("evidence")
def test_json_tree_has_the_contract_fields_on_every_node(world: World) -> None:
    payload = json.loads(score("--period", "2026-11", "--format", "json"))
    tree = payload["tree"]
    required = {"code", "name", "max_score", "score", "coverage", "children"}
    stack = [tree]
    while stack:
        node = stack.pop()
        assert required <= keys(node)
        stack += node["children"]
    assert (tree["code"], tree["max_score"], tree["score"], tree["coverage"]) == (
        "SC",
        10.0,
        1.5,
        0.3,
    )
    project2 = tree["children"][1]
    assert (project2["code"], project2["score"], project2["coverage"]) == ("2", None, 0.0)
    assert payload["period"] == "2026-11"
    assert ScoreRun.objects.get(pk=payload["run"]).kind == RunKind.SNAPSHOT


@pytest.mark.usefixtures("evidence")
def test_region_and_unit_scopes(world: World) -> None:
    s2 = json.loads(score("--period", "2026-11", "--region", "110101002", "--format", "json"))
    assert s2["tree"]["score"] is None
    assert s2["scope"] == {"kind": "region", "id": world.s2.pk}
    unit = json.loads(score("--period", "2026-11", "--unit", "L001", "--format", "json"))
    assert unit["tree"]["score"] == 1.5


@pytest.mark.usefixtures("evidence")
def test_table_shows_unmeasured_and_rates() -> None:
    text = score("--period", "2026-11", "--depth", "2")
    lines = text.splitlines()
    assert lines[0].startswith("run ")
    total = next(line for line in lines if line.startswith("SC "))
    assert total.split()[-4:] == ["1.50", "10.00", "50.0%", "30%"]
    project2 = next(line for line in lines if line.strip().startswith("2 公共文明"))
    assert "未测" in project2


@pytest.mark.usefixtures("evidence")
def test_a_stored_run_prints_the_same_again() -> None:
    first = json.loads(score("--period", "2026-11", "--format", "json"))
    again = json.loads(score("--run", str(first["run"]), "--format", "json"))
    assert again == first


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--period", "2026-13"), "month must be between 1 and 12"),
        (("--period", "next month"), "is not a period"),
        ((), "Give --period"),
        (("--period", "2026-11", "--region", "999"), "No region has the code 999"),
        (("--period", "2026-11", "--unit", "NOPE"), "No unit has the code NOPE"),
        (("--period", "2026-11", "--framework", "XX"), "No framework XX is in force"),
        (("--run", "999999"), "No score run 999999"),
        (("--period", "2026-11", "--cutoff", "yesterday"), "is not an ISO date"),
    ],
)
def test_bad_arguments_are_refused_with_a_message_and_store_nothing(
    scored: Scored, args: tuple[str, ...], message: str
) -> None:
    with translation.override("en"), pytest.raises(CommandError, match=message):
        score(*args)
    assert not ScoreRun.objects.exists()
