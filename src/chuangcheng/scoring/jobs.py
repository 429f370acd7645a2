"""Periodic jobs of scoring (run by the scheduler beside the task worker)."""

from __future__ import annotations

import datetime as dt

from chuangcheng.core.periodic import periodic
from chuangcheng.scoring.domain.incremental import refresh_live_runs


@periodic("scoring.refresh_live", every=dt.timedelta(hours=6))
def refresh_live() -> int:
    """Recompute in full every live run of a period not yet over: evidence other than
    inspections (negative-list events, rule changes) is picked up here."""
    return refresh_live_runs()
