"""Periodic jobs of field inspection (run by the scheduler beside the task worker)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chuangcheng.core.periodic import periodic
from chuangcheng.inspections.domain.repeat import repeat_due_rounds


@periodic("inspections.repeat_rounds", every=dt.timedelta(hours=1))
def repeat_rounds() -> int:
    """Create next month's round for each repeating round whose period ended; idempotent."""
    return len(repeat_due_rounds(timezone.localdate()))
