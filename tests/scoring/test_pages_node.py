"""/scoring/node/<id>/: the drill-down — children add up, the rule in words, the evidence and
exactly the observations the engine counted, and nothing outside the user's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.inspections.models import Observation
from chuangcheng.scoring import views
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.domain.explain import rule_words
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import NegativeEvent, NodeScore, ScoreRun
from tests.cases.workflow_helpers import report
from tests.conftest import World, login
from tests.scoring.conftest import Scored, observe
from tests.scoring.pages_data import FAIL, PASS, PERIOD, October, october


@pytest.fixture
def oct_data(world: World, scored: Scored) -> October:
    return october(world, scored)


def url(node: Any) -> str:
    return f"/scoring/node/{node.pk}/"


def _row(node: Any, **scope: Any) -> NodeScore:
    return NodeScore.objects.get(run__kind=RunKind.LIVE, node=node, **scope)


def test_clause_observations_match_the_figure(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.office).get(url(scored.clean), {"period": PERIOD})
    assert r.status_code == 200
    x = r.context["x"]
    assert x.cell.score == Decimal("2.25")
    row = _row(scored.clean, scope=ScopeKind.REGION, region=world.district)
    assert r.context["counted"] == (row.passed, row.failed) == (3, 1)
    assert len(r.context["page"].object_list) == 4
    # Both check items (standards) of the content-level clause are listed.
    assert {o.clause.number for o in r.context["page"]} == {"1.1.1.1", "1.1.1.2"}
    [field] = x.methods
    assert (field.method, field.positive, field.total, field.failed) == ("field", 3, 4, 1)
    assert field.points == Decimal("2.25") and field.weight == Decimal(1)
    tree = load_tree(scored.framework)
    assert x.rule.formula == rule_words(tree, scored.clean.pk).formula
    html = r.content.decode()
    assert "多福巷" in html and "P00001" in html and "背街小巷" in html and "多福巷社区" in html


def test_deduct_rule_and_street_scope(world: World, scored: Scored, oct_data: October) -> None:
    r = login(world.office).get(
        url(scored.market_rows), {"period": PERIOD, "region": world.s2.code}
    )
    x = r.context["x"]
    assert x.cell.score == Decimal("1")
    assert "0.5" in x.rule.formula
    assert r.context["counted"] == (0, 2)
    row = _row(scored.market_rows, scope=ScopeKind.REGION, region=world.s2)
    assert (row.passed, row.failed) == (0, 2)
    # Street s1 saw no market: 未测, nothing listed.
    r = login(world.office).get(
        url(scored.market_rows), {"period": PERIOD, "region": world.s1.code}
    )
    assert r.context["x"].cell.score is None
    assert r.context["counted"] == (0, 0)


def test_mixed_method_clause_shows_weights(world: World, scored: Scored, oct_data: October) -> None:
    r = login(world.office).get(url(scored.market_records), {"period": PERIOD})
    x = r.context["x"]
    assert [w for _label, w in x.rule.weights] == [Decimal("0.7"), Decimal("0.3")]
    assert x.cell.coverage == Decimal("0.7")
    assert x.cell.score == Decimal("0.5")
    assert r.context["counted"] == (1, 1)


def test_unit_scope_counts_points_it_answers_for(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.office).get(url(scored.clean), {"period": PERIOD, "unit": "L001"})
    row = _row(scored.clean, scope=ScopeKind.UNIT, unit=world.line_cg)
    assert r.context["counted"] == (row.passed, row.failed) == (3, 1)
    r = login(world.user_s2).get(url(scored.market_records), {"period": PERIOD})
    row = _row(scored.market_records, scope=ScopeKind.UNIT, unit=world.unit_s2)
    assert r.context["counted"] == (row.passed, row.failed) == (1, 1)


def test_parent_equals_sum_of_children(world: World, scored: Scored, oct_data: October) -> None:
    r = login(world.office).get(url(scored.project1), {"period": PERIOD})
    x = r.context["x"]
    assert [n.code for n, _c in x.children] == ["1.1", "1.2"]
    assert x.children_sum.score == x.cell.score == Decimal("3.75")
    assert x.children_sum.measured_max == x.cell.measured_max == Decimal(6)
    assert x.children_sum.coverage == x.cell.coverage == Decimal("0.7125")
    assert r.context["page"] is None  # observations are listed on clauses


def test_failed_observation_links_its_case(
    world: World, scored: Scored, oct_data: October, categories: dict[str, Any]
) -> None:
    case = report(world, categories)
    Observation.objects.filter(clause=scored.clean_posters, result=FAIL).update(case=case)
    r = login(world.office).get(url(scored.clean), {"period": PERIOD})
    assert f'href="/cases/{case.pk}/"' in r.content.decode()
    assert case.number in r.content.decode()


def test_snapshot_lists_only_what_was_received_by_its_cutoff(
    world: World, scored: Scored, oct_data: October
) -> None:
    snap = compute_run(
        framework=scored.framework,
        region=world.district,
        period=parse_period(PERIOD),
        kind=RunKind.SNAPSHOT,
        cutoff=timezone.now(),
    )
    late = observe(
        scored.framework,
        world.p1,
        "2026-10-28",
        {scored.clean_ground: FAIL},
        received=timezone.now() + dt.timedelta(hours=1),
    )
    assert late.received_at > snap.cutoff
    r = login(world.office).get(url(scored.clean), {"run": snap.pk})
    row = snap.rows.get(node=scored.clean, region=world.district)
    assert r.context["counted"] == (row.passed, row.failed) == (3, 1)


def test_negative_events_counted_on_the_clause(
    world: World, scored: Scored, oct_data: October
) -> None:
    login(world.office).get(url(scored.parking), {"period": PERIOD})  # the live run, before
    NegativeEvent.objects.create(
        clause=scored.parking,
        region=world.c1,
        unit=world.line_cg,
        occurred_on=dt.date(2026, 10, 9),
        deduction=Decimal("0.5"),
        title="占道经营被曝光",
    )
    r = login(world.office).get(url(scored.parking), {"period": PERIOD, "run": ""})
    assert r.context["x"].cell.score == Decimal("1")  # the live run predates the event
    login(world.office).post(f"/scoring/recompute/?period={PERIOD}")
    r = login(world.office).get(url(scored.parking), {"period": PERIOD})
    assert r.context["x"].cell.score == Decimal("0.5")
    assert r.context["x"].negative == Decimal("0.5")
    assert [e.title for e in r.context["events"]] == ["占道经营被曝光"]
    r = login(world.office).get(url(scored.parking), {"period": PERIOD, "region": world.s2.code})
    assert r.context["events"] == []


def test_pagination(
    world: World, scored: Scored, oct_data: October, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(views, "OBSERVATIONS_PER_PAGE", 3)
    r = login(world.office).get(url(scored.clean), {"period": PERIOD, "page": 2})
    assert len(r.context["page"].object_list) == 1
    assert r.context["counted"] == (3, 1)


@pytest.mark.parametrize(
    "query",
    [
        {"unit": "S002"},
        {"unit": "L001"},
        {"region": "110101001"},
        {"region": "110101002"},
        {"region": "110101"},
    ],
)
def test_unit_gets_404_for_other_scopes(
    world: World, scored: Scored, oct_data: October, query: dict[str, str]
) -> None:
    r = login(world.user_s1).get(url(scored.clean), {"period": PERIOD, **query})
    assert r.status_code == 404


def test_lead_unit_reads_district_figures_of_its_clause_only(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.user_line)
    r = client.get(url(scored.clean), {"period": PERIOD, "region": "110101"})
    assert r.status_code == 200
    assert r.context["found"].led_only
    assert r.context["x"].cell.score == Decimal("2.25")
    assert r.context["page"] is None  # no other unit's observations
    assert "景山市场" not in r.content.decode()
    assert (
        client.get(url(scored.market_rows), {"period": PERIOD, "region": "110101"}).status_code
        == 404
    )
    assert (
        client.get(url(scored.clean), {"period": PERIOD, "region": "110101001"}).status_code == 404
    )
    assert client.get(url(scored.clean), {"period": PERIOD, "unit": "L002"}).status_code == 404


def test_node_of_another_framework_or_unknown_is_404(world: World, scored: Scored) -> None:
    assert login(world.office).get("/scoring/node/999999/", {"period": PERIOD}).status_code == 404
    assert login(world.nobody).get(url(scored.clean)).status_code == 403


def test_node_page_queries_do_not_grow(world: World, scored: Scored, oct_data: October) -> None:
    client = login(world.office)
    query = {"period": PERIOD}
    client.get(url(scored.clean), query)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            client.get(url(scored.clean), query)
        return len(ctx.captured_queries)

    small = count()
    for day in range(13, 28):
        observe(
            scored.framework,
            world.p1,
            f"2026-10-{day:02d}",
            {scored.clean_ground: PASS, scored.clean_posters: FAIL},
        )
    assert count() == small
    assert ScoreRun.objects.filter(kind=RunKind.LIVE).count() == 1
