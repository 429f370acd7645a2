"""Reporting periods: a month (``2026-11``), a quarter (``2026-Q4``), a year (``2026``) or a
range of dates (``2026-11-03..2026-11-20``, both days included).

A period is the half-open interval of local days ``[start, end)``; :meth:`Period.bounds` gives
the aware datetimes in the deployment's time zone, so a case due at 23:30 on the last day counts
in that month whatever the database stores (UTC).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
MIN_YEAR = 2000
MAX_YEAR = 2100


class PeriodError(ValueError):
    """The text does not name a period; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    """Local days ``start`` (included) to ``end`` (excluded); ``key`` parses back to it."""

    key: str
    kind: str  # "month", "quarter", "year" or "range"
    start: dt.date
    end: dt.date

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """The aware local datetimes at midnight starting ``start`` and ``end``."""
        tz = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
            dt.datetime.combine(self.end, dt.time.min, tzinfo=tz),
        )

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """How the period reads in a sentence: 2026年11月, 2026年第四季度, 2026年 …"""
        if self.kind == "month":
            return _("%(y)d-%(m)02d") % {"y": self.start.year, "m": self.start.month}
        if self.kind == "quarter":
            return _("Q%(q)d %(y)d") % {"y": self.start.year, "q": (self.start.month - 1) // 3 + 1}
        if self.kind == "year":
            return _("year %(y)d") % {"y": self.start.year}
        return _("%(a)s to %(b)s") % {"a": self.start.isoformat(), "b": self.last_day.isoformat()}

    def previous_months(self, count: int) -> list[Period]:
        """``count`` months ending with the one holding the period's last day, oldest first."""
        year, month = self.last_day.year, self.last_day.month
        months: list[Period] = []
        for _i in range(count):
            months.append(month_period(year, month))
            year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        return months[::-1]


def month_period(year: int, month: int) -> Period:
    start = dt.date(year, month, 1)
    end = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    return Period(f"{year}-{month:02d}", "month", start, end)


def current_month(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return month_period(today.year, today.month)


def _year(text: str) -> int:
    year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise PeriodError(_("The year must be between %(a)d and %(b)d.") % _year_range())
    return year


def _year_range() -> dict[str, int]:
    return {"a": MIN_YEAR, "b": MAX_YEAR}


def _date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError as exc:
        raise PeriodError(_("“%(v)s” is not a date (YYYY-MM-DD).") % {"v": text}) from exc
    _year(str(day.year))
    return day


def date_range(start: str | dt.date, end: str | dt.date) -> Period:
    """Both days included; refused when the end comes before the start."""
    a = start if isinstance(start, dt.date) else _date(start)
    b = end if isinstance(end, dt.date) else _date(end)
    if b < a:
        raise PeriodError(_("The end date is before the start date."))
    return Period(f"{a.isoformat()}..{b.isoformat()}", "range", a, b + dt.timedelta(days=1))


def parse_period(text: str) -> Period:
    """``2026-11``, ``2026-Q4``, ``2026`` or ``2026-11-03..2026-11-20``; PeriodError otherwise."""
    value = (text or "").strip()
    if match := _MONTH.match(value):
        month = int(match.group(2))
        if not 1 <= month <= 12:
            raise PeriodError(_("The month must be between 1 and 12."))
        return month_period(_year(match.group(1)), month)
    if match := _QUARTER.match(value):
        year, quarter = _year(match.group(1)), int(match.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
        return Period(f"{year}-Q{quarter}", "quarter", start, end)
    if match := _YEAR.match(value):
        year = _year(match.group(1))
        return Period(str(year), "year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1))
    if ".." in value:
        a, b = value.split("..", 1)
        return date_range(a, b)
    raise PeriodError(
        _(
            "“%(v)s” is not a period: use 2026-11 (month), 2026-Q4 (quarter), 2026 (year) "
            "or two dates."
        )
        % {"v": value}
    )


def period_from_query(
    period: str = "", start: str = "", end: str = "", today: dt.date | None = None
) -> Period:
    """The period a form or query asks for: ``from``/``to`` dates win over ``period``; with
    neither, the current month."""
    if start or end:
        if not (start and end):
            raise PeriodError(_("Give both the start and the end date."))
        return date_range(start, end)
    if period:
        return parse_period(period)
    return current_month(today)
