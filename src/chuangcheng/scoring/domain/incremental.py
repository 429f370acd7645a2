"""Keeping live runs current: new evidence updates only the clauses it concerns.

An inspection updates the clauses it observed, a negative-list event the clause it deducts
from, in every live run whose framework, region and period hold it (the month's, and a
quarter's or year's when one is live).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from chuangcheng.inspections.models import Inspection
from chuangcheng.scoring.domain.compute import compute_run, run_period, update_live
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import NegativeEvent, ScoreRun


def live_runs_holding(framework_id: int, path: str, day: dt.date) -> list[ScoreRun]:
    """The live runs of the framework whose period holds ``day`` and whose region holds the
    region at ``path``."""
    runs = ScoreRun.objects.filter(
        kind=RunKind.LIVE, framework_id=framework_id, period_start__lte=day, period_end__gt=day
    ).select_related("region")
    return [run for run in runs if path.startswith(run.region.path)]


def _update(framework_id: int, path: str, day: dt.date, clause_ids: set[int]) -> int:
    tree = load_tree(framework_id)
    scored = {tree.scored_of[c] for c in clause_ids if c in tree.scored_of}
    return sum(
        update_live(run, scored, tree=tree) for run in live_runs_holding(framework_id, path, day)
    )


def apply_inspection(inspection_id: int) -> int:
    """Update the live runs holding the inspection; returns the rows written."""
    inspection = (
        Inspection.objects.filter(pk=inspection_id)
        .select_related("round_point__round", "round_point__point__region")
        .first()
    )
    if inspection is None:
        return 0
    return _update(
        inspection.round_point.round.framework_id,
        inspection.round_point.point.region.path,
        timezone.localtime(inspection.observed_at).date(),
        set(inspection.observations.values_list("clause_id", flat=True)),
    )


def apply_negative_event(event: NegativeEvent) -> int:
    """Update the live runs holding a negative-list event; returns the rows written."""
    return _update(
        event.clause.framework_id, event.region.path, event.occurred_on, {event.clause_id}
    )


def refresh_live_runs() -> int:
    """Recompute in full the live runs whose period has not ended."""
    today = timezone.localdate()
    count = 0
    for run in ScoreRun.objects.filter(kind=RunKind.LIVE, period_end__gt=today).select_related(
        "framework", "region"
    ):
        compute_run(
            framework=run.framework, region=run.region, period=run_period(run), kind=RunKind.LIVE
        )
        count += 1
    return count
