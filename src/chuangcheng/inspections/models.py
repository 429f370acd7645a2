"""Inspection rounds, the points drawn for them, and what inspectors observed there."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.inspections.enums import Result, RoundKind, RoundStatus


class RoundQuerySet(models.QuerySet["Round"]):
    def visible_to(self, user: Any) -> RoundQuerySet:
        """Rounds over the user's region subtrees, and rounds the user inspects in once they
        have been sent out (a draft is the office's business until it is opened)."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        cond = Q(
            pk__in=RoundPoint.objects.filter(inspector=user)
            .exclude(round__status=RoundStatus.DRAFT)
            .values("round_id")
        )
        cond |= scope.subtree_q("region__path", "leader", "office", "auditor")
        return self.filter(cond)


class Round(models.Model):
    """An inspection round: a random, reproducible draw of points by type (and optionally by
    street) for one framework and period, shared among inspectors."""

    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=10, choices=RoundKind.choices)
    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("framework"),
    )
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="rounds",
        verbose_name=_("region"),
        help_text=_("Points are drawn inside this region."),
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    seed = models.BigIntegerField(_("random seed"))
    stratify_by_street = models.BooleanField(_("spread over streets"), default=False)
    avoid_own_street = models.BooleanField(
        _("never send inspectors to their own street"), default=False
    )
    repeat_monthly = models.BooleanField(_("repeat every month"), default=False)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
        verbose_name=_("repeats"),
    )
    inspectors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("inspectors")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoundQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("inspection round")
        verbose_name_plural = _("inspection rounds")
        constraints = [
            # A monthly round is repeated exactly once, even when two schedulers race.
            models.UniqueConstraint(fields=["previous"], name="round_repeat_once"),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path


class RoundQuota(models.Model):
    """How many points of a type the round draws."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="quotas")
    point_type = models.ForeignKey("points.PointType", on_delete=models.PROTECT, related_name="+")
    count = models.PositiveIntegerField(_("points to draw"))

    class Meta:
        ordering = ["round", "point_type__seq"]
        constraints = [
            models.UniqueConstraint(fields=["round", "point_type"], name="round_quota_type"),
        ]

    def __str__(self) -> str:
        return f"{self.point_type_id} × {self.count}"


class RoundPointQuerySet(models.QuerySet["RoundPoint"]):
    def submittable_by(self, user: Any) -> RoundPointQuerySet:
        """Round points the user may record an inspection for: their own assignments, and every
        point of a round over a region where they work in the civilization office."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        cond = Q(inspector=user)
        cond |= scope.subtree_q("round__region__path", "office")
        return self.filter(cond)

    def for_field(self, user: Any) -> RoundPointQuerySet:
        """The points of :meth:`submittable_by` in rounds that are in the field (open)."""
        return self.submittable_by(user).filter(round__status=RoundStatus.OPEN)


class RoundPoint(models.Model):
    """A point drawn for a round, and the inspector who goes there."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="round_points")
    point = models.ForeignKey("points.Point", on_delete=models.PROTECT, related_name="+")
    seq = models.PositiveIntegerField(default=0)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="round_points",
        verbose_name=_("inspector"),
    )

    objects = RoundPointQuerySet.as_manager()

    class Meta:
        ordering = ["round", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["round", "point"], name="round_point_once"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}:{self.point_id}"

    def scope_path(self) -> str:
        return self.round.region.path


class Inspection(models.Model):
    """One visit to a drawn point: where and when the inspector stood, and what they noted.

    ``client_id`` is made by the phone before it goes offline, so a submission replayed when the
    network returns is recognised and stored once.
    """

    round_point = models.OneToOneField(
        RoundPoint, on_delete=models.CASCADE, related_name="inspection"
    )
    client_id = models.UUIDField(unique=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    observed_at = models.DateTimeField(_("observed"))
    received_at = models.DateTimeField(_("received"), auto_now_add=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.PositiveIntegerField(null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-observed_at"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")

    def __str__(self) -> str:
        return f"{self.round_point_id} @ {self.observed_at:%Y-%m-%d}"


class Observation(models.Model):
    """The result of one framework clause at one point: 符合, 不符合 or 不适用.
    A failed observation produces a case."""

    inspection = models.ForeignKey(
        Inspection, on_delete=models.CASCADE, related_name="observations"
    )
    clause = models.ForeignKey("frameworks.Node", on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=4, choices=Result.choices)
    note = models.TextField(_("note"), blank=True)
    photos = models.ManyToManyField("cases.Photo", blank=True, related_name="observations")
    case = models.OneToOneField(
        "cases.Case",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observation",
    )

    class Meta:
        ordering = ["inspection", "clause__seq"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "clause"], name="observation_once"),
        ]
        indexes = [models.Index(fields=["clause", "result"])]

    def __str__(self) -> str:
        return f"{self.clause_id}: {self.result}"
