"""A new inspection updates the live run's affected clauses; the result equals a full recompute."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.inspections.enums import Result
from chuangcheng.scoring.domain.compute import ScoringError, compute_run, update_live
from chuangcheng.scoring.domain.incremental import apply_inspection, refresh_live_runs
from chuangcheng.scoring.domain.reading import region_key, scope_tree, unit_key
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import NodeScore, ScoreRun
from tests.conftest import World
from tests.scoring.conftest import Scored, observe

P, F = Result.PASS, Result.FAIL
NOV = parse_period("2026-11")


def figures(run: ScoreRun) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    return {
        (r.node_id, r.scope, r.region_id, r.unit_id): (
            r.max_score,
            r.score,
            r.measured_max,
            r.coverage,
            r.passed,
            r.failed,
            r.deduction,
        )
        for r in NodeScore.objects.filter(run=run)
    }


def test_one_inspection_updates_the_live_run_like_a_full_recompute(
    world: World, scored: Scored
) -> None:
    s = scored
    observe(s.framework, world.p1, "2026-11-05", {s.clean_ground: P, s.clean_posters: F})
    live = compute_run(framework=s.framework, region=world.district, period=NOV, kind=RunKind.LIVE)
    new = observe(s.framework, world.p2, "2026-11-06", {s.market_rows: F, s.market_records: P})
    written = apply_inspection(new.pk)
    # 1.1.2.1 and 1.1.2.2 in 4 scopes (district, s2, unit_s2, 市场监管局), with their ancestors
    # 1.1.2, 1.1, 1 in the district and s2 (updated) and in both new unit scopes (created whole).
    assert written > 0
    tree = scope_tree(live, region_key(world.district))
    # 1.1.1: 3 × 1/2 = 1.5; 1.1.2: 1.1.2.1 2 − 0.5 = 1.5 plus 1.1.2.2 1 × 1/1 = 1.
    assert tree.score == Decimal("1.5") + Decimal("1.5") + Decimal(1)
    snapshot = compute_run(framework=s.framework, region=world.district, period=NOV)
    assert figures(live) == figures(snapshot)
    assert scope_tree(live, unit_key(world.line_sj)).score == Decimal("2.5")


def test_inspections_outside_the_live_period_change_nothing(world: World, scored: Scored) -> None:
    s = scored
    live = compute_run(framework=s.framework, region=world.district, period=NOV, kind=RunKind.LIVE)
    before = figures(live)
    october = observe(s.framework, world.p1, "2026-10-30", {s.parking: F})
    assert apply_inspection(october.pk) == 0
    assert figures(live) == before


def test_the_task_runs_after_the_inspection_commits(
    world: World, scored: Scored, django_capture_on_commit_callbacks: Any
) -> None:
    s = scored
    live = compute_run(framework=s.framework, region=world.district, period=NOV, kind=RunKind.LIVE)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        observe(s.framework, world.p1, "2026-11-07", {s.parking: F})
    assert len(callbacks) == 1
    nodes = {n.code: n for n in scope_tree(live, region_key(world.s1)).walk()}
    assert nodes["2.1.1"].score == Decimal(0)


def test_only_live_runs_follow_new_evidence(world: World, scored: Scored) -> None:
    snapshot = compute_run(framework=scored.framework, region=world.district, period=NOV)
    with pytest.raises(ScoringError):
        update_live(snapshot, {scored.parking.pk})


def test_refresh_recomputes_live_runs_of_open_periods_only(
    world: World, scored: Scored, settings: Any
) -> None:
    s = scored
    old = compute_run(
        framework=s.framework,
        region=world.district,
        period=parse_period("2020-01"),
        kind=RunKind.LIVE,
    )
    current = compute_run(
        framework=s.framework,
        region=world.district,
        period=parse_period("2100-01"),
        kind=RunKind.LIVE,
    )
    stamp = (old.cutoff, current.cutoff)
    assert refresh_live_runs() == 1
    old.refresh_from_db()
    current.refresh_from_db()
    assert old.cutoff == stamp[0]
    assert current.cutoff > stamp[1]
