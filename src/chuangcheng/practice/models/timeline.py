"""What every step on an order's or a wish's timeline records besides its statuses."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TimelineStep(models.Model):
    """Who made the step, when, and a short note (the audit log keeps the full details)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]
