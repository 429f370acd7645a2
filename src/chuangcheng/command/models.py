"""The command centre's own data: the score target the leader's view measures against."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class BoardTargetQuerySet(models.QuerySet["BoardTarget"]):
    def visible_to(self, user: Any) -> BoardTargetQuerySet:
        """Targets of the regions the user sees."""
        from chuangcheng.orgs.models import Region

        return self.filter(region__in=Region.objects.visible_to(user))


class BoardTarget(models.Model):
    """The 得分率 the office aims at for a framework over a region (e.g. 85 %), set as data.

    One per framework and region; the leader's dashboard and the big screen show the projected
    score against it. Changed only through ``command.domain.targets.set_target`` (audited).
    """

    framework = models.ForeignKey(
        "frameworks.Framework",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("framework"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.CASCADE, related_name="+", verbose_name=_("region")
    )
    rate = models.DecimalField(
        _("target score rate (%)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = BoardTargetQuerySet.as_manager()

    class Meta:
        verbose_name = _("score target")
        verbose_name_plural = _("score targets")
        constraints = [
            models.UniqueConstraint(fields=["framework", "region"], name="board_target_once"),
            models.CheckConstraint(
                condition=models.Q(rate__gte=0, rate__lte=100), name="board_target_rate_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rate} %"

    def scope_path(self) -> str:
        return self.region.path
