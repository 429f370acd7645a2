"""Versioned indicator frameworks (测评体系) as trees of nodes."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel


class FrameworkQuerySet(models.QuerySet["Framework"]):
    def visible_to(self, user: Any) -> FrameworkQuerySet:
        """Frameworks are published policy: every user holding a grant may read them."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything or scope.roles:
            return self.all()
        return self.none()


class Framework(models.Model):
    """One version of a framework. ``code`` names the framework, ``version`` counts its editions;
    at most one version of a code is in force (ACTIVE) at a time."""

    code = models.CharField(_("code"), max_length=40)
    version = models.PositiveIntegerField(_("version"), default=1)
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"), max_length=10, choices=FrameworkStatus.choices, default=FrameworkStatus.DRAFT
    )
    description = models.TextField(_("description"), blank=True)
    source_file = models.CharField(_("imported from"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FrameworkQuerySet.as_manager()

    class Meta:
        ordering = ["code", "-version"]
        verbose_name = _("indicator framework")
        verbose_name_plural = _("indicator frameworks")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="framework_code_version"),
            models.UniqueConstraint(
                fields=["code"], condition=models.Q(status="active"), name="framework_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"


class Node(models.Model):
    """A node of the tree. Standards (测评标准) are the scored clauses; a score may instead sit on
    the content node above them (as in real tables with merged score cells)."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="nodes")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    level = models.CharField(_("level"), max_length=10, choices=NodeLevel.choices)
    seq = models.PositiveIntegerField(_("order"), default=0)
    number = models.CharField(_("number"), max_length=20, blank=True)
    text = models.TextField(_("text"))
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=2, null=True, blank=True)
    methods = models.JSONField(_("methods"), default=list, blank=True)
    lead_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_nodes",
        verbose_name=_("lead unit"),
    )
    partner_units = models.ManyToManyField(
        "orgs.Unit", blank=True, related_name="partner_nodes", verbose_name=_("partner units")
    )
    point_types = models.ManyToManyField(
        "points.PointType", blank=True, related_name="nodes", verbose_name=_("point types")
    )

    class Meta:
        ordering = ["framework", "seq"]
        verbose_name = _("framework node")
        verbose_name_plural = _("framework nodes")
        indexes = [models.Index(fields=["framework", "level"])]

    def __str__(self) -> str:
        return f"{self.number} {self.text[:40]}"


def point_type_model() -> Any:
    """``points.PointType``, reached through the relation: frameworks and points are sibling apps
    that do not import each other (see the import-linter contracts)."""
    return Node._meta.get_field("point_types").related_model
