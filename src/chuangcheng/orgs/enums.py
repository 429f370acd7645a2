from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """区 → 街道 → 社区 → 网格 (../shared/domain.md §3)."""

    CITY = "city", _("City")
    DISTRICT = "district", _("District")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid cell")


class UnitKind(models.TextChoices):
    """属地 (territorial) units answer for a region; 行业 (line) units for a sector."""

    TERRITORIAL = "territorial", _("Territorial")
    LINE = "line", _("Line department")
    ENTERPRISE = "enterprise", _("Enterprise or institution")
