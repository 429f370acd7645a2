"""Composite appraisal formulas (综合考核方案): how a unit's components make one score.

The components come from providers (:mod:`chuangcheng.appraisal.domain.components`): the
rectification score of a cases scheme, the 得分率 of the clauses the unit leads, and — once the
modules exist — task and material timeliness. Weights are rows, not constants (domain.md §6).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


def _weight(label: Any) -> models.DecimalField[Any, Any]:
    return models.DecimalField(label, max_digits=6, decimal_places=2, default=Decimal(0))


class AppraisalFormula(models.Model):
    """Composite = Σ weight × component / Σ weight over the components available, × 100.

    ``scheme`` scores the rectification part (its score over its maximum). A component whose
    provider does not exist yet, or that has no value for a unit, is left out and the remaining
    weights are renormalised; pages say what was left out. Units with fewer than
    ``min_due`` cases due (应结案数) are listed apart, unranked.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), blank=True)
    scheme = models.ForeignKey(
        "cases.AppraisalScheme",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("rectification scheme"),
    )
    w_rectification = _weight(_("weight of rectification"))
    w_clauses = _weight(_("weight of the led clauses' score rate"))
    w_tasks = _weight(_("weight of task timeliness"))
    w_materials = _weight(_("weight of material timeliness"))
    min_due = models.PositiveIntegerField(_("minimum cases due to be ranked"), default=1)
    is_default = models.BooleanField(_("default formula"), default=False)
    seq = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["seq", "code"]
        verbose_name = _("appraisal formula")
        verbose_name_plural = _("appraisal formulas")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="appraisal_formula_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def weights(self) -> dict[str, Decimal]:
        """The weight of each component code, in display order."""
        return {
            "rectification": self.w_rectification,
            "clauses": self.w_clauses,
            "tasks": self.w_tasks,
            "materials": self.w_materials,
        }
