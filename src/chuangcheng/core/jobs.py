"""Periodic jobs of the core app."""

from __future__ import annotations

import datetime as dt

from chuangcheng.core import audit_chain, messaging
from chuangcheng.core.periodic import periodic


@periodic("core.deliver_messages", every=dt.timedelta(minutes=1))
def deliver_messages() -> None:
    """Retry queued text messages and e-mails whose next attempt is due."""
    messaging.deliver_due()


@periodic("core.prune_rate_counters", every=dt.timedelta(hours=1))
def prune_rate_counters() -> None:
    """Drop the rate limiter's counters of windows that have ended."""
    from chuangcheng.core import ratelimit

    ratelimit.prune()


@periodic("core.prune_audit", every=dt.timedelta(days=1))
def prune_audit() -> None:
    """Remove audit entries older than AUDIT_RETENTION_DAYS, leaving a checkpoint entry."""
    audit_chain.prune()
