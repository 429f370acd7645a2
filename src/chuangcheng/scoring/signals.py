"""A stored inspection updates the live scores once its transaction commits (its observations
are written after the inspection row, in the same transaction)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from chuangcheng.inspections.models import Inspection


@receiver(post_save, sender=Inspection, dispatch_uid="scoring.inspection_saved")
def _inspection_saved(sender: Any, instance: Inspection, created: bool, **kwargs: Any) -> None:
    if not created or kwargs.get("raw"):
        return
    from chuangcheng.scoring.tasks import score_inspection

    pk = instance.pk
    transaction.on_commit(lambda: score_inspection.enqueue(pk))
