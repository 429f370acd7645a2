"""Appraisal schemes (考核方案): the weights that turn a unit's figures into one score.

Cities weigh the same figures differently (../shared/domain.md §6), so the weights are rows, not
constants. Two published variants are created as presets by migration; an office may add its own.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppraisalScheme(models.Model):
    """Weights of each rate in the composite score, plus points by case volume.

    Score = Σ weight × rate term + the band points for the unit's 应结案数. A rate term is the rate
    itself for 结案率, 处置率, 按期处置率, and (1 − rate) for 返工率, 超期待处置率 and 延期率.
    ``volume_bands`` is a list of ``[minimum 应结案数, points]``; the highest minimum reached wins.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    w_closed = models.DecimalField(
        _("weight of the closure rate"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    w_handled = models.DecimalField(
        _("weight of the handling rate"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    w_on_time = models.DecimalField(
        _("weight of the on-time rate"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    w_rework = models.DecimalField(
        _("weight of (1 − rework rate)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    w_overdue = models.DecimalField(
        _("weight of (1 − overdue rate)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    w_extension = models.DecimalField(
        _("weight of (1 − extension rate)"), max_digits=6, decimal_places=2, default=Decimal(0)
    )
    volume_bands = models.JSONField(_("points by case volume"), default=list, blank=True)
    is_default = models.BooleanField(_("default scheme"), default=False)
    seq = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["seq", "code"]
        verbose_name = _("appraisal scheme")
        verbose_name_plural = _("appraisal schemes")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="appraisal_scheme_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name
