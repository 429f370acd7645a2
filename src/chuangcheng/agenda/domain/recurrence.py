"""The days a task series falls due: pure date arithmetic, no database.

- daily: every day;
- weekly: every ``weekday`` (Monday 0 … Sunday 6);
- monthly: on ``month_day``; ``LAST_DAY`` (0) is the month's last day, and a day the month does
  not have (the 31st in April, the 30th in February) falls on its last day, so a monthly task
  is due exactly once every month (29 February in leap years, 28 otherwise).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterator

from chuangcheng.agenda.enums import LAST_DAY, Frequency

ONE_DAY = dt.timedelta(days=1)


def month_day_in(year: int, month: int, month_day: int) -> dt.date:
    """The day ``month_day`` of the month, the last day when it is ``LAST_DAY`` or too large."""
    last = calendar.monthrange(year, month)[1]
    day = last if month_day == LAST_DAY else min(month_day, last)
    return dt.date(year, month, day)


def due_days(
    frequency: str,
    *,
    start: dt.date,
    end: dt.date,
    weekday: int | None = None,
    month_day: int | None = None,
) -> Iterator[dt.date]:
    """The due days from ``start`` to ``end``, both included, in order."""
    if end < start:
        return
    if frequency == Frequency.DAILY:
        day = start
        while day <= end:
            yield day
            day += ONE_DAY
    elif frequency == Frequency.WEEKLY:
        if weekday is None:
            raise ValueError("a weekly series needs a weekday")
        day = start + dt.timedelta(days=(weekday - start.weekday()) % 7)
        while day <= end:
            yield day
            day += dt.timedelta(days=7)
    elif frequency == Frequency.MONTHLY:
        if month_day is None:
            raise ValueError("a monthly series needs a day of the month")
        year, month = start.year, start.month
        while dt.date(year, month, 1) <= end:
            day = month_day_in(year, month, month_day)
            if start <= day <= end:
                yield day
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
