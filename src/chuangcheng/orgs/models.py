"""The region tree and the responsible units (责任单位)."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.paths import containing_paths


class RegionQuerySet(models.QuerySet["Region"]):
    def visible_to(self, user: Any) -> RegionQuerySet:
        """Regions in the user's subtrees plus their ancestors (for outlines and breadcrumbs).

        A user of a line department (no region of its own) sees the district and its streets, so
        its points can be drawn in context; communities and grid cells stay hidden.
        """
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = scope.subtree_q("path")
        if scope.region_prefixes:
            cond |= Q(path__in=sorted(containing_paths(scope.region_prefixes)))
        if scope.has_sector_unit:
            cond |= Q(level__in=[RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET])
        return self.filter(cond)


class Region(models.Model):
    """A node of 区 → 街道 → 社区 → 网格 with a GB/T 2260-style code.

    ``path`` is the codes from the root joined by '/', ending in '/', so a subtree is one
    indexed ``LIKE 'prefix%'``. Boundaries are GeoJSON geometries in WGS-84.
    """

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=12, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    boundary = models.JSONField(_("boundary"), null=True, blank=True)
    boundary_approximate = models.BooleanField(
        _("approximate boundary"),
        default=False,
        help_text=_("Generated, not surveyed: shown with a note on the map."),
    )
    center_lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    center_lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    seq = models.PositiveIntegerField(default=0)

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.path

    def compute_path(self) -> str:
        return (self.parent.path if self.parent else "") + f"{self.code}/"

    @property
    def depth(self) -> int:
        return self.path.count("/")


class UnitQuerySet(models.QuerySet["Unit"]):
    def visible_to(self, user: Any) -> UnitQuerySet:
        """Units in the user's region subtrees, plus units granted to them and those below."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        cond = Q(pk__in=scope.unit_ids)
        for prefix in scope.region_prefixes:
            cond |= Q(region__path__startswith=prefix)
        return self.filter(cond)


class Unit(models.Model):
    """A responsible unit (责任单位): a street office, a community, a line department, a company.

    Contact phone numbers are encrypted at rest. ``path`` is the unit hierarchy like Region.path.
    """

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=UnitKind.choices)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        verbose_name=_("region"),
        help_text=_(
            "For a territorial unit, the region it answers for; otherwise where it serves."
        ),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent unit"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    head_name = models.CharField(_("head (主要负责人)"), max_length=40, blank=True)
    head_phone = EncryptedTextField(_("head's phone"), blank=True)
    contact_name = models.CharField(_("contact (联络员)"), max_length=40, blank=True)
    contact_phone = EncryptedTextField(_("contact's phone"), blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    @property
    def is_territorial(self) -> bool:
        return self.kind == UnitKind.TERRITORIAL

    def compute_path(self) -> str:
        return (self.parent.path if self.parent else "") + f"{self.code}/"

    def scope_path(self) -> str:
        return self.region.path if self.region_id and self.region else ""

    def scope_unit_ids(self) -> tuple[int, ...]:
        return (self.pk,)

    @property
    def head_phone_masked(self) -> str:
        return mask_phone(self.head_phone) if self.head_phone else ""

    @property
    def contact_phone_masked(self) -> str:
        return mask_phone(self.contact_phone) if self.contact_phone else ""
