"""Periodic jobs of the archives (run by the scheduler beside the task worker, ADR 0006)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.core.periodic import periodic


@periodic("archives.sync_requirements", every=dt.timedelta(hours=6))
def sync() -> int:
    """Follow the frameworks and the calendar's deadlines for this year's owed materials."""
    result = sync_requirements(timezone.localdate().year)
    return result.created + result.moved + result.removed
