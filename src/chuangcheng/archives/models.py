"""Archives (档案管理): the materials units owe per clause and year, the files they filed, and
their review in configurable levels.

- :class:`Requirement`: a unit owes material for a clause in a year (it leads the clause or is a
  partner), by the due date read from the calendar's material deadlines.
- :class:`Material`: a document a unit filed once (title, description), with every
  :class:`MaterialVersion` kept; the file lives in the private ``archives`` storage, never under
  a public URL. The same material is attached to as many requirements as it answers (减负: one
  report, reused), each :class:`Attachment` reviewed on its own, pinned to the version submitted.
- :class:`ReviewLevel`: the levels as data (1 区初审, 2 市复审 …); :class:`Review` records each
  decision.

Who sees what (ADR 0012): an office, a leader or an auditor sees the rows of units in the region
subtrees they are granted; a unit sees its own rows (and those of the units below it). Everything
else answers 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.accounts.enums import Role
from chuangcheng.archives.enums import AttachmentState, Cell, Decision, Source

# Roles that read a region's archives as a whole.
REGION_READERS = ("office", "leader", "auditor")


def _unit_scope_q(user: Any, unit_field: str) -> Q | None:
    """Rows whose unit (at ``unit_field``) the user may see; None means every row."""
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    if scope.everything:
        return None
    cond = scope.subtree_q(f"{unit_field}__region__path", *REGION_READERS)
    units = scope.role_units.get(Role.UNIT, frozenset())
    if units:
        cond |= Q(**{f"{unit_field}_id__in": sorted(units)})
    return cond


class ScopedQuerySet[M: models.Model](models.QuerySet[M]):
    """``visible_to`` by the row's unit at ``unit_field``; subclasses name the field."""

    unit_field = "unit"

    def scoped(self, user: Any) -> Any:
        cond = _unit_scope_q(user, self.unit_field)
        return self.all() if cond is None else self.filter(cond)


class ReviewLevel(models.Model):
    """One level of review (1 区初审, 2 市复审). Its reviewers hold ``role`` over the material's
    unit and, when ``region`` is set, over that region too (the city office for 市复审)."""

    number = models.PositiveSmallIntegerField(pgettext_lazy("archives", "level"), unique=True)
    name = models.CharField(_("name"), max_length=40)
    role = models.CharField(
        _("reviewer role"), max_length=12, choices=Role.choices, default=Role.OFFICE
    )
    region = models.ForeignKey(
        "orgs.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewing region"),
        help_text=_("Empty: any holder of the role over the material's unit."),
    )

    class Meta:
        ordering = ["number"]
        verbose_name = _("review level")
        verbose_name_plural = _("review levels")

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class RequirementQuerySet(ScopedQuerySet["Requirement"]):
    def visible_to(self, user: Any) -> RequirementQuerySet:
        """Rows of units in the user's region subtrees (office, leader, auditor) and of the
        units the user acts for."""
        return self.scoped(user)  # type: ignore[no-any-return]

    def with_cells(self) -> RequirementQuerySet:
        """Annotate what was filed, so ``Requirement.cell`` and :meth:`in_cell` need no more
        queries: ``has_approved``, ``has_submitted``, ``has_returned``."""
        filed = Attachment.objects.filter(requirement=models.OuterRef("pk"))
        return self.annotate(
            has_approved=models.Exists(filed.filter(state=AttachmentState.APPROVED)),
            has_submitted=models.Exists(filed.filter(state=AttachmentState.SUBMITTED)),
            has_returned=models.Exists(filed.filter(state=AttachmentState.RETURNED)),
        )

    def in_cell(self, cell: str) -> RequirementQuerySet:
        """Rows whose matrix state is ``cell`` (after :meth:`with_cells`)."""
        wanted = {
            Cell.APPROVED: Q(has_approved=True),
            Cell.SUBMITTED: Q(has_approved=False, has_submitted=True),
            Cell.RETURNED: Q(has_approved=False, has_submitted=False, has_returned=True),
        }.get(Cell(cell), Q(has_approved=False, has_submitted=False, has_returned=False))
        return self.filter(wanted)

    def annotate_filed(self) -> RequirementQuerySet:
        """Each row's ``filed``: whether any material is attached to it."""
        return self.annotate(
            filed=models.Exists(Attachment.objects.filter(requirement=models.OuterRef("pk")))
        )


class Requirement(models.Model):
    """A unit owes material for ``clause`` in ``year``, by ``due_date`` (the calendar's
    earliest material deadline of that clause for the unit that year; None when none is set).
    One row per (clause, unit, year)."""

    clause = models.ForeignKey(
        "frameworks.Node",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("clause"),
    )
    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    due_date = models.DateField(pgettext_lazy("archives", "due date"), null=True, blank=True)
    source = models.CharField(_("as"), max_length=8, choices=Source.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RequirementQuerySet.as_manager()

    class Meta:
        ordering = ["year", "clause__seq", "unit__path"]
        verbose_name = _("owed material")
        verbose_name_plural = _("owed materials")
        constraints = [
            models.UniqueConstraint(
                fields=["clause", "unit", "year"], name="archives_requirement_once"
            )
        ]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["year", "due_date"])]

    def __str__(self) -> str:
        return f"{self.year} {self.clause_id} · {self.unit_id}"

    def scope_path(self) -> str:
        return self.unit.region.path if self.unit.region is not None else ""

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.unit_id,)

    @property
    def cell(self) -> str:
        """The matrix state, from the :meth:`RequirementQuerySet.with_cells` annotations."""
        if getattr(self, "has_approved", False):
            return Cell.APPROVED
        if getattr(self, "has_submitted", False):
            return Cell.SUBMITTED
        if getattr(self, "has_returned", False):
            return Cell.RETURNED
        return Cell.MISSING


class MaterialQuerySet(ScopedQuerySet["Material"]):
    def visible_to(self, user: Any) -> MaterialQuerySet:
        """Rows of units in the user's region subtrees (office, leader, auditor) and of the
        units the user acts for."""
        return self.scoped(user)  # type: ignore[no-any-return]


class Material(models.Model):
    """A document a unit filed once; ``current`` is its latest version. ``search_text`` is the
    normalised title, description and text of the current version, for search."""

    unit = models.ForeignKey(
        "orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(pgettext_lazy("archives", "description"), blank=True)
    current = models.ForeignKey(
        "MaterialVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("current version"),
    )
    search_text = models.TextField(editable=False, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return self.title

    def scope_path(self) -> str:
        return self.unit.region.path if self.unit.region is not None else ""

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.unit_id,)


class VersionQuerySet(ScopedQuerySet["MaterialVersion"]):
    def visible_to(self, user: Any) -> VersionQuerySet:
        """Rows of units in the user's region subtrees (office, leader, auditor) and of the
        units the user acts for."""
        return self.scoped(user)  # type: ignore[no-any-return]

    unit_field = "material__unit"


class MaterialVersion(models.Model):
    """One uploaded file of a material, never changed or deleted once written. ``storage_name``
    is its name in the private ``archives`` storage; ``sha256`` is checked again on export;
    ``content_type`` was read from the bytes; ``text`` is what was extracted (PDF, Word)."""

    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    storage_name = models.CharField(max_length=200, unique=True, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    content_type = models.CharField(_("type"), max_length=100)
    sha256 = models.CharField("SHA-256", max_length=64)
    text = models.TextField(_("extracted text"), blank=True, editable=False)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    objects = VersionQuerySet.as_manager()

    class Meta:
        ordering = ["material", "number"]
        verbose_name = _("material version")
        verbose_name_plural = _("material versions")
        constraints = [
            models.UniqueConstraint(fields=["material", "number"], name="archives_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.original_name} v{self.number}"


class AttachmentQuerySet(ScopedQuerySet["Attachment"]):
    def visible_to(self, user: Any) -> AttachmentQuerySet:
        """Rows of units in the user's region subtrees (office, leader, auditor) and of the
        units the user acts for."""
        return self.scoped(user)  # type: ignore[no-any-return]

    unit_field = "requirement__unit"

    def awaiting(self) -> AttachmentQuerySet:
        return self.filter(state=AttachmentState.SUBMITTED)


class Attachment(models.Model):
    """A material filed for a requirement of the same unit, pinned to the ``version`` submitted.
    ``level`` is the level it waits at (submitted) or that returned it (returned);
    ``submitted_at`` is when the pinned version was submitted (on time: by the due date)."""

    requirement = models.ForeignKey(
        Requirement, on_delete=models.CASCADE, related_name="attachments"
    )
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="attachments")
    version = models.ForeignKey(MaterialVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=AttachmentState.choices,
        default=AttachmentState.SUBMITTED,
    )
    level = models.PositiveSmallIntegerField(pgettext_lazy("archives", "level"), default=1)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["requirement", "pk"]
        verbose_name = _("filed material")
        verbose_name_plural = _("filed materials")
        constraints = [
            models.UniqueConstraint(
                fields=["requirement", "material"], name="archives_attachment_once"
            )
        ]
        indexes = [models.Index(fields=["state", "level"])]

    def __str__(self) -> str:
        return f"{self.requirement_id} ← {self.material_id}"

    def scope_path(self) -> str:
        return self.requirement.scope_path()

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.requirement.unit_id,)


class Review(models.Model):
    """One decision at one level on one version of an attachment."""

    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="reviews")
    version = models.ForeignKey(MaterialVersion, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField(pgettext_lazy("archives", "level"))
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.TextField(_("comment"), blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.attachment_id} L{self.level} {self.decision}"


from chuangcheng.archives.models_exports import DeclarationExport  # noqa: E402

__all__ = [
    "Attachment",
    "DeclarationExport",
    "Material",
    "MaterialVersion",
    "Requirement",
    "Review",
    "ReviewLevel",
]
