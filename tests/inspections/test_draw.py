"""The draw: exact points for a seed, stratified shares, balanced assignment, own-street rule."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from chuangcheng.inspections.domain.draw import Candidate, Walker, allocate, assign, draw, pick
from tests.conftest import World
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import drawn, make_round

pytestmark = pytest.mark.django_db

ALLEYS = sorted(
    ["P00001", "A0101", "A0102", "A0103", "A0104", "A0105", "A0201", "A0202", "A0203", "A0301"]
)


def test_allocate_largest_remainder_ties_by_street_code() -> None:
    # 5 × 6/10 = 3.0, 5 × 3/10 = 1.5, 5 × 1/10 = 0.5 → floors 3, 1, 0 and one left over;
    # the remainders of s2 and s3 tie (0.5 each) and s2 has the smaller code.
    assert allocate(5, {"s3": 1, "s1": 6, "s2": 3}) == {"s1": 3, "s2": 2, "s3": 0}
    # Four equal groups, three points: the first three codes get one each.
    assert allocate(3, {"d": 1, "b": 1, "a": 1, "c": 1}) == {"a": 1, "b": 1, "c": 1, "d": 0}
    # Asking for more than there is takes everything.
    assert allocate(9, {"a": 2, "b": 3}) == {"a": 2, "b": 3}
    assert allocate(0, {"a": 2}) == {"a": 0}


def test_draw_is_the_documented_sample_for_the_seed(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, seed=20261101, quotas={world.alley.pk: 4}, inspectors=[walker])
    # Candidates sorted by code, one random.Random(seed) for the whole draw.
    expected = random.Random(20261101).sample(ALLEYS, 4)
    assert expected == ["A0102", "P00001", "A0202", "A0101"]
    assert [code for code, _who in drawn(round_)] == expected
    # Drawing again with the stored seed gives the same points.
    draw(round_)
    assert [code for code, _who in drawn(round_)] == expected


def test_quotas_are_drawn_in_point_type_order_from_one_generator(
    world: World, fw, streets: Streets
) -> None:
    walker = inspector("w1", world.district)
    world.alley.seq, world.market.seq = 2, 1
    world.alley.save()
    world.market.save()
    round_ = make_round(
        world, fw, seed=7, quotas={world.alley.pk: 2, world.market.pk: 2}, inspectors=[walker]
    )
    rng = random.Random(7)
    markets = rng.sample(["M0101", "M0301", "P00002"], 2)
    alleys = rng.sample(ALLEYS, 2)
    assert [code for code, _who in drawn(round_)] == markets + alleys


def test_stratified_draw_shares_by_street(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(
        world,
        fw,
        seed=99,
        quotas={world.alley.pk: 5},
        inspectors=[walker],
        stratify_by_street=True,
    )
    codes = [code for code, _who in drawn(round_)]
    by_street = Counter(code[:3] if code.startswith("A") else "A01" for code in codes)
    # 6 alleys in s1 (P00001 and A0101–A0105), 3 in s2, 1 in s3 → shares 3, 2, 0.
    assert by_street == {"A01": 3, "A02": 2}
    rng = random.Random(99)
    s1 = rng.sample(["A0101", "A0102", "A0103", "A0104", "A0105", "P00001"], 3)
    s2 = rng.sample(["A0201", "A0202", "A0203"], 2)
    assert codes == s1 + s2


def test_shortfall_and_inactive_points_are_reported(world: World, fw, streets: Streets) -> None:
    from chuangcheng.inspections.domain.planning import create_round
    from tests.inspections.helpers import round_data

    walker = inspector("w1", world.district)
    _round, report = create_round(
        round_data(world, fw, quotas={world.market.pk: 5}, inspectors=[walker]),
        actor=world.office,
    )
    assert report.drawn == 3
    assert report.shortfalls == [("农贸市场", 5, 3)]
    assert report.unassigned == []


def test_assignment_balances_points() -> None:
    points = [Candidate(i, f"P{i}", 1, "s1") for i in range(1, 6)]
    walkers = [Walker(10, "b", ""), Walker(11, "a", "")]
    result = assign(points, walkers, avoid_own_street=False)
    # Ties go by username: a, b, a, b, a.
    assert result == {1: 11, 2: 10, 3: 11, 4: 10, 5: 11}


def test_own_street_rule_sends_inspectors_elsewhere(world: World, fw, streets: Streets) -> None:
    from_s1 = inspector("from_s1", world.district, home=world.s1)
    from_s2 = inspector("from_s2", world.district, home=world.s2)
    round_ = make_round(
        world,
        fw,
        seed=5,
        quotas={world.alley.pk: 10},
        inspectors=[from_s1, from_s2],
        avoid_own_street=True,
    )
    got = dict(drawn(round_))
    s1_codes = {"P00001", "A0101", "A0102", "A0103", "A0104", "A0105"}
    s2_codes = {"A0201", "A0202", "A0203"}
    assert {got[c] for c in s1_codes} == {"from_s2"}
    assert {got[c] for c in s2_codes} == {"from_s1"}
    # A0301 (s3) may go to either: the one with fewer points (from_s1 has 3, from_s2 has 6).
    assert got["A0301"] == "from_s1"


def test_own_street_rule_leaves_impossible_points_unassigned(
    world: World, fw, streets: Streets
) -> None:
    from chuangcheng.inspections.domain.planning import create_round
    from tests.inspections.helpers import round_data

    from_s1 = inspector("from_s1", world.district, home=world.s1)
    _round, report = create_round(
        round_data(
            world,
            fw,
            quotas={world.alley.pk: 10},
            inspectors=[from_s1],
            avoid_own_street=True,
        ),
        actor=world.office,
    )
    assert sorted(report.unassigned) == ["A0101", "A0102", "A0103", "A0104", "A0105", "P00001"]
    assert report.drawn == 10


def test_own_street_rule_off_lets_anyone_go_anywhere(world: World, fw, streets: Streets) -> None:
    from_s1 = inspector("from_s1", world.district, home=world.s1)
    round_ = make_round(world, fw, quotas={world.alley.pk: 10}, inspectors=[from_s1])
    assert {who for _code, who in drawn(round_)} == {"from_s1"}


def test_pick_takes_all_when_quota_exceeds_candidates() -> None:
    cands = [Candidate(1, "B", 1, "x"), Candidate(2, "A", 1, "y")]
    assert sorted(c.code for c in pick(cands, [(1, 5)], seed=1, stratify=True)) == ["A", "B"]
