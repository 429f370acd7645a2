"""Keeping live runs current: one inspection updates the clauses it observed."""

from __future__ import annotations

from django.utils import timezone

from chuangcheng.cases.domain.periods import Period
from chuangcheng.inspections.models import Inspection
from chuangcheng.scoring.domain.compute import compute_run, update_live
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun


def apply_inspection(inspection_id: int) -> int:
    """Update every live run whose framework, region and period hold the inspection."""
    inspection = (
        Inspection.objects.filter(pk=inspection_id)
        .select_related("round_point__round", "round_point__point__region")
        .first()
    )
    if inspection is None:
        return 0
    round_ = inspection.round_point.round
    path = inspection.round_point.point.region.path
    day = timezone.localtime(inspection.observed_at).date()
    clause_ids = set(inspection.observations.values_list("clause_id", flat=True))
    runs = ScoreRun.objects.filter(
        kind=RunKind.LIVE,
        framework_id=round_.framework_id,
        period_start__lte=day,
        period_end__gt=day,
    ).select_related("region")
    tree = load_tree(round_.framework_id)
    scored = {tree.scored_of[c] for c in clause_ids if c in tree.scored_of}
    written = 0
    for run in runs:
        if path.startswith(run.region.path):
            written += update_live(run, scored)
    return written


def refresh_live_runs() -> int:
    """Recompute the live runs whose period has not ended."""
    today = timezone.localdate()
    count = 0
    for run in ScoreRun.objects.filter(kind=RunKind.LIVE, period_end__gt=today).select_related(
        "framework", "region"
    ):
        period = Period(run.period_key, run.period_kind, run.period_start, run.period_end)
        compute_run(framework=run.framework, region=run.region, period=period, kind=RunKind.LIVE)
        count += 1
    return count
