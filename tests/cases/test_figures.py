"""Unit figures on a hand-built November 2026: every number below is worked out in the comments.

The period is 2026-11 (Beijing time); figures are read at NOW = 2026-12-05 12:00 unless a test
says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain.figures import (
    Counts,
    Rate,
    cases_behind,
    figure_table,
    monthly,
    score,
)
from chuangcheng.cases.domain.periods import PeriodError, parse_period, period_from_query
from chuangcheng.cases.enums import CaseStatus as S
from chuangcheng.cases.models import AppraisalScheme, Case
from tests.cases.figures_fixtures import at, make_case
from tests.conftest import World
from tests.factories import RegionFactory, UnitFactory

NOW = at(12, 5)
NOV = parse_period("2026-11")


@dataclass
class November:
    cases: dict[str, Case]


@pytest.fixture
def november(world: World) -> November:
    w = world
    c: dict[str, Case] = {}
    # 东华门街道办事处 (unit_s1), all in 多福巷社区 (c1, street s1):
    # A1 handled early and closed: due, handled, closed, on time.
    c["A1"] = make_case(
        w.c1,
        w.unit_s1,
        status=S.CLOSED,
        due=at(11, 3, 10),
        feedback=at(11, 2),
        closed=at(11, 2, 15),
    )
    # A2 handled two days late, one rework: due, handled, closed, not on time, rework 1.
    c["A2"] = make_case(
        w.c1,
        w.unit_s1,
        status=S.CLOSED,
        due=at(11, 10),
        feedback=at(11, 12),
        closed=at(11, 13),
        rework=1,
    )
    # A3 awaiting re-check, feedback 09:00 before the 18:00 deadline, reworked twice:
    # due, handled, on time, rework 2; not closed.
    c["A3"] = make_case(
        w.c1, w.unit_s1, status=S.FEEDBACK, due=at(11, 15, 18), feedback=at(11, 15, 9), rework=2
    )
    # A4 sent back for rework (feedback cleared), deadline passed: due, overdue, rework 1.
    c["A4"] = make_case(w.c1, w.unit_s1, status=S.REWORK, due=at(11, 20), rework=1)
    # A5 still at the unit after an extension: due, overdue, extended.
    c["A5"] = make_case(w.c1, w.unit_s1, status=S.DISPATCHED, due=at(11, 25), extensions=1)
    # A6 closed in time but was suspended once: due, handled, closed, suspended, NOT on time
    # (suspended cases leave the on-time numerator and denominator).
    c["A6"] = make_case(
        w.c1,
        w.unit_s1,
        status=S.CLOSED,
        due=at(11, 28),
        feedback=at(11, 27),
        closed=at(11, 28),
        suspended=True,
    )
    # A7 due 23:30 on 30 November local time (15:30 UTC): still November; on time.
    c["A7"] = make_case(
        w.c1,
        w.unit_s1,
        status=S.CLOSED,
        due=at(11, 30, 23, 30),
        feedback=at(11, 30, 20),
        closed=at(12, 1, 9),
    )
    # A8 due 00:30 on 1 December local time (30 November 16:30 UTC): December, not counted.
    c["A8"] = make_case(w.c1, w.unit_s1, status=S.DISPATCHED, due=at(12, 1, 0, 30))
    # A9 due 31 October 23:59: October, not counted.
    c["A9"] = make_case(w.c1, w.unit_s1, status=S.DISPATCHED, due=at(10, 31, 23, 59))
    # A10 suspended now (the clock stops): in the cohort but not due → pending.
    c["A10"] = make_case(w.c1, w.unit_s1, status=S.SUSPENDED, due=at(11, 18), suspended=True)
    # A11 merged as a duplicate: never counted.
    c["A11"] = make_case(w.c1, w.unit_s1, status=S.MERGED, due=at(11, 18))
    # 区城管委 (line_cg):
    # B1 in c1 (s1), unit_s1 only a partner: counts for 城管委 alone. due, handled, closed, on time.
    c["B1"] = make_case(
        w.c1,
        w.line_cg,
        status=S.CLOSED,
        due=at(11, 5),
        feedback=at(11, 4),
        closed=at(11, 6),
        partners=(w.unit_s1,),
    )
    # B2 in c2 (s2) handled a day late: due, handled, closed.
    c["B2"] = make_case(
        w.c2, w.line_cg, status=S.CLOSED, due=at(11, 6), feedback=at(11, 7), closed=at(11, 8)
    )
    # B3 located at street s2 itself, still at the unit: due, overdue.
    c["B3"] = make_case(w.s2, w.line_cg, status=S.DISPATCHED, due=at(11, 8))
    # 景山街道办事处 (unit_s2): C1 in c2 awaiting re-check, on time: due, handled, on time.
    c["C1"] = make_case(
        w.c2, w.unit_s2, status=S.FEEDBACK, due=at(11, 12, 18), feedback=at(11, 12, 10)
    )
    # 区市场监管局 (line_sj): D1 in c2 suspended now: pending only.
    c["D1"] = make_case(w.c2, w.line_sj, status=S.SUSPENDED, due=at(11, 20), suspended=True)
    # 多福巷社区居委会 (unit_c1): E1 in c1 closed, was suspended: due, handled, closed, suspended.
    c["E1"] = make_case(
        w.c1,
        w.unit_c1,
        status=S.CLOSED,
        due=at(11, 10),
        feedback=at(11, 9),
        closed=at(11, 10),
        suspended=True,
    )
    return November(c)


def test_unit_counts_by_hand(world: World, november: November) -> None:
    table = figure_table(NOV, world.district, now=NOW)
    s1 = table.unit_row(world.unit_s1.pk)
    assert s1 is not None
    # handled A1 A2 A3 A6 A7 = 5; overdue A4 A5 = 2; due = 7; closed A1 A2 A6 A7 = 4;
    # on time A1 A3 A7 = 3; suspended A6 = 1; rework 1 + 2 + 1 = 4; extended A5; pending A10.
    assert s1.counts == Counts(
        due=7,
        handled=5,
        closed=4,
        on_time=3,
        suspended=1,
        rework=4,
        overdue=2,
        extended=1,
        pending=1,
    )
    assert str(s1.counts.closed_rate) == "57.14%"  # 4/7 = 0.571428…
    assert str(s1.counts.handled_rate) == "71.43%"  # 5/7 = 0.714285…
    assert str(s1.counts.on_time_rate) == "50.00%"  # 3/(7−1)
    assert str(s1.counts.rework_rate) == "57.14%"  # 4/7
    assert str(s1.counts.overdue_rate) == "28.57%"  # 2/7 = 0.285714…
    assert str(s1.counts.extension_rate) == "14.29%"  # 1/7 = 0.142857…
    assert s1.counts.closed_rate.value == Decimal("0.5714")
    cg = table.unit_row(world.line_cg.pk)
    assert cg is not None
    # B1 B2 handled and closed, B1 on time, B3 overdue.
    assert cg.counts == Counts(due=3, handled=2, closed=2, on_time=1, overdue=1)
    s2 = table.unit_row(world.unit_s2.pk)
    assert s2 is not None and s2.counts == Counts(due=1, handled=1, on_time=1)
    sj = table.unit_row(world.line_sj.pk)
    assert sj is not None and sj.counts == Counts(pending=1)
    c1 = table.unit_row(world.unit_c1.pk)
    assert c1 is not None
    assert c1.counts == Counts(due=1, handled=1, closed=1, suspended=1)


def test_scores_and_ranking_default_scheme(world: World, november: November) -> None:
    table = figure_table(NOV, world.district, now=NOW)
    assert table.scheme.code == "closure-30"
    # unit_s1: 30×4/7 + 30×3/6 + 30×(1 − 4/7) + band(7 ≥ 1 → 2) = 120/7 + 15 + 90/7 + 2 = 47.00
    # line_cg: 30×2/3 + 30×1/3 + 30×1 + 2 = 62.00; unit_s2: 30×0 + 30×1 + 30×1 + 2 = 62.00
    # unit_c1: on-time denominator 1 − 1 = 0 → no score; line_sj: nothing due → no score.
    assert [(r.unit.name, r.score, r.rank) for r in table.units] == [
        ("区城管委", Decimal("62.00"), 1),  # tie broken for display by more cases due
        ("景山街道办事处", Decimal("62.00"), 1),
        ("东华门街道办事处", Decimal("47.00"), 3),
        ("多福巷社区居委会", None, None),
        ("区市场监管局", None, None),
    ]
    assert str(table.unit_row(world.unit_c1.pk).counts.on_time_rate) == "—"  # type: ignore[union-attr]
    assert str(Rate(0, 0)) == "—" and Rate(0, 0).value is None
    assert table.ranked == 3


def test_second_published_scheme(world: World, november: November) -> None:
    scheme = AppraisalScheme.objects.get(code="handled-30")
    table = figure_table(NOV, world.district, now=NOW, scheme=scheme)
    s1 = table.unit_row(world.unit_s1.pk)
    # 30×5/7 + 20×3/6 + 20×(1 − 4/7) + 20×(1 − 2/7) + 10×(1 − 1/7)
    # = 150/7 + 10 + 60/7 + 100/7 + 60/7 = 370/7 + 10 = 62.857… → 62.86
    assert s1 is not None and s1.score == Decimal("62.86")
    cg = table.unit_row(world.line_cg.pk)
    # 30×2/3 + 20×1/3 + 20×1 + 20×(1 − 1/3) + 10×1 = 20 + 20/3 + 20 + 40/3 + 10 = 70.00
    assert cg is not None and cg.score == Decimal("70.00")


def test_rework_term_never_below_zero(world: World) -> None:
    # One case reworked 3 times: 返工率 300 %; the (1 − 返工率) term counts 0, not −60.
    make_case(
        world.c1,
        world.unit_s1,
        status=S.CLOSED,
        due=at(11, 10),
        feedback=at(11, 9),
        closed=at(11, 10),
        rework=3,
    )
    row = figure_table(NOV, world.district, now=NOW).unit_row(world.unit_s1.pk)
    assert row is not None and str(row.counts.rework_rate) == "300.00%"
    # 30×1 + 30×1 + 30×0 + 2 = 62.00
    assert row.score == Decimal("62.00")


def test_street_rows_and_district_total(world: World, november: November) -> None:
    table = figure_table(NOV, world.district, now=NOW)
    rows = {r.region.name: r.counts for r in table.regions}
    # s1 (c1): unit_s1's A1–A7 and A10, 城管委's B1, unit_c1's E1.
    assert rows["东华门街道"] == Counts(
        due=9,
        handled=7,
        closed=6,
        on_time=4,
        suspended=2,
        rework=4,
        overdue=2,
        extended=1,
        pending=1,
    )
    # s2: B2 B3 C1 D1.
    assert rows["景山街道"] == Counts(due=3, handled=2, closed=1, on_time=1, overdue=1, pending=1)
    assert table.total == Counts(
        due=12,
        handled=9,
        closed=7,
        on_time=5,
        suspended=2,
        rework=4,
        overdue=3,
        extended=1,
        pending=2,
    )
    # 30×7/12 + 30×5/10 + 30×(1 − 4/12) + band(12 ≥ 10 → 4) = 17.5 + 15 + 20 + 4 = 56.50
    assert table.total_score == Decimal("56.50")


def test_street_table_of_a_street_lists_its_communities(world: World, november: November) -> None:
    table = figure_table(NOV, world.s2, now=NOW)
    # B3 sits at the street itself: its own row after the communities.
    assert [(r.region.name, r.counts.due) for r in table.regions] == [
        ("吉祥社区", 2),
        ("景山街道", 1),
    ]
    assert {r.unit.name for r in table.units} == {"区城管委", "景山街道办事处", "区市场监管局"}


def test_mid_period_counts_only_what_is_due(world: World, november: November) -> None:
    # At 16 November noon: A4 (due 20th) and A5 (25th) are not due yet; A6 and A7 are handled
    # early so they count; A10 is suspended. unit_s1: due = A1 A2 A3 A6 A7 = 5, pending 3.
    row = figure_table(NOV, world.district, now=at(11, 16)).unit_row(world.unit_s1.pk)
    assert row is not None
    assert row.counts == Counts(
        due=5,
        handled=5,
        closed=4,
        on_time=3,
        suspended=1,
        rework=3,
        overdue=0,
        extended=0,
        pending=3,
    )


def test_cases_behind_each_figure(world: World, november: November) -> None:
    c = november.cases

    def numbers(figure: str, **kw: object) -> set[str]:
        return {x.number for x in cases_behind(NOV, figure, now=NOW, **kw)}  # type: ignore[arg-type]

    def names(*keys: str) -> set[str]:
        return {c[k].number for k in keys}

    assert numbers("overdue", unit=world.unit_s1) == names("A4", "A5")
    assert numbers("on_time", unit=world.unit_s1) == names("A1", "A3", "A7")
    assert numbers("rework", unit=world.unit_s1) == names("A2", "A3", "A4")
    assert numbers("due", region=world.s2) == names("B2", "B3", "C1")
    assert numbers("due", unit=world.line_cg, region=world.s1) == names("B1")
    assert numbers("pending") == names("A10", "D1")
    with pytest.raises(ValueError):
        cases_behind(NOV, "nonsense")


def test_monthly_for_twelve_months(world: World, november: November) -> None:
    months = NOV.previous_months(12)
    assert months[0].key == "2025-12" and months[-1].key == "2026-11"
    rows = monthly(world.unit_s1, months, now=NOW)
    assert len(rows) == 12
    # October holds A9 only (due 31 Oct 23:59, still at the unit → overdue).
    assert rows[-2].counts == Counts(due=1, overdue=1)
    assert rows[-1].counts.due == 7 and rows[-1].score == Decimal("47.00")
    assert all(r.counts == Counts() and r.score is None for r in rows[:-2])


def test_constant_queries_whatever_the_size(world: World) -> None:
    def grow(n: int) -> None:
        for i in range(n):
            street = RegionFactory(parent=world.district)
            unit = UnitFactory(region=street)
            make_case(
                street,
                unit,
                status=S.CLOSED,
                due=at(11, 3 + i % 20),
                feedback=at(11, 2 + i % 20),
                closed=at(11, 4 + i % 20),
            )
            make_case(street, world.line_cg, status=S.DISPATCHED, due=at(11, 9))

    def count(units: int) -> int:
        with CaptureQueriesContext(connection) as ctx:
            table = figure_table(NOV, world.district, now=NOW)
        # Each new street: its unit's closed case, and 城管委's overdue one.
        assert table.total.due == 2 * (units - 1)
        assert len(table.units) == units
        return len(ctx.captured_queries)

    grow(2)
    small = count(3)
    grow(25)
    assert count(28) == small <= 5


def test_score_without_cases_is_none() -> None:
    scheme = AppraisalScheme(w_closed=Decimal(30))
    assert score(Counts(), scheme) is None
    assert score(Counts(due=2, closed=1), scheme) == Decimal("15.00")


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", "2026-11-01", "2026-12-01"),
        ("2026-12", "2026-12-01", "2027-01-01"),
        ("2026-Q4", "2026-10-01", "2027-01-01"),
        ("2026-q1", "2026-01-01", "2026-04-01"),
        ("2026", "2026-01-01", "2027-01-01"),
        ("2026-11-03..2026-11-20", "2026-11-03", "2026-11-21"),
    ],
)
def test_periods_parse(text: str, start: str, end: str) -> None:
    p = parse_period(text)
    assert (p.start.isoformat(), p.end.isoformat()) == (start, end)
    assert parse_period(p.key) == p


@pytest.mark.parametrize("text", ["2026-13", "2026-Q5", "1999", "abc", "2026-11-20..2026-11-03"])
def test_bad_periods_refused(text: str) -> None:
    with pytest.raises(PeriodError):
        parse_period(text)


def test_period_from_query_needs_both_dates() -> None:
    with pytest.raises(PeriodError):
        period_from_query(start="2026-11-01")
    assert period_from_query(start="2026-11-01", end="2026-11-30").key == "2026-11-01..2026-11-30"
