"""Declaration packages (网上申报材料包) built for download, kept in the private storage."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.archives.enums import ExportStatus


class ExportQuerySet(models.QuerySet["DeclarationExport"]):
    def visible_to(self, user: Any) -> ExportQuerySet:
        """The packages the user asked for, and those of regions the user is office over."""
        from chuangcheng.accounts.scope import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self.all()
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.filter(Q(requested_by=user) | scope.subtree_q("region__path", "office"))


class DeclarationExport(models.Model):
    """A .zip of a year's materials in the framework's order, with an .xlsx index. Small ones are
    built in the request; large ones by the task worker (``status`` tells where it stands)."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey("orgs.Region", on_delete=models.PROTECT, related_name="+")
    framework = models.ForeignKey(
        "frameworks.Framework", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    include_all = models.BooleanField(_("include materials not approved yet"), default=False)
    status = models.CharField(
        _("status"), max_length=8, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    storage_name = models.CharField(max_length=200, blank=True, editable=False)
    files = models.PositiveIntegerField(_("files"), default=0)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("declaration package")
        verbose_name_plural = _("declaration packages")

    def __str__(self) -> str:
        return f"{self.year} #{self.pk}"

    def scope_path(self) -> str:
        return self.region.path
