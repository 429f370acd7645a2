"""Scoring rules attached to clauses, negative-list events, and stored score runs.

A run is the framework scored for one period over one region, as the evidence stood at its
cut-off time. Its rows (:class:`NodeScore`) hold every node of the tree for the region, each
sub-region (street) and each unit with evidence, so a published figure never changes: a
recompute makes a new run (ADR 0008).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.scoring.enums import FieldRule, RunKind, ScopeKind

# Roles that read a region's scores as a whole.
OVERSEERS = ("leader", "office", "auditor")


def _points(**kwargs: Any) -> models.DecimalField[Any, Any]:
    """Points to 4 decimal places: clause scores are rounded there, parents add exactly."""
    return models.DecimalField(max_digits=10, decimal_places=4, **kwargs)


class ClauseRule(models.Model):
    """How one scored node (a clause carrying a 分值) turns evidence into points.

    ``weights`` maps a method (``field``, ``survey``, ``material``, ``online``) to its share where
    a clause mixes methods; empty means equal shares over the clause's methods. Without a rule a
    clause is scored by the compliance ratio with equal shares.
    """

    node = models.OneToOneField(
        "frameworks.Node", on_delete=models.CASCADE, related_name="scoring_rule"
    )
    field_rule = models.CharField(
        _("field rule"), max_length=8, choices=FieldRule.choices, default=FieldRule.RATIO
    )
    deduction = models.DecimalField(
        _("deduction per failed observation"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("0.5"),
    )
    weights = models.JSONField(_("weight of each method"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("scoring rule")
        verbose_name_plural = _("scoring rules")

    def __str__(self) -> str:
        return f"{self.node_id}: {self.field_rule}"


class NegativeEventQuerySet(models.QuerySet["NegativeEvent"]):
    def visible_to(self, user: Any) -> NegativeEventQuerySet:
        """Events in the regions the user oversees, and those charged to the user's units."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("region__path", *OVERSEERS)
        if scope.unit_ids:
            cond |= Q(unit_id__in=scope.unit_ids)
        return self.filter(cond)


class NegativeEvent(models.Model):
    """A 负面清单 incident: points deducted from a clause where and when it happened."""

    clause = models.ForeignKey(
        "frameworks.Node",
        on_delete=models.PROTECT,
        related_name="negative_events",
        verbose_name=_("clause"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("responsible unit"),
    )
    occurred_on = models.DateField(_("date"))
    deduction = models.DecimalField(_("points deducted"), max_digits=6, decimal_places=2)
    title = models.CharField(_("what happened"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = NegativeEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("negative-list event")
        verbose_name_plural = _("negative-list events")
        indexes = [models.Index(fields=["occurred_on"])]

    def __str__(self) -> str:
        return self.title

    def scope_path(self) -> str:
        return self.region.path


class ScoreRunQuerySet(models.QuerySet["ScoreRun"]):
    def visible_to(self, user: Any) -> ScoreRunQuerySet:
        """Runs over a region the user sees (its subtree or an ancestor of it: a unit's own rows
        live in the district's run). Which rows of a run are shown is NodeScore's business."""
        from chuangcheng.orgs.models import Region

        return self.filter(region__in=Region.objects.visible_to(user))


class ScoreRun(models.Model):
    """The framework scored for a period over a region, with the evidence received by ``cutoff``.

    A LIVE run (one per framework, region and period) follows new inspections; a SNAPSHOT never
    changes once written and is what bulletins cite.
    """

    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    period_key = models.CharField(_("period"), max_length=24)
    period_kind = models.CharField(max_length=8)
    period_start = models.DateField()
    period_end = models.DateField()  # excluded
    kind = models.CharField(_("kind"), max_length=8, choices=RunKind.choices)
    cutoff = models.DateTimeField(_("evidence received by"))
    created_at = models.DateTimeField(_("computed"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    duration_ms = models.PositiveIntegerField(default=0)
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ScoreRunQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("score run")
        verbose_name_plural = _("score runs")
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "region", "period_key"],
                condition=Q(kind="live"),
                name="score_run_one_live",
            )
        ]
        indexes = [models.Index(fields=["framework", "region", "period_key", "kind"])]

    def __str__(self) -> str:
        return f"{self.period_key} #{self.pk}"

    def scope_path(self) -> str:
        return self.region.path


class NodeScoreQuerySet(models.QuerySet["NodeScore"]):
    def visible_to(self, user: Any) -> NodeScoreQuerySet:
        """Leaders, offices and auditors see every row of the regions they oversee (their
        streets and every unit scored there); a unit sees its own tree and, for the clauses it
        leads, the region rows of those clauses."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("run__region__path", *OVERSEERS)
        if scope.unit_ids:
            cond |= Q(scope=ScopeKind.UNIT, unit_id__in=scope.unit_ids)
            cond |= Q(scope=ScopeKind.REGION, node__lead_unit_id__in=scope.unit_ids)
        return self.filter(cond)


class NodeScore(models.Model):
    """One node of one run for one scope (a region or a unit).

    ``score`` is None when nothing was measured (未测). ``measured_max`` is the part of
    ``max_score`` that was measured, so 得分率 = score / measured_max. A parent's ``score``,
    ``max_score`` and ``measured_max`` are the sums of its children's.
    """

    run = models.ForeignKey(ScoreRun, on_delete=models.CASCADE, related_name="rows")
    node = models.ForeignKey("frameworks.Node", on_delete=models.CASCADE, related_name="+")
    scope = models.CharField(max_length=8, choices=ScopeKind.choices)
    region = models.ForeignKey(
        "orgs.Region", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    max_score = _points()
    score = _points(null=True, blank=True)
    measured_max = _points()
    coverage = models.DecimalField(max_digits=6, decimal_places=4)
    passed = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    deduction = _points(default=Decimal(0))
    detail = models.JSONField(default=dict, blank=True)

    objects = NodeScoreQuerySet.as_manager()

    class Meta:
        ordering = ["run", "node__seq"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "node", "scope", "region", "unit"], name="node_score_once"
            ),
        ]
        indexes = [
            models.Index(fields=["run", "scope", "region"]),
            models.Index(fields=["run", "scope", "unit"]),
            models.Index(fields=["run", "node"]),
        ]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.node_id}:{self.scope}"

    @property
    def rate(self) -> Decimal | None:
        """得分率: points scored over points measured."""
        if self.score is None or not self.measured_max:
            return None
        return Decimal(self.score) / Decimal(self.measured_max)

    @property
    def lost(self) -> Decimal:
        """Points lost where measured."""
        if self.score is None:
            return Decimal(0)
        return Decimal(self.measured_max) - Decimal(self.score)
