"""Problem cases (案件), their categories, units, timeline and photos."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.cases.enums import (
    OPEN_AT_UNIT,
    CaseAction,
    CaseSource,
    CaseStatus,
    CategoryKind,
    ExtensionStatus,
    Moderation,
    PhotoStage,
    Priority,
)
from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField


class Category(models.Model):
    """A case category: a class (大类, ``parent`` empty) or a subclass (小类) with its time limits.

    Codes follow GB/T 30428.2 (部件 01 公用设施 … 事件 01 市容环境 …); cities extend them.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=CategoryKind.choices)
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=60)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("class"),
    )
    seq = models.PositiveIntegerField(_("order"), default=0)
    dispatch_hours = models.PositiveIntegerField(
        _("hours to dispatch"), default=24, help_text=_("From registration to dispatch.")
    )
    handle_hours = models.PositiveIntegerField(
        _("hours to handle"), default=72, help_text=_("From dispatch to the unit's feedback.")
    )
    urgent = models.BooleanField(_("emergency category"), default=False)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_("Words that suggest this category, separated by spaces or commas."),
    )
    line_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("usual line department"),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["kind", "seq", "code"]
        verbose_name = _("case category")
        verbose_name_plural = _("case categories")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_class(self) -> bool:
        return self.parent_id is None


# Roles that see every case in their region subtree; supervisors, volunteers and residents see
# only what they reported themselves.
REGION_ROLES = ("leader", "office", "inspector", "auditor", "unit")


def overdue_q(now: dt.datetime, prefix: str = "") -> Q:
    """Overdue (超期, what 督办 flags): at a unit — dispatched or sent back for rework — past its
    deadline. The one definition the case list, the dashboards, the map and the warnings count
    by; ``prefix`` reaches the case through a relation (``"case__"``)."""
    return Q(**{f"{prefix}status__in": OPEN_AT_UNIT, f"{prefix}due_at__lt": now})


class CaseQuerySet(models.QuerySet["Case"]):
    def visible_to(self, user: Any) -> CaseQuerySet:
        """Cases in the user's region subtrees (for staff roles), cases dispatched to or answerable
        by one of the user's units, and the cases the user reported."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        cond = Q(reporter=user)
        cond |= scope.subtree_q("region__path", *REGION_ROLES)
        if scope.unit_ids:
            ids = list(scope.unit_ids)
            cond |= Q(assignments__unit_id__in=ids)
            cond |= Q(territorial_unit_id__in=ids) | Q(line_unit_id__in=ids)
            return self.filter(pk__in=Case.objects.filter(cond).values("pk"))
        return self.filter(cond)

    def open(self) -> CaseQuerySet:
        from chuangcheng.cases.enums import OPEN_STATES

        return self.filter(status__in=OPEN_STATES)


class Case(models.Model):
    """A problem to be put right. ``version`` grows with every state change: a change is written
    with ``UPDATE … WHERE version = seen``, so of two clerks acting at once exactly one wins."""

    number = models.CharField(_("case number"), max_length=20, unique=True)
    source = models.CharField(_("source"), max_length=12, choices=CaseSource.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=CaseStatus.choices, default=CaseStatus.REPORTED
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("category"),
    )
    suggested_category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested category"),
    )
    description = models.TextField(_("description"))
    point = models.ForeignKey(
        "points.Point",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("point"),
    )
    clause = models.ForeignKey(
        "frameworks.Node",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("framework clause"),
    )
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("region"),
        help_text=_("The community (or street) where the problem is."),
    )
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    territorial_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="territorial_cases",
        verbose_name=_("territorial unit"),
    )
    line_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="line_cases",
        verbose_name=_("line-department unit"),
    )
    suggested_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("suggested unit"),
    )
    # Who reported: an account, or a caller's name and phone taken by hotline staff.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reporter"),
    )
    reporter_name = models.CharField(_("reporter's name"), max_length=60, blank=True)
    reporter_phone = EncryptedTextField(_("reporter's phone"), blank=True)
    notice_version = models.CharField(_("privacy notice accepted"), max_length=20, blank=True)
    external_id = models.CharField(
        _("external reference"), max_length=60, blank=True, help_text=_("e.g. 12345 ticket")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_at = models.DateTimeField(_("reported"), db_index=True)
    registered_at = models.DateTimeField(_("registered"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched"), null=True, blank=True)
    due_at = models.DateTimeField(_("deadline"), null=True, blank=True, db_index=True)
    feedback_at = models.DateTimeField(_("handled"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Whether the unit's (last accepted) feedback came in before the deadline; set at closing.
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated (督办)"), null=True, blank=True)
    rework_count = models.PositiveSmallIntegerField(_("rework count"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("extensions granted"), default=0)
    was_suspended = models.BooleanField(_("was suspended"), default=False)
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    recurrent = models.BooleanField(_("recurring problem (屡改屡犯)"), default=False)
    public = models.CharField(
        _("public display"), max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-reported_at", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["status", "due_at"]),
            models.Index(fields=["region", "status"]),
            models.Index(fields=["point", "category", "reported_at"]),
            # Cases closed in a period (the big screen's "closed this month"): without it the
            # count reads every case ever closed (bench/RESULTS.md, dashboards).
            models.Index(fields=["closed_at"], name="case_closed_at"),
        ]

    def __str__(self) -> str:
        return self.number

    def scope_path(self) -> str:
        return self.region.path

    def scope_unit_ids(self) -> tuple[int, ...]:
        """The units answerable: those it was dispatched to, else the proposed ones."""
        ids = getattr(self, "_assigned_unit_ids", None)
        if ids is None:
            ids = tuple(self.assignments.values_list("unit_id", flat=True))
            self._assigned_unit_ids = ids
        if ids:
            return tuple(ids)
        return tuple(u for u in (self.territorial_unit_id, self.line_unit_id) if u)

    @property
    def reporter_phone_masked(self) -> str:
        return mask_phone(self.reporter_phone) if self.reporter_phone else ""


class CaseAssignment(models.Model):
    """A unit the case was dispatched to. The lead unit (主办) answers for the feedback;
    partner units (协办) help."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="case_assignments")
    lead = models.BooleanField(_("lead unit"), default=True)
    dispatched_at = models.DateTimeField(_("dispatched"))
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["case", "-lead", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "unit"], name="case_assignment_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.unit_id}"


class CaseEvent(models.Model):
    """One step on a case's timeline: who did what, when, from which state to which."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=CaseAction.choices)
    from_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=CaseStatus.choices, blank=True)
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.action}"


class ExtensionRequest(models.Model):
    """A unit's request for more time (延期), decided by the office."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extensions")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField()
    reason = models.TextField(_("reason"))
    new_due_at = models.DateTimeField(_("new deadline asked"))
    status = models.CharField(
        max_length=10, choices=ExtensionStatus.choices, default=ExtensionStatus.ASKED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["case", "asked_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.status}"


def photo_path(instance: Photo, filename: str) -> str:
    return f"photos/{instance.sha256[:2]}/{instance.sha256}.{filename.rsplit('.', 1)[-1]}"


def public_photo_path(instance: Photo, filename: str) -> str:
    return f"public/{instance.sha256[:2]}/{instance.sha256}.jpg"


class Photo(models.Model):
    """A photo taken in the field or sent by a reporter. The original stays private; the public
    copy has faces blurred and no EXIF, and is shown only after moderation."""

    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.CASCADE, related_name="photos"
    )
    stage = models.CharField(max_length=10, choices=PhotoStage.choices, default=PhotoStage.REPORT)
    image = models.FileField(upload_to=photo_path)
    public_image = models.FileField(upload_to=public_photo_path, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    content_type = models.CharField(max_length=30)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)
    faces_blurred = models.PositiveSmallIntegerField(default=0)
    moderation = models.CharField(
        max_length=10, choices=Moderation.choices, default=Moderation.PENDING
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self) -> str:
        return self.sha256[:12]


class CaseCounter(models.Model):
    """The last case number issued per year; incremented under a row lock."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class TrainedClassifier(models.Model):
    """A category/unit classifier trained on this deployment's closed cases (see
    ``chuangcheng.cases.classifier``). The newest row is the one in use."""

    trained_at = models.DateTimeField(_("trained"), db_index=True)
    cases = models.PositiveIntegerField(_("closed cases used"))
    features = models.CharField(_("features"), max_length=20)
    category_accuracy = models.FloatField(_("category accuracy (held out)"))
    unit_accuracy = models.FloatField(_("unit accuracy (held out)"), null=True, blank=True)
    baseline_accuracy = models.FloatField(_("keyword baseline accuracy"))
    blob = models.BinaryField()

    class Meta:
        ordering = ["-trained_at", "-id"]
        verbose_name = _("trained classifier")
        verbose_name_plural = _("trained classifiers")

    def __str__(self) -> str:
        return f"{self.features} {self.trained_at:%Y-%m-%d}"


# Kept in its own module (unit figures); imported here so Django registers it with the app.
from chuangcheng.cases.models_appraisal import AppraisalScheme  # noqa: E402, F401
