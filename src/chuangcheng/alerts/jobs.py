"""Periodic jobs of the alerts app (run by the scheduler beside the task worker, ADR 0006)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.core.periodic import periodic


@periodic("alerts.evaluate", every=dt.timedelta(minutes=settings.ALERTS_EVALUATE_MINUTES))
def evaluate_rules() -> int:
    """Evaluate every enabled warning rule; returns how many warnings were raised."""
    return evaluate().total("raised")
