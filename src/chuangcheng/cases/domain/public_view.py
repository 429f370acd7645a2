"""What a reporter sees of their own case: the status in plain words and the public steps of
the timeline (立案, 派遣, 处置, 结案 …) with their times — never a staff name, a unit's note, a
re-check remark or anything else written for the office."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangcheng.cases.enums import CaseAction, CaseStatus
from chuangcheng.cases.models import CaseEvent

PLAIN_STATUS: dict[str, Promise] = {
    CaseStatus.REPORTED: _("Received, waiting to be registered"),
    CaseStatus.REGISTERED: _("Registered, waiting to be sent to a unit"),
    CaseStatus.DISPATCHED: _("Sent to the responsible unit, being handled"),
    CaseStatus.REWORK: _("Sent to the responsible unit, being handled"),
    CaseStatus.FEEDBACK: _("Handled, waiting for the office's check"),
    CaseStatus.SUSPENDED: _("On hold for now"),
    CaseStatus.CLOSED: _("Done: the problem has been put right"),
    CaseStatus.REJECTED: _("Not taken up as a case"),
    CaseStatus.MERGED: _("Handled together with an earlier report of the same problem"),
}

# The timeline steps a reporter sees. A failed re-check (返工) shows only as another 处置 step.
PUBLIC_STEPS: dict[str, Promise] = {
    CaseAction.REPORT: _("Reported"),
    CaseAction.REGISTER: _("Registered (立案)"),
    CaseAction.DISPATCH: _("Sent to the unit (派遣)"),
    CaseAction.FEEDBACK: _("Handled (处置)"),
    CaseAction.PASS: _("Closed (结案)"),
    CaseAction.REJECT: _("Not registered"),
    CaseAction.MERGE: _("Merged with an earlier report"),
    CaseAction.SUSPEND: _("Put on hold"),
    CaseAction.RESUME: _("Resumed"),
    CaseAction.REOPEN: _("Reopened"),
}


@dataclass(frozen=True)
class Step:
    label: Promise
    at: dt.datetime


def plain_status(status: str) -> Promise:
    return PLAIN_STATUS[status]


def public_steps(events: Iterable[CaseEvent]) -> list[Step]:
    """The public steps among ``events`` (in their order), as label and time only."""
    return [Step(PUBLIC_STEPS[e.action], e.at) for e in events if e.action in PUBLIC_STEPS]
