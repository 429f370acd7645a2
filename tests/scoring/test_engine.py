"""Exact scores for the hand-scorable framework of conftest.Scored (max 10 points).

Evidence used by most tests (November 2026):
- p1 (alley in c1 under s1; territorial unit_c1, line 城管委): two visits.
  Visit 1: 路面整洁 pass, 无小广告 fail, 无乱停车 n/a. Visit 2: both standards pass.
  → 1.1.1 (3 points, ratio over its standards): 3 passed of 4 judged → 3 × 3/4 = 2.25.
  → 2.1.1 无乱停车: only n/a → 未测.
- p2 (market in s2; territorial unit_s2, line 市场监管局): two visits.
  1.1.2.1 划行归市 (2 points, −0.5 per failure): fail, fail → 2 − 1 = 1.
  1.1.2.2 消毒记录 (1 point, field 0.7 + survey 0.3): pass, fail → field ratio 1/2; the survey is
  not measured, so field carries the whole point: 0.5; coverage 0.7.
- 1.2.1.1 市民满意 (survey only) → 未测.
District: 1.1.2 = 1 + 0.5 = 1.5 (coverage (2×1 + 1×0.7)/3 = 0.9); 1.1 = 2.25 + 1.5 = 3.75
(coverage 0.95); project 1 = 3.75 of 8 with 6 measured (coverage 0.95×6/8 = 0.7125); project 2
未测; total 3.75 of 10, 6 measured → 得分率 0.625, coverage 0.57.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.inspections.enums import Result
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.domain.reading import ScoreNode, region_key, scope_tree, unit_key
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import ClauseRule, NegativeEvent, NodeScore, ScoreRun
from tests.conftest import World
from tests.scoring.conftest import Scored, at, observe

P, F, NA = Result.PASS, Result.FAIL, Result.NA
NOV = parse_period("2026-11")


@pytest.fixture
def evidence(world: World, scored: Scored) -> None:
    s = scored
    observe(
        s.framework, world.p1, "2026-11-05", {s.clean_ground: P, s.clean_posters: F, s.parking: NA}
    )
    observe(s.framework, world.p1, "2026-11-12", {s.clean_ground: P, s.clean_posters: P})
    observe(s.framework, world.p2, "2026-11-05", {s.market_rows: F, s.market_records: P})
    observe(s.framework, world.p2, "2026-11-20", {s.market_rows: F, s.market_records: F})


def run_for(world: World, scored: Scored, **kw: object) -> ScoreRun:
    return compute_run(framework=scored.framework, region=world.district, period=NOV, **kw)


def by_code(tree: ScoreNode) -> dict[str, ScoreNode]:
    return {n.code: n for n in tree.walk()}


def figures(node: ScoreNode) -> tuple[Decimal | None, Decimal, Decimal, Decimal]:
    c = node.cell
    return c.score, c.max_score, c.measured_max, c.coverage


D = Decimal


@pytest.mark.usefixtures("evidence")
def test_district_scores_every_node_exactly(world: World, scored: Scored) -> None:
    nodes = by_code(scope_tree(run_for(world, scored), region_key(world.district)))
    assert figures(nodes["1.1.1"]) == (D("2.25"), D(3), D(3), D(1))
    assert (nodes["1.1.1"].cell.passed, nodes["1.1.1"].cell.failed) == (3, 1)
    assert figures(nodes["1.1.2.1"]) == (D(1), D(2), D(2), D(1))
    assert figures(nodes["1.1.2.2"]) == (D("0.5"), D(1), D(1), D("0.7"))
    assert figures(nodes["1.1.2"]) == (D("1.5"), D(3), D(3), D("0.9"))
    assert figures(nodes["1.1"]) == (D("3.75"), D(6), D(6), D("0.95"))
    assert figures(nodes["1.2.1.1"]) == (None, D(2), D(0), D(0))
    assert figures(nodes["1.2"]) == (None, D(2), D(0), D(0))
    assert figures(nodes["1"]) == (D("3.75"), D(8), D(6), D("0.7125"))
    assert figures(nodes["2.1.1"]) == (None, D(2), D(0), D(0))
    assert figures(nodes["SC"]) == (D("3.75"), D(10), D(6), D("0.57"))
    assert nodes["SC"].cell.rate == D("0.625")


@pytest.mark.usefixtures("evidence")
def test_streets_and_units_count_only_their_points(world: World, scored: Scored) -> None:
    run = run_for(world, scored)
    s1 = by_code(scope_tree(run, region_key(world.s1)))
    assert figures(s1["SC"]) == (D("2.25"), D(10), D(3), D("0.3"))
    assert s1["1.1.2"].score is None
    s2 = by_code(scope_tree(run, region_key(world.s2)))
    assert figures(s2["SC"])[:3] == (D("1.5"), D(10), D(3))
    assert s2["1.1.1"].score is None
    for unit in (world.unit_c1, world.line_cg):  # p1's territorial and line units
        assert by_code(scope_tree(run, unit_key(unit)))["SC"].score == D("2.25")
    for unit in (world.unit_s2, world.line_sj):
        assert by_code(scope_tree(run, unit_key(unit)))["SC"].score == D("1.5")
    # unit_s1 answers for no inspected point: it has no rows at all.
    assert not run.rows.filter(scope=ScopeKind.UNIT, unit=world.unit_s1).exists()


def test_a_framework_without_evidence_is_unmeasured_not_zero(world: World, scored: Scored) -> None:
    run = run_for(world, scored)
    tree = scope_tree(run, region_key(world.district))
    assert all(n.score is None for n in tree.walk())
    assert tree.cell.max_score == D(10)
    assert tree.as_json()["score"] is None and tree.as_json()["coverage"] == 0.0


@pytest.mark.usefixtures("evidence")
def test_evidence_outside_the_period_or_received_after_the_cutoff_is_left_out(
    world: World, scored: Scored
) -> None:
    s = scored
    observe(s.framework, world.p1, "2026-10-31", {s.parking: F})  # October
    late = observe(s.framework, world.p1, "2026-11-25", {s.parking: F}, received=at("2026-11-28"))
    run = run_for(world, scored, cutoff=at("2026-11-27"))
    assert by_code(scope_tree(run, region_key(world.district)))["2.1.1"].score is None
    assert late.observations.count() == 1
    later = run_for(world, scored, cutoff=at("2026-11-29"))
    assert by_code(scope_tree(later, region_key(world.district)))["2.1.1"].score == D(0)
    # The first run keeps its figures: a recompute made a new run.
    assert by_code(scope_tree(run, region_key(world.district)))["2.1.1"].score is None
    assert later.pk != run.pk


def test_deduction_rule_never_goes_below_zero(world: World, scored: Scored) -> None:
    for day in ("2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06"):
        observe(scored.framework, world.p2, day, {scored.market_rows: F})
    nodes = by_code(scope_tree(run_for(world, scored), region_key(world.district)))
    assert figures(nodes["1.1.2.1"]) == (D(0), D(2), D(2), D(1))
    assert nodes["1.1.2.1"].cell.failed == 5


def test_ratio_rule_on_the_deduction_clause_when_the_rule_changes(
    world: World, scored: Scored
) -> None:
    observe(scored.framework, world.p2, "2026-11-02", {scored.market_rows: F})
    observe(scored.framework, world.p2, "2026-11-03", {scored.market_rows: P})
    observe(scored.framework, world.p2, "2026-11-04", {scored.market_rows: P})
    nodes = by_code(scope_tree(run_for(world, scored), region_key(world.district)))
    assert nodes["1.1.2.1"].score == D("1.5")  # 2 − 0.5 × 1
    ClauseRule.objects.filter(node=scored.market_rows).update(field_rule="ratio")
    nodes = by_code(scope_tree(run_for(world, scored), region_key(world.district)))
    assert nodes["1.1.2.1"].score == D("1.3333")  # 2 × 2/3, rounded half-up to 4 places


def test_weights_for_methods_a_clause_does_not_use_are_ignored(
    world: World, scored: Scored
) -> None:
    ClauseRule.objects.filter(node=scored.market_records).update(
        weights={"field": 1, "material": 3}
    )
    observe(scored.framework, world.p2, "2026-11-02", {scored.market_records: F})
    nodes = by_code(scope_tree(run_for(world, scored), region_key(world.district)))
    # Only field weighs: the survey share is 0, so field is the whole clause (coverage 1).
    assert figures(nodes["1.1.2.2"]) == (D(0), D(1), D(1), D(1))


@pytest.mark.usefixtures("evidence")
def test_negative_events_deduct_where_they_happened(world: World, scored: Scored) -> None:
    NegativeEvent.objects.create(
        clause=scored.parking,
        region=world.c1,
        unit=world.line_cg,
        occurred_on=dt.date(2026, 11, 8),
        deduction=D("0.5"),
        title="占道堆物引发投诉",
    )
    NegativeEvent.objects.create(
        clause=scored.clean_posters,
        region=world.s1,
        occurred_on=dt.date(2026, 11, 9),
        deduction=D(1),
        title="小广告专项检查通报",
    )
    NegativeEvent.objects.create(  # outside the period: no effect
        clause=scored.market_rows,
        region=world.s2,
        occurred_on=dt.date(2026, 12, 1),
        deduction=D(2),
        title="下月事件",
    )
    run = run_for(world, scored)
    district = by_code(scope_tree(run, region_key(world.district)))
    # 无乱停车 had no judged observation: the event makes it measured from its full 2 points.
    assert figures(district["2.1.1"]) == (D("1.5"), D(2), D(2), D(0))
    assert district["2.1.1"].cell.deduction == D("0.5")
    # An event on a check item deducts from the scored content above it: 2.25 − 1.
    assert district["1.1.1"].score == D("1.25")
    assert district["1.1.2.1"].score == D(1)
    assert district["SC"].score == D("1.25") + D("1.5") + D("1.5")
    s1 = by_code(scope_tree(run, region_key(world.s1)))
    assert (s1["2.1.1"].score, s1["1.1.1"].score) == (D("1.5"), D("1.25"))
    s2 = by_code(scope_tree(run, region_key(world.s2)))
    assert s2["2.1.1"].score is None
    line = by_code(scope_tree(run, unit_key(world.line_cg)))
    assert (line["2.1.1"].score, line["1.1.1"].score) == (D("1.5"), D("2.25"))


@pytest.mark.usefixtures("evidence")
def test_every_parent_is_the_sum_of_its_children_in_every_scope(
    world: World, scored: Scored
) -> None:
    run = run_for(world, scored)
    keys = {(r.scope, r.region_id or r.unit_id) for r in run.rows.all()}
    assert len(keys) == 1 + 2 + 4  # district, two streets, four units
    for key in keys:
        assert_sums(scope_tree(run, key))  # type: ignore[arg-type]


def assert_sums(tree: ScoreNode) -> None:
    for node in tree.walk():
        c = node.cell
        assert c.max_score >= 0 and 0 <= c.coverage <= 1
        if c.score is not None:
            assert 0 <= c.score <= c.max_score
            assert c.measured_max <= c.max_score
        if not node.children:
            continue
        kids = [k.cell for k in node.children]
        measured = [k.score for k in kids if k.score is not None]
        assert c.score == (sum(measured, D(0)) if measured else None)
        assert c.max_score == sum((k.max_score for k in kids), D(0))
        assert c.measured_max == sum((k.measured_max for k in kids), D(0))


@pytest.mark.usefixtures("evidence")
def test_live_run_is_replaced_in_place_and_snapshots_accumulate(
    world: World, scored: Scored
) -> None:
    live = run_for(world, scored, kind=RunKind.LIVE)
    again = run_for(world, scored, kind=RunKind.LIVE)
    assert again.pk == live.pk
    assert ScoreRun.objects.filter(kind=RunKind.LIVE).count() == 1
    assert NodeScore.objects.filter(run=live).count() == live.rows.count()
    snaps = [run_for(world, scored), run_for(world, scored)]
    assert snaps[0].pk != snaps[1].pk
    assert ScoreRun.objects.filter(kind=RunKind.SNAPSHOT).count() == 2


def test_cutoff_defaults_to_now(world: World, scored: Scored) -> None:
    before = timezone.now()
    run = run_for(world, scored)
    assert before <= run.cutoff <= timezone.now()
