"""微心愿: a resident's small wish, published on the wish wall, claimed by a volunteer or a unit,
fulfilled with evidence and rated."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import StartsWith
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.crypto import mask_phone
from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models.network import new_token
from chuangcheng.practice.models.scoping import scope, staff_q
from chuangcheng.practice.models.timeline import TimelineStep


class WishQuerySet(models.QuerySet["Wish"]):
    def visible_to(self, user: Any) -> WishQuerySet:
        """Wishes in the user's staff subtrees; the wishes a user published or claimed (for
        themselves, as a volunteer, or for their unit); and, for volunteers and residents, the
        published wishes of their sites' regions (the wish wall)."""
        s = scope(user)
        if s.everything:
            return self.all()
        cond = staff_q(user, "region__path")
        if getattr(user, "is_authenticated", False):
            cond |= Q(published_by=user) | Q(claimed_by=user) | Q(household__members=user)
            if s.unit_ids:
                cond |= Q(claimed_unit__in=sorted(s.unit_ids))
                # A line unit (城管委…) holds no region grant: it sees the wall of the region
                # its unit sits in, where it may claim wishes.
                from chuangcheng.orgs.models import Unit

                units = Unit.objects.filter(
                    pk__in=sorted(s.role_units.get("unit", ())), region__isnull=False
                ).filter(StartsWith(OuterRef("region__path"), F("region__path")))
                cond |= Q(Exists(units)) & Q(status=WishStatus.PUBLISHED)
            from chuangcheng.orgs.paths import containing_paths

            own = s.prefixes_for("volunteer", "resident", "unit")
            if own:
                wall = Q(region__path__in=sorted(containing_paths(own))) | s.subtree_q(
                    "region__path", "volunteer", "resident", "unit"
                )
                cond |= wall & Q(status=WishStatus.PUBLISHED)
        return self.filter(cond).distinct()


class Wish(models.Model):
    """One small wish (微心愿). The beneficiary's phone is encrypted and shown masked; the wish
    wall shows the title and the community only, never the beneficiary's name or phone."""

    code = models.CharField(_("wish number"), max_length=24, unique=True)
    site = models.ForeignKey(
        "practice.PracticeSite",
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("station"),
    )
    region = models.ForeignKey(
        "orgs.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("community")
    )
    title = models.CharField(_("wish"), max_length=80)
    description = models.TextField(_("details"), blank=True)
    beneficiary_name = models.CharField(_("for whom"), max_length=40)
    beneficiary_phone = EncryptedTextField(_("phone"), blank=True)
    household = models.ForeignKey(
        "practice.Household",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("household"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="published_wishes",
    )
    notice_version = models.CharField(max_length=20, blank=True)
    # Keyed hash of the address a public submission came from: the per-hour limit counts these.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    due_on = models.DateField(_("wanted by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.SUBMITTED
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="claimed_wishes",
        verbose_name=_("claimed by"),
    )
    claimed_volunteer = models.ForeignKey(
        "practice.Volunteer",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("claiming volunteer"),
    )
    claimed_unit = models.ForeignKey(
        "orgs.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wishes",
        verbose_name=_("claiming unit"),
    )
    fulfil_note = models.TextField(_("how it was fulfilled"), blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.TextField(_("comment"), blank=True)
    cancel_reason = models.CharField(_("reason"), max_length=200, blank=True)
    public_token = models.CharField(max_length=24, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = WishQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        indexes = [
            models.Index(fields=["site", "status"], name="practice_wish_site_status"),
            models.Index(fields=["site", "ip_hash", "created_at"], name="practice_wish_site_ip"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="practice_wish_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def scope_path(self) -> str:
        return self.region.path

    @property
    def beneficiary_phone_masked(self) -> str:
        return mask_phone(self.beneficiary_phone) if self.beneficiary_phone else ""


class WishEvent(TimelineStep):
    """One step of a wish's history, shown on its timeline."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=WishStatus.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=WishStatus.choices)

    def __str__(self) -> str:
        return f"{self.wish_id}: {self.from_status} → {self.to_status}"


class WishPhoto(models.Model):
    """Evidence that the wish was fulfilled (through the cases app's photo pipeline)."""

    wish = models.ForeignKey(Wish, on_delete=models.CASCADE, related_name="photos")
    photo = models.OneToOneField(
        "cases.Photo", on_delete=models.PROTECT, related_name="practice_wish_photo"
    )

    def __str__(self) -> str:
        return f"{self.wish_id}: {self.photo_id}"
