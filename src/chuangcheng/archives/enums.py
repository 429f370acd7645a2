"""Where an owed material comes from, where a filed one stands in review, and the edges of the
review workflow (ADR 0012)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Source(models.TextChoices):
    """Why a unit owes a clause's material: it leads the clause or is a partner."""

    LEAD = "lead", _("Lead unit")
    PARTNER = "partner", _("Partner unit")


class AttachmentState(models.TextChoices):
    """A material filed for a requirement. ``SUBMITTED`` waits at ``Attachment.level``; after
    level N approves it waits at N + 1 (shown as "approved at level N"); the last level's
    approval makes it ``APPROVED``. ``RETURNED`` carries the returning level's comment until
    the unit resubmits a new version, which starts again at level 1."""

    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", pgettext_lazy("archives state", "Approved")


class Decision(models.TextChoices):
    APPROVE = "approve", pgettext_lazy("archives decision", "Approve")
    RETURN = "return", pgettext_lazy("archives decision", "Return")


class Cell(models.TextChoices):
    """A requirement as the completeness matrix shows it: the best of its attachments
    (approved > in review > returned), missing when nothing is filed."""

    MISSING = "missing", _("Missing")
    SUBMITTED = "submitted", _("In review")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", pgettext_lazy("archives state", "Approved")


# Which decision each state allows; anything else is refused by the domain.
TRANSITIONS: dict[str, frozenset[str]] = {
    AttachmentState.SUBMITTED: frozenset({Decision.APPROVE, Decision.RETURN}),
    AttachmentState.RETURNED: frozenset(),
    AttachmentState.APPROVED: frozenset(),
}

# Rank of a cell for "the best attachment wins" (higher is better).
CELL_RANK = {Cell.MISSING: 0, Cell.RETURNED: 1, Cell.SUBMITTED: 2, Cell.APPROVED: 3}


class ExportStatus(models.TextChoices):
    QUEUED = "queued", pgettext_lazy("archives", "Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", pgettext_lazy("archives", "Failed")
