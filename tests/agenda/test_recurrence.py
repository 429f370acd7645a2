"""The days a series falls due: month ends, leap years, weekdays."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangcheng.agenda.domain.recurrence import due_days, month_day_in
from chuangcheng.agenda.enums import LAST_DAY, Frequency

D = dt.date


def days(frequency: str, start: dt.date, end: dt.date, **kw: int) -> list[dt.date]:
    return list(due_days(frequency, start=start, end=end, **kw))


def test_daily_includes_both_ends() -> None:
    assert days(Frequency.DAILY, D(2026, 2, 27), D(2026, 3, 2)) == [
        D(2026, 2, 27),
        D(2026, 2, 28),
        D(2026, 3, 1),
        D(2026, 3, 2),
    ]


def test_daily_over_a_leap_day() -> None:
    assert days(Frequency.DAILY, D(2028, 2, 28), D(2028, 3, 1)) == [
        D(2028, 2, 28),
        D(2028, 2, 29),
        D(2028, 3, 1),
    ]


def test_weekly_on_fridays_starting_midweek() -> None:
    # 2026-11-04 is a Wednesday: the first Friday is the 6th.
    assert days(Frequency.WEEKLY, D(2026, 11, 4), D(2026, 11, 27), weekday=4) == [
        D(2026, 11, 6),
        D(2026, 11, 13),
        D(2026, 11, 20),
        D(2026, 11, 27),
    ]


def test_weekly_starting_on_the_weekday_includes_the_start() -> None:
    assert days(Frequency.WEEKLY, D(2026, 11, 2), D(2026, 11, 10), weekday=0) == [
        D(2026, 11, 2),
        D(2026, 11, 9),
    ]


def test_weekly_on_sunday() -> None:
    assert days(Frequency.WEEKLY, D(2026, 12, 28), D(2027, 1, 10), weekday=6) == [
        D(2027, 1, 3),
        D(2027, 1, 10),
    ]


def test_monthly_last_day_over_a_year_with_leap_february() -> None:
    found = days(Frequency.MONTHLY, D(2028, 1, 1), D(2028, 12, 31), month_day=LAST_DAY)
    assert [d.day for d in found] == [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def test_monthly_31st_falls_on_the_last_day_of_short_months() -> None:
    found = days(Frequency.MONTHLY, D(2027, 1, 1), D(2027, 4, 30), month_day=31)
    assert found == [D(2027, 1, 31), D(2027, 2, 28), D(2027, 3, 31), D(2027, 4, 30)]


def test_monthly_30th_in_february_of_a_leap_year() -> None:
    assert days(Frequency.MONTHLY, D(2028, 2, 1), D(2028, 3, 31), month_day=30) == [
        D(2028, 2, 29),
        D(2028, 3, 30),
    ]


def test_monthly_day_before_the_start_waits_for_next_month() -> None:
    assert days(Frequency.MONTHLY, D(2026, 11, 16), D(2027, 1, 31), month_day=15) == [
        D(2026, 12, 15),
        D(2027, 1, 15),
    ]


def test_monthly_across_the_new_year() -> None:
    assert days(Frequency.MONTHLY, D(2026, 12, 1), D(2027, 2, 28), month_day=1) == [
        D(2026, 12, 1),
        D(2027, 1, 1),
        D(2027, 2, 1),
    ]


def test_end_before_start_gives_nothing() -> None:
    assert days(Frequency.DAILY, D(2026, 11, 2), D(2026, 11, 1)) == []


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [(2100, 2, LAST_DAY, 28), (2000, 2, LAST_DAY, 29), (2024, 2, 31, 29), (2026, 6, 31, 30)],
)
def test_month_day_in_century_leap_rules(year: int, month: int, day: int, expected: int) -> None:
    assert month_day_in(year, month, day) == D(year, month, expected)


def test_weekly_without_weekday_is_refused() -> None:
    with pytest.raises(ValueError, match="weekday"):
        days(Frequency.WEEKLY, D(2026, 1, 1), D(2026, 2, 1))
