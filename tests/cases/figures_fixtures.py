"""Cases written straight into the tables with exact timestamps, for the figures tests.

The workflow functions stamp ``timezone.now()``; figures depend on when things happened, so
these helpers set the fields those functions set (see cases/domain/actions.py) directly.
"""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo
from typing import Any

from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment
from chuangcheng.orgs.models import Region, Unit

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
_numbers = itertools.count(1)


def at(month: int, day: int, hour: int = 12, minute: int = 0, year: int = 2026) -> dt.datetime:
    """A local (Beijing) time in 2026."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


def make_case(
    region: Region,
    lead: Unit | None,
    *,
    status: str = CaseStatus.DISPATCHED,
    due: dt.datetime | None = None,
    dispatched: dt.datetime | None = None,
    feedback: dt.datetime | None = None,
    closed: dt.datetime | None = None,
    rework: int = 0,
    extensions: int = 0,
    suspended: bool = False,
    partners: tuple[Unit, ...] = (),
    reported: dt.datetime | None = None,
    **extra: Any,
) -> Case:
    """One case led by ``lead``: dispatched three days before ``due`` unless told otherwise."""
    dispatched = dispatched or (due - dt.timedelta(days=3) if due else None)
    reported = reported or (dispatched - dt.timedelta(hours=2) if dispatched else at(11, 1))
    case = Case.objects.create(
        number=f"2026-9{next(_numbers):05d}",
        source=extra.pop("source", CaseSource.INSPECTION),
        status=status,
        description=extra.pop("description", "测试问题"),
        region=region,
        reported_at=reported,
        registered_at=reported if status != CaseStatus.REPORTED else None,
        dispatched_at=dispatched,
        due_at=due,
        feedback_at=feedback,
        closed_at=closed,
        closed_on_time=(feedback <= due) if (closed and feedback and due) else None,
        rework_count=rework,
        extension_count=extensions,
        was_suspended=suspended,
        **extra,
    )
    if lead is not None and dispatched is not None:
        CaseAssignment.objects.create(case=case, unit=lead, lead=True, dispatched_at=dispatched)
        for unit in partners:
            CaseAssignment.objects.create(
                case=case, unit=unit, lead=False, dispatched_at=dispatched
            )
    return case
