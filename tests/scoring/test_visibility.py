"""Who sees which score rows: leaders and offices their regions; a unit its own tree and the
clauses it leads; nobody else anything."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.inspections.enums import Result
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.enums import ScopeKind
from chuangcheng.scoring.models import NegativeEvent, NodeScore, ScoreRun
from tests.conftest import World
from tests.scoring.conftest import Scored, observe


@pytest.fixture
def run(world: World, scored: Scored) -> ScoreRun:
    s = scored
    observe(s.framework, world.p1, "2026-11-05", {s.clean_ground: Result.PASS})
    observe(s.framework, world.p2, "2026-11-05", {s.market_rows: Result.FAIL})
    return compute_run(framework=s.framework, region=world.district, period=parse_period("2026-11"))


def scopes(user: object, run: ScoreRun) -> set[tuple[str, str]]:
    rows = NodeScore.objects.visible_to(user).filter(run=run).select_related("region", "unit")
    return {(r.scope, (r.region or r.unit).name) for r in rows}  # type: ignore[union-attr]


def test_leaders_and_offices_see_every_scope(world: World, run: ScoreRun) -> None:
    everything = set(run.rows.values_list("scope", "region__name", "unit__name"))
    assert len(everything) == 1 + 2 + 4
    for user in (world.office, world.leader, world.auditor):
        assert NodeScore.objects.visible_to(user).filter(run=run).count() == run.rows.count()


def test_a_unit_sees_its_own_tree_and_the_region_rows_of_the_clauses_it_leads(
    world: World, scored: Scored, run: ScoreRun
) -> None:
    # 城管委 answers for p1 (line unit) and leads 1.1.1 and 2.1.1.
    rows = NodeScore.objects.visible_to(world.user_line).filter(run=run)
    unit_rows = rows.filter(scope=ScopeKind.UNIT)
    assert set(unit_rows.values_list("unit_id", flat=True)) == {world.line_cg.pk}
    led = rows.filter(scope=ScopeKind.REGION)
    assert set(led.values_list("node_id", flat=True)) == {scored.clean.pk, scored.parking.pk}
    # 景山街道办事处 answers for p2 and leads nothing: its own tree only.
    s2_rows = NodeScore.objects.visible_to(world.user_s2).filter(run=run)
    assert set(s2_rows.values_list("scope", "unit_id").distinct()) == {
        (ScopeKind.UNIT, world.unit_s2.pk)
    }
    # 东华门's grant covers its community's unit, which answers for p1: that tree only.
    s1_rows = NodeScore.objects.visible_to(world.user_s1).filter(run=run)
    assert set(s1_rows.values_list("scope", "unit_id").distinct()) == {
        (ScopeKind.UNIT, world.unit_c1.pk)
    }
    assert not NodeScore.objects.visible_to(world.nobody).exists()


def test_access_helpers_answer_for_pages(world: World, run: ScoreRun) -> None:
    district, s1, s2 = world.district, world.s1, world.s2
    assert [r.code for r in access.overview_regions(world.office)] == [
        district.code,
        s1.code,
        s2.code,
    ]
    assert access.overview_regions(world.user_s1) == []
    assert access.overview_regions(world.nobody) == []
    assert access.may_see_scope(world.leader, (ScopeKind.UNIT, world.unit_s2.pk), district)
    assert access.may_see_scope(world.user_s2, (ScopeKind.UNIT, world.unit_s2.pk), district)
    assert not access.may_see_scope(world.user_s1, (ScopeKind.UNIT, world.unit_s2.pk), district)
    assert not access.may_see_scope(world.user_s1, (ScopeKind.REGION, s1.pk), district)
    assert not access.may_see_scope(world.nobody, (ScopeKind.UNIT, world.unit_s2.pk), district)


def test_negative_events_are_seen_by_their_region_and_their_unit(
    world: World, scored: Scored
) -> None:
    event = NegativeEvent.objects.create(
        clause=scored.parking,
        region=world.s2,
        unit=world.unit_s2,
        occurred_on=dt.date(2026, 11, 3),
        deduction=Decimal(1),
        title="事件",
    )
    assert list(NegativeEvent.objects.visible_to(world.office)) == [event]
    assert list(NegativeEvent.objects.visible_to(world.user_s2)) == [event]
    assert not NegativeEvent.objects.visible_to(world.user_s1).exists()
    assert not NegativeEvent.objects.visible_to(world.nobody).exists()


def test_runs_are_listed_for_users_who_see_their_region(world: World, run: ScoreRun) -> None:
    assert list(ScoreRun.objects.visible_to(world.office)) == [run]
    assert list(ScoreRun.objects.visible_to(world.user_s2)) == [run]
    assert not ScoreRun.objects.visible_to(world.nobody).exists()
