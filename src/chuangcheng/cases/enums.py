"""States, actions and the transition map of a case (../shared/domain.md §6, GB/T 30428).

信息收集 → 立案 (or 不予立案) → 派遣 → 处置/反馈 → 核查 (fail = 返工) → 结案. The clock starts at
dispatch. Every edge a case may take is listed in :data:`TRANSITIONS`; anything else is refused.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    REPORTED = "reported", _("Awaiting intake")
    REGISTERED = "registered", _("Registered")
    DISPATCHED = "dispatched", _("Dispatched")
    REWORK = "rework", _("Sent back for rework")
    FEEDBACK = "feedback", _("Awaiting re-check")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Not registered")
    MERGED = "merged", _("Merged as duplicate")


class CaseAction(models.TextChoices):
    REPORT = "report", _("Reported")
    REGISTER = "register", _("Register")
    REJECT = "reject", _("Decline to register")
    MERGE = "merge", _("Merge as duplicate")
    DISPATCH = "dispatch", _("Dispatch")
    FEEDBACK = "feedback", _("Report handling")
    PASS = "pass", _("Re-check passed: close")
    FAIL = "fail", _("Re-check failed: rework")
    SUSPEND = "suspend", _("Suspend")
    RESUME = "resume", _("Resume")
    REOPEN = "reopen", _("Reopen")
    # Events on the timeline that do not change the state.
    EXTENSION_ASKED = "extension_asked", _("Extension asked")
    EXTENSION_GRANTED = "extension_granted", _("Extension granted")
    EXTENSION_REFUSED = "extension_refused", _("Extension refused")
    ESCALATE = "escalate", _("Overdue: escalated (督办)")
    COMMENT = "comment", _("Comment")
    PUBLISH = "publish", _("Approved for public display")


S = CaseStatus
A = CaseAction

# (action, from state) → to state. The only edges a case may take.
TRANSITIONS: dict[tuple[str, str], str] = {
    (A.REGISTER, S.REPORTED): S.REGISTERED,
    (A.REJECT, S.REPORTED): S.REJECTED,
    (A.MERGE, S.REPORTED): S.MERGED,
    (A.DISPATCH, S.REGISTERED): S.DISPATCHED,
    (A.FEEDBACK, S.DISPATCHED): S.FEEDBACK,
    (A.FEEDBACK, S.REWORK): S.FEEDBACK,
    (A.PASS, S.FEEDBACK): S.CLOSED,
    (A.FAIL, S.FEEDBACK): S.REWORK,
    (A.SUSPEND, S.REGISTERED): S.SUSPENDED,
    (A.SUSPEND, S.DISPATCHED): S.SUSPENDED,
    (A.SUSPEND, S.REWORK): S.SUSPENDED,
    (A.RESUME, S.SUSPENDED): S.DISPATCHED,
    (A.REOPEN, S.CLOSED): S.REGISTERED,
    (A.REOPEN, S.REJECTED): S.REGISTERED,
}

# States in which a unit is working against the clock.
OPEN_AT_UNIT = frozenset({S.DISPATCHED, S.REWORK})
# States that still need someone to act.
OPEN_STATES = frozenset({S.REPORTED, S.REGISTERED, S.DISPATCHED, S.REWORK, S.FEEDBACK, S.SUSPENDED})
FINAL_STATES = frozenset({S.CLOSED, S.REJECTED, S.MERGED})


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", _("Field inspection")
    SUPERVISOR = "supervisor", _("Volunteer supervisor")
    RESIDENT = "resident", _("Resident (随手拍)")
    HOTLINE = "hotline", _("12345 hotline")
    SUPERIOR = "superior", _("Order from above")
    OPEN311 = "open311", _("Open311 client")


class CategoryKind(models.TextChoices):
    """部件 (city objects) and 事件 (events), as in GB/T 30428.2."""

    OBJECT = "object", _("Object (部件)")
    EVENT = "event", _("Event (事件)")


class Priority(models.TextChoices):
    NORMAL = "normal", _("Ordinary")
    URGENT = "urgent", _("Emergency")


class PhotoStage(models.TextChoices):
    REPORT = "report", _("Reported (before)")
    AFTER = "after", _("After handling")
    RECHECK = "recheck", _("Re-check")


class Moderation(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved for public display")
    REJECTED = "rejected", _("Not for public display")


class ExtensionStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
