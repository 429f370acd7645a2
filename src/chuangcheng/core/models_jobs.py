"""The scheduler's record of each periodic job: when it last started, how it ended."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One row per periodic job name. ``last_run`` is the claim: a scheduler runs a job only
    after moving ``last_run`` with ``UPDATE … WHERE last_run = <the value it read>``, so of two
    schedulers seeing the job due at once exactly one runs it."""

    name = models.CharField(_("job"), max_length=80, primary_key=True)
    last_run = models.DateTimeField(_("last started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    ok = models.BooleanField(_("last run succeeded"), null=True, blank=True)
    error = models.TextField(_("last error"), blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    failures = models.PositiveIntegerField(_("failed runs"), default=0)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")

    def __str__(self) -> str:
        return self.name
