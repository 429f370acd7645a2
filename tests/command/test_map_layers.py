"""The command map's layers: exact colours, counts and scopes, computed by hand for the world."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.command.domain import map_layers
from chuangcheng.command.domain.map_layers import compliance_state
from chuangcheng.command.models import KeyArea
from chuangcheng.inspections.enums import Result
from tests.command.map_data import NOW, s1_case, s2_case, square
from tests.conftest import World
from tests.factories import PointFactory
from tests.scoring.conftest import Scored, observe

PASS, FAIL, NA = Result.PASS, Result.FAIL, Result.NA


def test_compliance_state_thresholds() -> None:
    assert compliance_state(0, 0) == "none"
    assert compliance_state(3, 0) == "pass"
    assert compliance_state(4, 1) == "minor"  # 80 %: still minor
    assert compliance_state(79, 21) == "major"  # 79 %
    assert compliance_state(1, 1) == "major"
    assert compliance_state(0, 2) == "major"


def test_points_coloured_by_their_latest_visit_only(world: World, scored: Scored) -> None:
    s = scored
    # p1: an old visit failed everything; the latest passed everything → pass.
    observe(s.framework, world.p1, "2026-09-10", {s.clean_ground: FAIL, s.clean_posters: FAIL})
    observe(s.framework, world.p1, "2026-10-10", {s.clean_ground: PASS, s.clean_posters: PASS})
    # p2: 1 of 2 rated compliant (the NA is not rated) → major.
    observe(
        s.framework,
        world.p2,
        "2026-10-11",
        {s.market_rows: PASS, s.market_records: FAIL, s.satisfaction: NA},
    )
    # p3: 4 of 5 → minor; p4: never inspected → none; an inactive point is not drawn.
    p3 = PointFactory(
        code="P00003",
        name="三号",
        type=world.alley,
        region=world.c1,
        territorial_unit=world.unit_c1,
    )
    observe(
        s.framework,
        p3,
        "2026-10-12",
        {
            s.clean_ground: PASS,
            s.clean_posters: PASS,
            s.market_rows: PASS,
            s.market_records: PASS,
            s.parking: FAIL,
        },
    )
    PointFactory(
        code="P00004",
        name="四号",
        type=world.alley,
        region=world.c1,
        territorial_unit=world.unit_c1,
    )
    PointFactory(
        code="P00005",
        name="停用",
        type=world.alley,
        region=world.c1,
        territorial_unit=world.unit_c1,
        active=False,
    )
    rows = {r[0]: (r[4], r[5], r[6]) for r in map_layers.point_rows(world.office)}
    assert rows == {
        "P00001": ("pass", 2, 0),
        "P00002": ("major", 1, 1),
        "P00003": ("minor", 4, 1),
        "P00004": ("none", 0, 0),
    }
    # A street sees only its own points.
    assert [r[0] for r in map_layers.point_rows(world.user_s2)] == ["P00002"]


def test_case_colours_at_the_deadline_boundaries(world: World) -> None:
    hour = dt.timedelta(hours=1)
    second = dt.timedelta(seconds=1)
    late = s1_case(world, NOW - second)  # a second past the deadline
    at_deadline = s1_case(world, NOW)  # due now: not yet overdue
    last_soon = s1_case(world, NOW + 24 * hour - second)
    in_time = s1_case(world, NOW + 24 * hour)  # exactly 24 h left: in time
    waiting = s1_case(world, None, status=CaseStatus.REGISTERED)  # not with a unit
    rework_late = s1_case(world, NOW - hour, status=CaseStatus.REWORK)
    feedback_late = s1_case(world, NOW - hour, status=CaseStatus.FEEDBACK)  # unit is done
    s1_case(world, NOW - hour, status=CaseStatus.CLOSED)  # closed: not drawn
    s1_case(world, NOW - hour, lng=None, lat=None)  # no position: not drawn
    states = {r[1]: r[4] for r in map_layers.case_rows(world.office, NOW)}
    assert states == {
        late.number: "overdue",
        at_deadline.number: "soon",
        last_soon.number: "soon",
        in_time.number: "ok",
        waiting.number: "wait",
        rework_late.number: "overdue",
        feedback_late.number: "wait",
    }


def test_street_figures_count_open_and_overdue_cases_per_street(world: World) -> None:
    hour = dt.timedelta(hours=1)
    s1_case(world, NOW - hour)  # overdue
    s1_case(world, NOW + hour)  # open, in time
    s1_case(world, NOW - hour, status=CaseStatus.FEEDBACK)  # open, not overdue (unit done)
    s1_case(world, NOW - hour, status=CaseStatus.CLOSED)  # not open
    s2_case(world, NOW - hour)
    s2_case(world, NOW - 2 * hour, region=world.s2)  # on the street itself, not a community
    found = map_layers.street_figures(world.office, NOW)
    figures = {s["name"]: (s["open"], s["overdue"]) for s in found["streets"]}
    assert figures == {"东华门街道": (3, 1), "景山街道": (2, 2)}
    unit = map_layers.street_figures(world.user_s1, NOW)
    assert {s["name"]: (s["open"], s["overdue"]) for s in unit["streets"]} == {"东华门街道": (3, 1)}
    # A unit reads no region scores.
    assert unit["scored"] is False
    assert all(s["rate"] is None for s in unit["streets"])


def test_street_score_rate_from_the_live_run(world: World, scored: Scored) -> None:
    s = scored
    # 东华门: at 多福巷 the two standards of 道路街巷整洁 (3 points, ratio): 1 of 2 → 1.5 of 3.
    observe(s.framework, world.p1, "2026-10-10", {s.clean_ground: PASS, s.clean_posters: FAIL})
    found = map_layers.street_figures(world.office, NOW)
    assert found["period"] == "2026-10"  # the month of the latest inspection
    assert found["scored"] is True
    rates = {x["name"]: x["rate"] for x in found["streets"]}
    assert rates == {"东华门街道": 0.5, "景山街道": None}


def test_heat_rows_cover_52_weeks_of_problems(world: World) -> None:
    day = dt.timedelta(days=1)
    recent = s1_case(world, NOW + day, reported=NOW - 3 * day)
    s1_case(world, NOW + day, reported=NOW - 364 * day)  # before the first day
    s1_case(world, NOW + day, reported=NOW - 363 * day)  # the first day
    s1_case(world, NOW + day, reported=NOW - day, status=CaseStatus.REJECTED)  # not a problem
    s2_case(world, NOW + day, reported=NOW - 2 * day)
    heat = map_layers.heat_rows(world.office, NOW)
    assert heat["start"] == "2025-11-22"
    assert heat["days"] == 364
    assert sorted(r[2] for r in heat["rows"]) == [0, 360, 361]
    assert [39.925, 116.405, 360] in heat["rows"]
    assert recent.lat == Decimal("39.925000")
    assert sorted(r[2] for r in map_layers.heat_rows(world.user_s2, NOW)["rows"]) == [361]


def test_key_areas_count_the_open_cases_inside(world: World) -> None:
    area = KeyArea.objects.create(
        name="多福巷片区", region=world.s1, geometry=square(116.405, 39.925)
    )
    KeyArea.objects.create(name="景山片区", region=world.s2, geometry=square(116.396, 39.928))
    s1_case(world, NOW)  # inside, open
    s1_case(world, NOW, status=CaseStatus.CLOSED)  # inside, closed
    s2_case(world, NOW)  # outside the first, inside the second
    rows = {a["name"]: a["open"] for a in map_layers.key_area_rows(world.office)}
    assert rows == {"多福巷片区": 1, "景山片区": 1}
    # 东华门 sees only its area.
    assert [a["id"] for a in map_layers.key_area_rows(world.user_s1)] == [area.pk]
