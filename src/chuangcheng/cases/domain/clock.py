"""Deadlines (../shared/domain.md §6): dispatch within 1 h for emergencies and 24 h otherwise;
the category sets the handling time, counted from dispatch."""

from __future__ import annotations

import datetime as dt

from chuangcheng.cases.enums import Priority
from chuangcheng.cases.models import Case, Category

URGENT_DISPATCH_HOURS = 1
DEFAULT_HANDLE_HOURS = 72


def dispatch_due(case: Case) -> dt.datetime | None:
    """By when the office must dispatch a registered case."""
    start = case.registered_at or case.reported_at
    if start is None:
        return None
    if case.priority == Priority.URGENT:
        return start + dt.timedelta(hours=URGENT_DISPATCH_HOURS)
    hours = case.category.dispatch_hours if case.category else 24
    return start + dt.timedelta(hours=hours)


def handle_due(category: Category | None, dispatched_at: dt.datetime) -> dt.datetime:
    """By when the unit must report the case handled."""
    hours = category.handle_hours if category else DEFAULT_HANDLE_HOURS
    return dispatched_at + dt.timedelta(hours=hours)


def is_overdue(case: Case, now: dt.datetime) -> bool:
    from chuangcheng.cases.enums import OPEN_AT_UNIT

    return case.status in OPEN_AT_UNIT and case.due_at is not None and case.due_at < now
