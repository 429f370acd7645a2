from django.db import models
from django.utils.translation import gettext_lazy as _


class FieldRule(models.TextChoices):
    """How inspection results become points (../shared/domain.md §4)."""

    RATIO = "ratio", _("Compliance ratio × score")
    DEDUCT = "deduct", _("Score − a deduction per failed observation (not below 0)")


class ScopeKind(models.TextChoices):
    REGION = "region", _("Region")
    UNIT = "unit", _("Unit")


class RunKind(models.TextChoices):
    LIVE = "live", _("Live (follows new inspections)")
    SNAPSHOT = "snapshot", _("Fixed snapshot")
