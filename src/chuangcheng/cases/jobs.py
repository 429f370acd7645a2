"""Periodic jobs of the cases app, run by the scheduler in the worker."""

from __future__ import annotations

import datetime as dt

# Importing the classifier's retraining and the clean-up of abandoned uploads, which live beside
# their code, registers their jobs with the scheduler.
from chuangcheng.cases import classifier_jobs, photo_jobs  # noqa: F401
from chuangcheng.cases.domain import escalation
from chuangcheng.core.periodic import periodic


@periodic("cases.escalate_overdue", every=dt.timedelta(minutes=5))
def escalate_overdue() -> None:
    """督办: flag and notify the cases at units past their deadline."""
    escalation.escalate_overdue()


@periodic("cases.remind_due_soon", every=dt.timedelta(minutes=5))
def remind_due_soon() -> None:
    """Remind units of deadlines coming up (CASE_REMINDER_HOURS)."""
    escalation.remind_due_soon()
