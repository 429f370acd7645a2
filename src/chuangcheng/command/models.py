"""Models of the command centre: the key areas (重点区域) the office draws on the map."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KeyAreaQuerySet(models.QuerySet["KeyArea"]):
    def visible_to(self, user: Any) -> KeyAreaQuerySet:
        """Key areas whose region lies in one of the user's region subtrees (a street sees the
        areas of its street, the district office every one)."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = Q(pk__in=[])
        for prefix in scope.region_prefixes:
            cond |= Q(region__path__startswith=prefix)
        return self.filter(cond)


class KeyArea(models.Model):
    """A 重点区域 the office watches: a polygon (GeoJSON Polygon or MultiPolygon, WGS-84) inside
    a region. The geometry is validated by :mod:`chuangcheng.command.domain.map_geometry`
    before it is stored, so every stored one is a valid polygon."""

    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
        help_text=_("The district or street the area belongs to; decides who sees it."),
    )
    geometry = models.JSONField(_("outline"))
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = KeyAreaQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("key area")
        verbose_name_plural = _("key areas")

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path
