"""文明储蓄银行: 居民公约 items worth points, awards, the 爱心超市's goods, and redemptions."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.practice.enums import RedemptionStatus
from chuangcheng.practice.models.scoping import scope, staff_q


class ConventionQuerySet(models.QuerySet["ConventionItem"]):
    def visible_to(self, user: Any) -> ConventionQuerySet:
        """Items defined over the user's staff subtrees or above them (a community's staff use
        the district's 居民公约); residents and volunteers read the items over their region."""
        s = scope(user)
        if s.everything:
            return self.all()
        from chuangcheng.orgs.paths import containing_paths

        cond = staff_q(user, "region__path")
        mine = s.region_prefixes
        if mine:
            cond |= Q(region__path__in=sorted(containing_paths(mine)))
        return self.filter(cond)


class ConventionItem(models.Model):
    """One item of the 居民公约 and the points it earns, defined by the office for its region.
    ``monthly_cap`` (0 = none) limits how often one account may earn it in a month."""

    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    code = models.CharField(_("code"), max_length=32)
    title = models.CharField(_("item"), max_length=120)
    description = models.TextField(_("details"), blank=True)
    points = models.PositiveIntegerField(_("points"))
    monthly_cap = models.PositiveSmallIntegerField(_("times per month (0 = no limit)"), default=0)
    seq = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        ordering = ["seq", "code"]
        verbose_name = _("convention item")
        verbose_name_plural = _("convention items")
        constraints = [
            models.UniqueConstraint(fields=["region", "code"], name="practice_convention_code"),
            models.CheckConstraint(condition=Q(points__gt=0), name="practice_convention_pos"),
        ]

    def __str__(self) -> str:
        return self.title

    def scope_path(self) -> str:
        return self.region.path


class AwardQuerySet(models.QuerySet["PointsAward"]):
    def visible_to(self, user: Any) -> AwardQuerySet:
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "account__region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(account__volunteer__user=user) | Q(account__household__members=user)
        return self.filter(cond).distinct()


class PointsAward(models.Model):
    """Points awarded to a household or a volunteer for a convention item, with evidence."""

    item = models.ForeignKey(
        ConventionItem, on_delete=models.PROTECT, related_name="awards", verbose_name=_("item")
    )
    account = models.ForeignKey(
        "practice.LedgerAccount", on_delete=models.PROTECT, related_name="awards"
    )
    points = models.PositiveIntegerField(_("points"))
    note = models.CharField(_("what they did"), max_length=300, blank=True)
    # A named reverse relation, so the cases app's sweep of unattached photos keeps it.
    photo = models.ForeignKey(
        "cases.Photo",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_awards",
    )
    txn = models.OneToOneField(
        "practice.LedgerTransaction", on_delete=models.PROTECT, related_name="award"
    )
    awarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    awarded_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The form's one-time token: a submit sent twice (a double tap) finds the award made.
    client_ref = models.CharField(max_length=64, blank=True, editable=False)

    objects = AwardQuerySet.as_manager()

    class Meta:
        ordering = ["-awarded_at", "-pk"]
        verbose_name = _("points award")
        verbose_name_plural = _("points awards")
        constraints = [
            models.UniqueConstraint(
                fields=["client_ref"], condition=~Q(client_ref=""), name="practice_award_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} +{self.points}"

    def scope_path(self) -> str:
        return self.account.region.path


class GoodsQuerySet(models.QuerySet["Goods"]):
    def visible_to(self, user: Any) -> GoodsQuerySet:
        """Goods of the sites the user sees (staff subtrees; residents' and volunteers' sites)."""
        from chuangcheng.practice.models.network import PracticeSite

        s = scope(user)
        if s.everything:
            return self.all()
        return self.filter(site__in=PracticeSite.objects.visible_to(user))


class Goods(models.Model):
    """An item of the 爱心超市 of a site, its price in points and its stock. ``stock`` is only
    ever changed by one conditional UPDATE (``stock >= n``), so it never goes below zero."""

    site = models.ForeignKey(
        "practice.PracticeSite",
        on_delete=models.PROTECT,
        related_name="goods",
        verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=80)
    description = models.CharField(_("description"), max_length=200, blank=True)
    price = models.PositiveIntegerField(_("points"))
    stock = models.PositiveIntegerField(_("in stock"), default=0)
    active = models.BooleanField(_("on the shelf"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = GoodsQuerySet.as_manager()

    class Meta:
        ordering = ["site", "price", "name"]
        verbose_name = _("goods")
        verbose_name_plural = _("goods")
        constraints = [
            models.CheckConstraint(condition=Q(price__gt=0), name="practice_goods_price_pos"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="practice_goods_stock_nonneg"),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.site.region.path


class RedemptionWindow(models.Model):
    """When a site's 爱心超市 redeems (e.g. Saturday 9:00–11:30). A site with no windows redeems
    any time; with windows, only inside one of them (local time)."""

    site = models.ForeignKey(
        "practice.PracticeSite", on_delete=models.CASCADE, related_name="redemption_windows"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday (0 = Monday)"))
    starts = models.TimeField(_("from"))
    ends = models.TimeField(_("until"))

    class Meta:
        ordering = ["site", "weekday", "starts"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="practice_window_weekday"),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="practice_window_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.weekday} {self.starts}-{self.ends}"


class RedemptionQuerySet(models.QuerySet["Redemption"]):
    def visible_to(self, user: Any) -> RedemptionQuerySet:
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "goods__site__region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(account__volunteer__user=user) | Q(account__household__members=user)
        return self.filter(cond).distinct()


class Redemption(models.Model):
    """Goods taken for points: the stock went down and the account paid, in one transaction."""

    goods = models.ForeignKey(Goods, on_delete=models.PROTECT, related_name="redemptions")
    account = models.ForeignKey(
        "practice.LedgerAccount", on_delete=models.PROTECT, related_name="redemptions"
    )
    quantity = models.PositiveSmallIntegerField(_("quantity"), default=1)
    points = models.PositiveIntegerField(_("points"))
    txn = models.OneToOneField(
        "practice.LedgerTransaction", on_delete=models.PROTECT, related_name="redemption"
    )
    status = models.CharField(
        max_length=10, choices=RedemptionStatus.choices, default=RedemptionStatus.DONE
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    # The form's one-time token: a submit sent twice (a double tap) finds the redemption made.
    client_ref = models.CharField(max_length=64, blank=True, editable=False)

    objects = RedemptionQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("redemption")
        verbose_name_plural = _("redemptions")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="practice_redemption_qty"),
            models.UniqueConstraint(
                fields=["client_ref"], condition=~Q(client_ref=""), name="practice_redeem_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goods} ×{self.quantity}"

    def scope_path(self) -> str:
        return self.goods.site.region.path
