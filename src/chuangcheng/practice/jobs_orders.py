"""The periodic check of late service orders (imported by ``apps.ready`` so the job registers)."""

from __future__ import annotations

import datetime as dt

from chuangcheng.core.periodic import periodic
from chuangcheng.practice.domain.order_flags import flag_late_orders


@periodic("practice.flag_late_orders", every=dt.timedelta(minutes=15))
def flag_late_service_orders() -> int:
    """Flag orders not taken or not finished in time (PRACTICE_ACCEPT_HOURS / _FINISH_HOURS)."""
    return flag_late_orders()
