"""流动红旗 schemes, inspectors' ratings and the monthly awards (../shared/domain.md §2, seed 004).

Everything variable is data on the scheme: its dimensions and their maxima, what it rates, how
many win each month, how many ratings qualify, and the star thresholds.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.awards.enums import TargetKind
from chuangcheng.orgs.enums import UnitKind

DEFAULT_STAR_THRESHOLDS = [90, 80, 70, 60]


def default_star_thresholds() -> list[int]:
    return list(DEFAULT_STAR_THRESHOLDS)


def one_target(name: str, *unique: str) -> list[models.BaseConstraint]:
    """Exactly one of ``point`` and ``unit`` is set, and ``unique`` + the target is unique."""
    return [
        models.CheckConstraint(
            condition=Q(point__isnull=True) ^ Q(unit__isnull=True), name=f"awards_{name}_one_target"
        ),
        *(
            models.UniqueConstraint(
                fields=[*unique, target],
                condition=Q(**{f"{target}__isnull": False}),
                name=f"awards_{name}_once_per_{target}",
            )
            for target in ("point", "unit")
        ),
    ]


class RedFlagScheme(models.Model):
    """A 流动红旗 competition. ``dimensions`` is an ordered list of ``{"name", "max"}`` with at
    least one entry, unique names and positive integer maxima (checked by
    :func:`chuangcheng.awards.domain.schemes.clean_dimensions`). ``star_thresholds`` are the
    percentages of the maximum needed for 5, 4, 3 and 2 stars, descending."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    target = models.CharField(
        _("rates"), max_length=10, choices=TargetKind.choices, default=TargetKind.POINTS
    )
    point_types = models.ManyToManyField(
        "points.PointType", blank=True, related_name="+", verbose_name=_("point types")
    )
    unit_kind = models.CharField(
        _("unit kind"),
        max_length=12,
        choices=UnitKind.choices,
        blank=True,
        help_text=_("For a scheme rating units: only units of this kind (blank: every kind)."),
    )
    dimensions = models.JSONField(_("dimensions"), default=list)
    winners = models.PositiveSmallIntegerField(
        _("flags each month"),
        default=3,
        help_text=_("How many units receive the red flag each month."),
    )
    min_ratings = models.PositiveSmallIntegerField(
        _("minimum ratings"),
        default=2,
        help_text=_("A target needs at least this many ratings in the month to win a flag."),
    )
    star_thresholds = models.JSONField(_("star thresholds (%)"), default=default_star_thresholds)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("red flag scheme")
        verbose_name_plural = _("red flag schemes")

    def __str__(self) -> str:
        return self.name

    @property
    def max_total(self) -> int:
        return sum(int(d["max"]) for d in self.dimensions)

    @property
    def rates_points(self) -> bool:
        return self.target == TargetKind.POINTS


class RedFlagRating(models.Model):
    """One inspector's rating of one target (a point or a unit) for one month: at most one per
    inspector × target × month and scheme (a new rating replaces the old one). ``scores`` maps
    each dimension name to points within 0..max; ``total`` is their sum and ``max_total`` the
    scheme's maximum when rated, so later edits of the scheme do not change old percentages."""

    scheme = models.ForeignKey(RedFlagScheme, on_delete=models.PROTECT, related_name="ratings")
    month = models.DateField(_("month"), help_text=_("The first day of the month rated."))
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    point = models.ForeignKey(
        "points.Point", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    scores = models.JSONField(_("scores"))
    total = models.PositiveIntegerField(_("total"))
    max_total = models.PositiveIntegerField(_("maximum"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "scheme", "pk"]
        verbose_name = _("red flag rating")
        verbose_name_plural = _("red flag ratings")
        constraints = one_target("rating", "scheme", "month", "inspector")
        indexes = [models.Index(fields=["scheme", "month"])]

    def __str__(self) -> str:
        return f"{self.scheme} · {self.month:%Y-%m} · {self.total}/{self.max_total}"

    @property
    def target(self) -> Any:
        return self.point if self.point_id else self.unit

    def scope_path(self) -> str:
        return str(self.target.scope_path())

    def scope_unit_ids(self) -> tuple[int, ...]:
        return tuple(self.target.scope_unit_ids())


class RedFlagAward(models.Model):
    """A red flag confirmed by the office: one row per winner of a scheme's month in a region;
    confirming the same month again changes nothing."""

    scheme = models.ForeignKey(RedFlagScheme, on_delete=models.PROTECT, related_name="awards")
    month = models.DateField(_("month"))
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    point = models.ForeignKey(
        "points.Point", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "orgs.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.DecimalField(_("average score"), max_digits=8, decimal_places=2)
    ratings = models.PositiveIntegerField(_("ratings"))
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "scheme", "rank"]
        verbose_name = _("red flag award")
        verbose_name_plural = _("red flag awards")
        constraints = one_target("award", "scheme", "month", "region")

    def __str__(self) -> str:
        return f"{self.scheme} · {self.month:%Y-%m} · {self.target}"

    @property
    def target(self) -> Any:
        return self.point if self.point_id else self.unit
