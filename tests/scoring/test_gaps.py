"""The gap list: what each clause lost per street, and exactly what its open cases recover."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.scoring.domain.analysis_scope import resolve_scope
from chuangcheng.scoring.domain.gaps import gap_list
from tests.conftest import World
from tests.scoring.analysis_data import october
from tests.scoring.conftest import Scored

OCT = parse_period("2026-10")
D = Decimal


def summary(gaps):  # (clause code, scope name, lost, open cases, recoverable, per case)
    return [
        (r.node.code, r.scope_name, r.lost, r.open_cases, r.recoverable, r.per_case)
        for r in gaps.rows
    ]


def test_district_gap_list_is_ordered_by_points_recoverable_per_open_case(
    world: World, scored: Scored
) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None and scope.region == world.district
    gaps = gap_list(world.office, scope, OCT)
    assert summary(gaps) == [
        # 无乱停车 in s1: 1 of 2 passed → 1.0 of 2; case D passing makes it 2 of 2.
        ("2.1.1", "东华门街道", D("1.0000"), 1, D("1.0000"), D("1.0000")),
        # 道路街巷整洁 in s1: 1 of 4 passed → 0.75 of 3; cases A and B → 3 of 4 → 2.25.
        ("1.1.1", "东华门街道", D("2.2500"), 2, D("1.5000"), D("0.7500")),
        # 划行归市 in s2 (deduct 0.5 per failure): 1.5 of 2; case E → 2.
        ("1.1.2.1", "景山街道", D("0.5000"), 1, D("0.5000"), D("0.5000")),
        # 消毒记录 in s2: field 0 of 1 (survey unmeasured) → 0 of 1; its failure made no case.
        ("1.1.2.2", "景山街道", D("1.0000"), 0, D("0"), None),
    ]
    assert [o.case_id for o in gaps.rows[1].cases] == [month.a.pk, month.b.pk]  # C is closed
    # District total now: 1.5 (3 of 6 passed) + 1.0 + 1.5 + 0 = 4.0 of 8 measured.
    assert gaps.total is not None
    assert (gaps.total.score, gaps.total.measured_max) == (D("4.0000"), D("8.0000"))
    # All four open cases passing, counted in the district: 道路街巷整洁 5 of 6 → 2.5 (+1.0, not the
    # street's +1.5), 无乱停车 +1.0, 划行归市 +0.5.
    assert gaps.total_recoverable == D("2.5000")
    assert gaps.open_cases == 4 and gaps.lost == D("4.7500")


def test_street_gap_list_holds_only_that_street(world: World, scored: Scored) -> None:
    october(world, scored)
    scope = resolve_scope(world.office, region=world.s2.pk)
    assert scope is not None
    gaps = gap_list(world.office, scope, OCT)
    assert [(r.node.code, r.scope_name) for r in gaps.rows] == [
        ("1.1.2.1", "景山街道"),
        ("1.1.2.2", "景山街道"),
    ]
    assert gaps.total is not None and gaps.total.score == D("4.5000")  # 3 + 1.5 + 0


def test_unit_gap_list_is_the_units_own_scores(world: World, scored: Scored) -> None:
    month = october(world, scored)
    scope = resolve_scope(world.user_line)  # 城管委: line unit of p1, p1b and p3
    assert scope is not None and scope.unit == world.line_cg
    gaps = gap_list(world.user_line, scope, OCT)
    # 道路街巷整洁 over p1, p1b, p3: 3 of 6 → 1.5, A and B → 2.5; 无乱停车 1 of 2 → 1, D → 2.
    assert summary(gaps) == [
        ("2.1.1", "区城管委", D("1.0000"), 1, D("1.0000"), D("1.0000")),
        ("1.1.1", "区城管委", D("1.5000"), 2, D("1.0000"), D("0.5000")),
    ]
    assert month.e.pk not in gaps.case_ids


def test_unit_cannot_ask_for_another_street_or_unit(world: World, scored: Scored) -> None:
    october(world, scored)
    assert resolve_scope(world.user_s1, region=world.s2.pk) is None
    assert resolve_scope(world.user_s1, region=world.s1.pk) is None  # no region overview
    assert resolve_scope(world.user_s1, unit=world.unit_s2.pk) is None
    assert resolve_scope(world.user_s1, unit="x") is None
    assert resolve_scope(world.nobody) is None
    own = resolve_scope(world.user_s1)
    assert own is not None and own.unit == world.unit_s1


@pytest.mark.parametrize("who", ["office", "leader"])
def test_overview_users_start_at_the_district(world: World, scored: Scored, who: str) -> None:
    scope = resolve_scope(getattr(world, who))
    assert scope is not None and scope.key == ("region", world.district.pk)
    assert list(scope.row_names.values()) == ["东华门街道", "景山街道"]
