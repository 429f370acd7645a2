"""The practice figures, computed on the hand-countable month of ``figures_data`` (its docstring
has the arithmetic): totals, by street, station and team, in a constant number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.figures import compute, figure_regions, pick_region, read_period
from chuangcheng.practice.enums import Book
from tests.practice.conftest import PracticeWorld
from tests.practice.figures_data import Month, build_month, grow

D = Decimal
MAY = parse_period("2026-05")


@pytest.fixture
def month(pw: PracticeWorld) -> Month:
    return build_month(pw)


def test_totals_of_the_district(pw: PracticeWorld, month: Month) -> None:
    f = compute(pw.world.district, MAY)
    o = f.total.orders
    assert o.by_status == {
        "ordered": 1,
        "dispatched": 0,
        "open": 1,
        "accepted": 1,
        "completed": 1,
        "rated": 3,
        "cancelled": 1,
    }
    assert (o.total, o.live, o.done, o.waiting) == (8, 7, 4, 2)
    assert o.hours == D("7.5")
    assert (o.fulfilment_rate, o.satisfaction_rate, o.mean_rating) == (
        D("0.5714"),
        D("0.6667"),
        D("4.00"),
    )
    assert (o.fulfilment_pct, o.satisfaction_pct) == (D("57.1"), D("66.7"))
    w = f.total.wishes
    assert (w.published, w.claimed, w.fulfilled, w.fulfilment_rate) == (6, 4, 3, D("0.5"))
    assert (f.total.awarded, f.total.redeemed) == (28, 10)
    v = f.total.volunteers
    assert (v.registered, v.new, v.active) == (3, 1, 3)
    assert ledger.book_total(Book.POINTS) == 0


def test_by_street_station_and_team_sorted_by_code_and_name(
    pw: PracticeWorld, month: Month
) -> None:
    f = compute(pw.world.district, MAY)
    s1, s2 = f.streets
    assert (s1.name, s2.name) == ("东华门街道", "景山街道")
    assert (s1.orders.total, s1.orders.hours, s1.orders.fulfilment_rate) == (5, D("4.5"), D("0.75"))
    assert (s1.orders.satisfaction_rate, s1.orders.mean_rating) == (D("0.5"), D("4.00"))
    assert (s2.orders.total, s2.orders.hours, s2.orders.fulfilment_rate) == (
        3,
        D("3.0"),
        D("0.3333"),
    )
    assert (s2.orders.satisfaction_rate, s2.orders.mean_rating) == (D("1"), D("4.00"))
    assert (s1.wishes.published, s1.wishes.claimed, s1.wishes.fulfilled) == (4, 3, 2)
    assert (s2.wishes.published, s2.wishes.claimed, s2.wishes.fulfilled) == (2, 1, 1)
    assert (s1.awarded, s1.redeemed, s2.awarded, s2.redeemed) == (23, 10, 5, 0)
    assert (s1.volunteers.registered, s1.volunteers.new, s1.volunteers.active) == (2, 1, 2)
    assert (s2.volunteers.registered, s2.volunteers.new, s2.volunteers.active) == (1, 0, 1)
    assert [(r.name, r.orders.total, r.wishes.published) for r in f.stations] == [
        ("多福巷社区新时代文明实践站", 5, 4),
        ("吉祥社区新时代文明实践站", 2 + 1, 2),
    ]
    assert [
        (r.name, r.orders.total, r.orders.done, r.orders.live, r.orders.hours) for r in f.teams
    ] == [
        ("东城区志愿服务总队", 2, 1, 2, D("3.0")),
        ("多福巷小队", 3, 3, 3, D("4.5")),
        ("", 3, 0, 2, D(0)),
    ]


def test_a_street_sees_its_own_figures(pw: PracticeWorld, month: Month) -> None:
    f = compute(pw.world.s2, MAY)
    assert (f.total.orders.total, f.total.awarded, f.total.volunteers.registered) == (3, 5, 1)
    assert [s.name for s in f.streets] == ["景山街道"]


def test_an_empty_period_has_no_rates(pw: PracticeWorld, month: Month) -> None:
    f = compute(pw.world.district, parse_period("2025"))
    o = f.total.orders
    assert (o.total, o.fulfilment_rate, o.satisfaction_rate, o.mean_rating) == (0, None, None, None)
    assert f.total.wishes.fulfilment_rate is None
    assert f.teams == [] and f.stations == []


def count_queries(pw: PracticeWorld) -> int:
    with CaptureQueriesContext(connection) as ctx:
        compute(pw.world.district, MAY)
    return len(ctx.captured_queries)


def test_the_figures_take_six_queries_whatever_the_size(pw: PracticeWorld, month: Month) -> None:
    small = count_queries(pw)
    grow(pw, 6)
    assert compute(pw.world.district, MAY).total.orders.total == 8 + 6 * 7
    assert (small, count_queries(pw)) == (6, 6)


def test_who_may_read_which_region(pw: PracticeWorld) -> None:
    w = pw.world
    assert figure_regions(w.office) == [w.district, w.s1, w.s2]
    assert figure_regions(w.leader) == [w.district, w.s1, w.s2]
    assert figure_regions(w.user_s1) == [w.s1]
    assert figure_regions(w.user_line) == []  # a line department has no region of its own
    assert figure_regions(w.auditor) == []
    assert figure_regions(pw.vol1_user) == []
    assert pick_region(w.user_s1, None) == w.s1
    assert pick_region(w.user_s1, w.s2.pk) is None
    assert pick_region(w.office, str(pw.other_district.pk)) is None


def test_the_period_defaults_to_this_year() -> None:
    import datetime as dt

    today = dt.date(2026, 8, 3)
    assert read_period({}, today)[0].key == "2026"
    assert read_period({"period": "2026-05"}, today)[0].key == "2026-05"
    period, error = read_period({"period": "2026-13"}, today)
    assert (period.key, error) == ("2026", "月份须在1至12之间。")
