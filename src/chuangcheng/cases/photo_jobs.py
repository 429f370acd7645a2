"""Periodic clean-up of photos uploaded for a report that was never sent. Import this module
from ``cases/jobs.py`` so the job registers."""

from __future__ import annotations

import datetime as dt

from chuangcheng.cases.domain.photos import discard_abandoned
from chuangcheng.core.periodic import periodic


@periodic("cases.discard_abandoned_photos", every=dt.timedelta(hours=6))
def discard_abandoned_photos() -> int:
    """Delete pending uploads (no case) older than a day, with their files."""
    return discard_abandoned(older_than=dt.timedelta(days=1))
