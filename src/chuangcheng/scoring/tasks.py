"""Background work of scoring: thin, idempotent wrappers that take ids."""

from __future__ import annotations

from django.tasks import task

from chuangcheng.scoring.domain.incremental import apply_inspection


@task
def score_inspection(inspection_id: int) -> int:
    """Bring the live runs covering a new inspection up to date; returns rows written."""
    return apply_inspection(inspection_id)
