"""Trends: each period's score from its snapshot or live run, changes, gaps, and the weighted
three-year average."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.config import ConfigError, load
from chuangcheng.scoring.domain.analysis_scope import resolve_scope
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.domain.trends import TrendError, periods_back, trend
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun
from tests.conftest import World
from tests.scoring.analysis_data import october
from tests.scoring.conftest import Scored, at, observe

TODAY = dt.date(2026, 11, 22)
D = Decimal


def history(world: World, s: Scored) -> None:
    """October 2026 (analysis_data), a clean September 2026 and one inspection in June 2025."""
    october(world, s)
    every = {s.clean_ground: "pass", s.clean_posters: "pass", s.parking: "pass"}
    observe(s.framework, world.p1, "2026-09-10", every)
    observe(
        s.framework,
        world.p1,
        "2025-06-15",
        {s.clean_ground: "pass", s.clean_posters: "fail", s.parking: "pass"},
    )


def test_periods_back_end_with_the_current_period() -> None:
    assert [p.key for p in periods_back("month", 3, TODAY)] == ["2026-09", "2026-10", "2026-11"]
    assert [p.key for p in periods_back("quarter", 3, TODAY)] == ["2026-Q2", "2026-Q3", "2026-Q4"]
    assert [p.key for p in periods_back("year", 3, TODAY)] == ["2024", "2025", "2026"]
    with pytest.raises(TrendError):
        periods_back("week", 3, TODAY)


def test_monthly_trend_of_the_district(world: World, scored: Scored) -> None:
    history(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    t = trend(scope, grain="month", today=TODAY, weights=(D("0.2"), D("0.3"), D("0.5")))
    assert len(t.points) == 12 and t.points[0].period.key == "2025-12"
    shown = [(p.period.key, p.cell.score, p.rate_pct, p.delta_pp) for p in t.points[-4:]]
    assert shown == [
        ("2026-08", None, None, None),
        # September: everything observed passed: 5 of 5.
        ("2026-09", D("5.0000"), D("100.00"), None),
        # October: 4.0 of 8 (see test_gaps) → 50 %, 50 points down.
        ("2026-10", D("4.0000"), D("50.00"), D("-50.00")),
        ("2026-11", None, None, None),  # 未测 so far
    ]
    assert t.points[-1].current and not t.points[-2].current
    assert t.points[-3].cell.coverage == D("0.5000")  # 5 of 10 points measured


def test_three_year_average_renormalises_when_a_year_is_unmeasured(
    world: World, scored: Scored
) -> None:
    history(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    t = trend(scope, grain="year", today=TODAY, weights=(D("0.2"), D("0.3"), D("0.5")))
    # 2026: 道路街巷整洁 5 of 8 → 1.875; 无乱停车 2 of 3 → 1.3333; 划行归市 1.5; 消毒记录 0:
    # 4.7083 of 8 = 58.85 %. 2025: 1.5 + 2 = 3.5 of 5 = 70 %. 2024: 未测.
    assert [(y.year, y.rate_pct, y.used_weight) for y in t.average.years] == [
        (2024, None, None),
        (2025, D("70.00"), D("0.3750")),
        (2026, D("58.85"), D("0.6250")),
    ]
    # 0.375 × 70 % + 0.625 × 58.85375 % = 63.03 %
    assert t.average.rate_pct == D("63.03") and t.average.renormalised
    assert [p.cell.score for p in t.points] == [None, None, None, D("3.5000"), D("4.7083")]
    assert t.points[-1].delta_pp == D("-11.15")  # 58.85375 − 70


def test_all_years_measured_is_not_renormalised(world: World, scored: Scored) -> None:
    history(world, scored)
    observe(scored.framework, world.p1, "2024-05-01", {scored.parking: "fail"})
    scope = resolve_scope(world.office)
    assert scope is not None
    t = trend(scope, grain="year", today=TODAY, weights=(D("2"), D("3"), D("5")))
    # 2024: 无乱停车 0 of 1 → 0 %. 0.2 × 0 + 0.3 × 70 + 0.5 × 58.85375 = 50.43 %
    assert t.average.rate_pct == D("50.43") and not t.average.renormalised


def test_a_snapshot_answers_its_period_instead_of_the_live_run(
    world: World, scored: Scored
) -> None:
    history(world, scored)
    compute_run(
        framework=scored.framework,
        region=world.district,
        period=parse_period("2026-09"),
        cutoff=at("2026-09-01"),  # before September's inspection arrived
    )
    scope = resolve_scope(world.office)
    assert scope is not None
    t = trend(scope, grain="month", today=TODAY)
    september = t.points[-3]
    assert september.run.kind == RunKind.SNAPSHOT and september.cell.score is None
    assert t.points[-2].delta_pp is None  # nothing to compare October with


def test_past_live_runs_are_computed_once(world: World, scored: Scored) -> None:
    history(world, scored)
    scope = resolve_scope(world.office)
    assert scope is not None
    trend(scope, grain="quarter", today=TODAY)
    runs = ScoreRun.objects.count()
    assert runs == 8 + 3  # eight quarters and the years 2024 to 2026
    trend(scope, grain="quarter", today=TODAY)
    assert ScoreRun.objects.count() == runs


def test_clause_trend_of_a_unit(world: World, scored: Scored) -> None:
    history(world, scored)
    scope = resolve_scope(world.user_line)
    assert scope is not None
    t = trend(scope, grain="quarter", node_id=scored.parking.pk, today=TODAY)
    # 城管委 (line unit of p1, p1b, p3): Q3 2026 1 of 1 → 2; Q4 2026 1 of 2 → 1.
    assert [(p.period.key, p.cell.score) for p in t.points[-3:]] == [
        ("2026-Q2", None),
        ("2026-Q3", D("2.0000")),
        ("2026-Q4", D("1.0000")),
    ]
    assert (t.node_code, t.node_name) == ("2.1.1", "无乱停车")
    assert t.points[-1].delta_pp == D("-50.00")
    with pytest.raises(TrendError):
        trend(scope, grain="quarter", node_id=987654, today=TODAY)


def test_trend_weights_setting_is_checked_at_start() -> None:
    assert load({})["SCORE_TREND_WEIGHTS"] == (D("0.2"), D("0.3"), D("0.5"))
    assert load({"SCORE_TREND_WEIGHTS": "1, 1, 2"})["SCORE_TREND_WEIGHTS"] == (D(1), D(1), D(2))
    for bad in ("0.5,0.5", "a,b,c", "0.2,-0.3,0.5", "0,0,0", "1,2,3,4", "nan,1,1"):
        with pytest.raises(ConfigError, match="SCORE_TREND_WEIGHTS"):
            load({"SCORE_TREND_WEIGHTS": bad})
