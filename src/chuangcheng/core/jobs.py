"""Periodic jobs of the core app."""

from __future__ import annotations

import datetime as dt

from chuangcheng.core import messaging
from chuangcheng.core.periodic import periodic


@periodic("core.deliver_messages", every=dt.timedelta(minutes=1))
def deliver_messages() -> None:
    """Retry queued text messages and e-mails whose next attempt is due."""
    messaging.deliver_due()
