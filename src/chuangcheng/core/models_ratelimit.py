"""Request counters of the shared rate limiter (core/ratelimit.py)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Requests from one address to one group of endpoints in one fixed time window.

    One row per (group, address, window); the limiter bumps ``hits`` with a single
    ``INSERT … ON CONFLICT … DO UPDATE SET hits = hits + 1 RETURNING hits``, so several web
    processes share the count without a cache service. Rows of past windows are pruned by the
    ``core.prune_rate_counters`` job."""

    group = models.CharField(_("endpoint group"), max_length=20)
    ip = models.CharField(_("network address"), max_length=64)
    window_start = models.BigIntegerField(_("window start (Unix seconds)"))
    hits = models.PositiveIntegerField(_("requests counted"), default=0)

    class Meta:
        verbose_name = _("rate counter")
        verbose_name_plural = _("rate counters")
        constraints = [
            models.UniqueConstraint(
                fields=["group", "ip", "window_start"], name="core_ratecounter_unique_window"
            )
        ]
        indexes = [models.Index(fields=["window_start"], name="core_ratecounter_window")]

    def __str__(self) -> str:
        return f"{self.group} {self.ip} {self.window_start}: {self.hits}"
