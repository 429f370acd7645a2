"""The practice network: centres, institutes and stations on the region tree; volunteer teams;
volunteers registered with their real name; households (for QR ordering and points)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.crypto import mask_id_number, mask_phone
from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.practice.enums import SiteKind, TeamLevel
from chuangcheng.practice.models.scoping import scope, staff_q


def new_token() -> str:
    return secrets.token_urlsafe(12)


class ServiceCategory(models.Model):
    """A kind of service residents order and volunteers offer (助餐, 助洁, 陪医…); also the
    list of volunteers' skills."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=40)
    seq = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["seq", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name


class SiteQuerySet(models.QuerySet["PracticeSite"]):
    def visible_to(self, user: Any) -> SiteQuerySet:
        """Sites in the user's staff subtrees; a volunteer or resident sees the active sites
        of their region and the regions above it (where they order or serve)."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        from chuangcheng.orgs.paths import containing_paths

        own = s.prefixes_for("volunteer", "resident")
        if own:
            cond |= (
                Q(region__path__in=sorted(containing_paths(own)))
                | s.subtree_q("region__path", "volunteer", "resident")
            ) & Q(active=True)
        return self.filter(cond)


class PracticeSite(models.Model):
    """A 新时代文明实践 centre (district), institute (street) or station (community).

    Orders, wishes and the 爱心超市 of a region are run by its site. ``public_token`` is the key of
    the site's QR code: residents scanning it order a service from this station."""

    kind = models.CharField(_("kind"), max_length=12, choices=SiteKind.choices)
    name = models.CharField(_("name"), max_length=80)
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="practice_sites",
        verbose_name=_("region"),
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent site"),
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_phone = models.CharField(_("service phone"), max_length=20, blank=True)
    lat = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    # 文明储蓄银行: an account must hold at least this many points before it may redeem.
    min_redeem_balance = models.PositiveIntegerField(_("minimum balance to redeem"), default=0)
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SiteQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "kind"]
        verbose_name = _("practice site")
        verbose_name_plural = _("practice sites")
        constraints = [
            models.UniqueConstraint(fields=["region", "kind"], name="practice_site_one_per_region"),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path


class TeamQuerySet(models.QuerySet["Team"]):
    def visible_to(self, user: Any) -> TeamQuerySet:
        """Teams of sites in the user's staff subtrees, and the teams a volunteer belongs to."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "site__region__path")
        if s.has_role("volunteer"):
            cond |= Q(members__user=user)
        return self.filter(cond).distinct()


class Team(models.Model):
    """A volunteer team: 总队 under a centre, 支队 under an institute, 小队 at a station.

    A unit may sponsor a team (机关单位志愿服务队); its members serve under the team's site."""

    name = models.CharField(_("name"), max_length=80)
    level = models.CharField(_("level"), max_length=10, choices=TeamLevel.choices)
    site = models.ForeignKey(
        PracticeSite, on_delete=models.PROTECT, related_name="teams", verbose_name=_("site")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent team"),
    )
    unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
        verbose_name=_("sponsoring unit"),
    )
    leader = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_teams",
        verbose_name=_("team leader"),
    )
    description = models.TextField(_("description"), blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        ordering = ["site__region__path", "level", "name"]
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="practice_team_name_per_site"),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.site.region.path


class VolunteerQuerySet(models.QuerySet["Volunteer"]):
    def visible_to(self, user: Any) -> VolunteerQuerySet:
        """Volunteers living in the user's staff subtrees, and a volunteer's own record."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(user=user)
        return self.filter(cond)


class Volunteer(models.Model):
    """A volunteer registered with their real name (实名注册).

    The ID number and phone are encrypted at rest, shown masked, and found by keyed hash
    (``id_hash`` refuses a second registration of the same person). ``user`` is the account
    they sign in with to take orders; a volunteer registered on paper may have none yet."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="volunteer",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=40)
    id_number = EncryptedTextField(_("ID number"), blank=True)
    id_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("community"),
    )
    skills = models.ManyToManyField(
        ServiceCategory, blank=True, related_name="volunteers", verbose_name=_("skills")
    )
    availability = models.JSONField(_("availability"), default=list, blank=True)
    availability_note = models.CharField(_("availability note"), max_length=200, blank=True)
    teams = models.ManyToManyField(
        Team, blank=True, related_name="members", verbose_name=_("teams")
    )
    registered_at = models.DateField(_("registered on"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "name"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        constraints = [
            models.UniqueConstraint(
                fields=["id_hash"], condition=~Q(id_hash=""), name="practice_volunteer_one_id"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def scope_path(self) -> str:
        return self.region.path

    @property
    def id_number_masked(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""


class HouseholdQuerySet(models.QuerySet["Household"]):
    def visible_to(self, user: Any) -> HouseholdQuerySet:
        """Households in the user's staff subtrees, and a resident's own household."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(members=user)
        return self.filter(cond).distinct()


class Household(models.Model):
    """A household (户) of a community: it orders services by its door QR code and earns and
    redeems civilization points together. The head's phone is encrypted and shown masked."""

    region = models.ForeignKey(
        "orgs.Region",
        on_delete=models.PROTECT,
        related_name="households",
        verbose_name=_("community"),
    )
    code = models.CharField(_("household number"), max_length=40, unique=True)
    address = models.CharField(_("address"), max_length=200)
    head_name = models.CharField(_("head of household"), max_length=40)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    size = models.PositiveSmallIntegerField(_("people"), default=1)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="households",
        verbose_name=_("members with an account"),
    )
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        ordering = ["region__path", "code"]
        verbose_name = _("household")
        verbose_name_plural = _("households")

    def __str__(self) -> str:
        return f"{self.code} {self.head_name}"

    def scope_path(self) -> str:
        return self.region.path

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.phone) if self.phone else ""
