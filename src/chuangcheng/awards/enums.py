"""Choices of the awards app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetKind(models.TextChoices):
    """What a scheme rates: inspection points of some types (窗口单位 …) or responsible units."""

    POINTS = "points", _("Points of given types")
    UNITS = "units", _("Units")
