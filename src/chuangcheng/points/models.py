"""Inspection points (点位) and their types."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PointType(models.Model):
    """A kind of place assessed in the field (../shared/domain.md §5): 农贸市场, 背街小巷 …"""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)
    seq = models.PositiveIntegerField(_("order"), default=0)
    line_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("usual line department"),
        help_text=_("Proposed as the line-department unit for new points of this type."),
    )

    class Meta:
        ordering = ["seq", "name"]
        verbose_name = _("point type")
        verbose_name_plural = _("point types")

    def __str__(self) -> str:
        return self.name


class PointQuerySet(models.QuerySet["Point"]):
    def visible_to(self, user: Any) -> PointQuerySet:
        """Points in the user's region subtrees, or for which one of the user's units answers."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = Q(pk__in=[])
        for prefix in scope.region_prefixes:
            cond |= Q(region__path__startswith=prefix)
        if scope.unit_ids:
            cond |= Q(territorial_unit_id__in=scope.unit_ids) | Q(line_unit_id__in=scope.unit_ids)
        return self.filter(cond)


class Point(models.Model):
    """A place inspectors assess. Two parties answer for it: the territorial unit (属地) and the
    line department (行业). Coordinates are WGS-84."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=120)
    type = models.ForeignKey(
        PointType, on_delete=models.PROTECT, related_name="points", verbose_name=_("type")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    lng = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    lat = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="points",
        verbose_name=_("region"),
        help_text=_("The street (or community) the point lies in."),
    )
    territorial_unit = models.ForeignKey(
        "orgs.Unit",
        on_delete=models.PROTECT,
        related_name="territorial_points",
        verbose_name=_("territorial unit"),
    )
    line_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="line_points",
        verbose_name=_("line-department unit"),
    )
    active = models.BooleanField(_("active"), default=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PointQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("point")
        verbose_name_plural = _("points")
        indexes = [models.Index(fields=["type", "region"])]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path

    def scope_unit_ids(self) -> tuple[int, ...]:
        return tuple(u for u in (self.territorial_unit_id, self.line_unit_id) if u)
