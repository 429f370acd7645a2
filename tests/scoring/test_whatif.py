"""What-if: exact projected scores when chosen failures pass on re-inspection; nothing written."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.scoring.domain.analysis_scope import resolve_scope
from chuangcheng.scoring.domain.whatif import NotVisibleError, what_if
from chuangcheng.scoring.models import NodeScore, ScoreRun
from tests.conftest import World
from tests.scoring.analysis_data import october
from tests.scoring.conftest import Scored

OCT = parse_period("2026-10")
D = Decimal


def figures(change):  # (code, now, projected, delta)
    return (change.code, change.now.score, change.projected.score, change.delta)


def test_closing_two_cases_and_reinspecting_a_point_projects_the_district(
    world: World, scored: Scored
) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    result = what_if(
        world.office, scope, OCT, case_ids=[month.a.pk, month.d.pk], point_ids=[world.p2.pk]
    )
    # Flipped: A (路面整洁 at p1), D (无乱停车 at p1), and both failures at p2.
    assert len(result.flipped) == 4
    assert result.total is not None
    # 道路街巷整洁 3/6 → 4/6 of 3 = 2.0; 无乱停车 1/2 → 2/2 = 2.0; 划行归市 1.5 → 2.0 (no
    # failure left); 消毒记录 field 0/1 → 1/1 = 1.0 (survey unmeasured). 4.0 → 7.0.
    assert figures(result.total) == ("SC", D("4.0000"), D("7.0000"), D("3.0000"))
    assert [figures(c) for c in result.outline] == [
        ("1", D("3.0000"), D("5.0000"), D("2.0000")),
        ("1.1", D("3.0000"), D("5.0000"), D("2.0000")),
        ("1.2", None, None, D("0")),
        ("2", D("1.0000"), D("2.0000"), D("1.0000")),
        ("2.1", D("1.0000"), D("2.0000"), D("1.0000")),
    ]
    assert [figures(c) for c in result.clauses] == [
        ("1.1.1", D("1.5000"), D("2.0000"), D("0.5000")),
        ("1.1.2.1", D("1.5000"), D("2.0000"), D("0.5000")),
        ("1.1.2.2", D("0.0000"), D("1.0000"), D("1.0000")),
        ("2.1.1", D("1.0000"), D("2.0000"), D("1.0000")),
    ]
    assert result.ignored_cases == [] and result.ignored_points == []


def test_what_if_writes_nothing(world: World, scored: Scored) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    what_if(world.office, scope, OCT, case_ids=[], point_ids=[])  # the live run exists now
    before = list(NodeScore.objects.order_by("pk").values_list("pk", "score"))
    runs = ScoreRun.objects.count()
    what_if(world.office, scope, OCT, case_ids=[month.a.pk], point_ids=[month.p1b.pk])
    assert list(NodeScore.objects.order_by("pk").values_list("pk", "score")) == before
    assert ScoreRun.objects.count() == runs


def test_nothing_chosen_projects_the_current_scores(world: World, scored: Scored) -> None:
    october(world, scored)
    scope = resolve_scope(world.office, region=world.s1.pk)
    assert scope is not None
    result = what_if(world.office, scope, OCT, case_ids=[], point_ids=[])
    assert result.total is not None
    assert figures(result.total) == ("SC", D("1.7500"), D("1.7500"), D("0"))


def test_street_projection_counts_only_that_streets_failures(world: World, scored: Scored) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.office, region=world.s1.pk)
    assert scope is not None
    # A and B in s1: 道路街巷整洁 1/4 → 3/4 = 2.25; p1b re-inspected also flips C's 无小广告
    # (closed case, still a failure) → 4/4 = 3.0. E lies in s2: it changes nothing here.
    result = what_if(
        world.office,
        scope,
        OCT,
        case_ids=[month.a.pk, month.b.pk, month.e.pk],
        point_ids=[month.p1b.pk],
    )
    assert result.total is not None
    assert figures(result.total) == ("SC", D("1.7500"), D("4.0000"), D("2.2500"))
    assert result.ignored_cases == [month.e.pk]


def test_closed_case_is_ignored(world: World, scored: Scored) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    result = what_if(world.office, scope, OCT, case_ids=[month.c.pk], point_ids=[])
    assert result.flipped == [] and result.ignored_cases == [month.c.pk]


def test_case_the_user_may_not_see_is_refused(world: World, scored: Scored) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.user_s1)
    assert scope is not None
    with pytest.raises(NotVisibleError):
        what_if(world.user_s1, scope, OCT, case_ids=[month.e.pk], point_ids=[])
    with pytest.raises(NotVisibleError):
        what_if(world.user_s1, scope, OCT, case_ids=[], point_ids=[world.p2.pk])
    with pytest.raises(NotVisibleError):
        what_if(world.user_s1, scope, OCT, case_ids=[987654], point_ids=[])
