"""Periodic jobs of the awards app (run by the scheduler beside the task worker)."""

from __future__ import annotations

import datetime as dt

from chuangcheng.awards.domain.proposals import propose_monthly
from chuangcheng.core.periodic import periodic


@periodic("awards.propose_monthly", every=dt.timedelta(hours=6))
def propose() -> int:
    """After a month ends, propose its red flags to the offices (once per month and scheme)."""
    return propose_monthly()
