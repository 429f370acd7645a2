"""Periodic jobs of the calendar (run by the scheduler beside the task worker, ADR 0006)."""

from __future__ import annotations

import datetime as dt

from chuangcheng.agenda.domain.reminders import send_reminders
from chuangcheng.agenda.domain.tasks import generate_occurrences
from chuangcheng.core.periodic import periodic


@periodic("agenda.generate_tasks", every=dt.timedelta(hours=6))
def generate_tasks() -> int:
    """Create the units' task occurrences up to AGENDA_DAYS_AHEAD days ahead (idempotent)."""
    return generate_occurrences()


@periodic("agenda.remind", every=dt.timedelta(minutes=30))
def remind() -> int:
    """Deadline reminders and the day's task digest, each once per key."""
    return len(send_reminders())
