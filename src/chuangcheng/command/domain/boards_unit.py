"""The unit's view: open and overdue cases per unit of the user, the next deadlines, and each
unit's score (live run) and appraisal rank. Only the user's own units: another unit's cases,
score or rank never appear (its rank is shown among all, its neighbours' are not)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.appraisal.domain.access import scoped_ranking
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.models import Case, CaseAssignment, overdue_q
from chuangcheng.cases.queries import my_todo
from chuangcheng.command.domain.boards_cases import case_url, open_q
from chuangcheng.command.domain.boards_scores import pct, scoring_url
from chuangcheng.orgs.models import Unit
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.overview import unit_rows
from chuangcheng.scoring.domain.reading import campaign_region, default_framework, live_run
from chuangcheng.scoring.domain.tree import load_tree

UNITS_SHOWN = 20
DEADLINES_SHOWN = 8


def my_units(user: Any) -> list[Unit]:
    """The units the user acts for (granted, and the units below them), by path; one query."""
    ids = scope_of(user).role_units.get(str(Role.UNIT), frozenset())
    if not ids:
        return []
    return list(Unit.objects.filter(pk__in=ids, active=True).order_by("path")[:UNITS_SHOWN])


def _answers_for(unit_id: int) -> Q:
    """As the list's ``unit=``: dispatched to the unit, or proposed as territorial or line."""
    assigned = CaseAssignment.objects.filter(unit_id=unit_id).values("case_id")
    return Q(pk__in=assigned) | Q(territorial_unit_id=unit_id) | Q(line_unit_id=unit_id)


def unit_cases(user: Any, units: list[Unit], now: dt.datetime) -> list[dict[str, Any]]:
    """Open and overdue cases of each unit, in one query (one pair of counts per unit). The
    granted units are always listed; units below them only when they have open cases."""
    if not units:
        return []
    figures: dict[str, Any] = {}
    for u in units:
        match = _answers_for(u.pk)
        figures[f"open_{u.pk}"] = Count("pk", filter=match & open_q())
        figures[f"late_{u.pk}"] = Count("pk", filter=match & overdue_q(now))
    counts = Case.objects.visible_to(user).aggregate(**figures)
    ids = {u.pk for u in units}
    found = []
    for u in units:
        n = counts[f"open_{u.pk}"]
        if n or u.parent_id not in ids:
            found.append(
                {
                    "unit": u.short_name or u.name,
                    "open": n,
                    "overdue": counts[f"late_{u.pk}"],
                    "open_url": case_url(status="open", unit=u.pk),
                    "overdue_url": case_url(overdue="1", unit=u.pk),
                }
            )
    return found


def deadlines(user: Any, now: dt.datetime) -> list[dict[str, Any]]:
    """Cases waiting at the user's units, earliest deadline first (overdue ones lead)."""
    return [
        {
            "number": c.number,
            "what": c.category.name if c.category else "",
            "where": c.region.name,
            "due_at": c.due_at,
            "overdue": c.overdue,  # type: ignore[attr-defined]
            "due_soon": c.due_soon,  # type: ignore[attr-defined]
            "url": reverse("cases:detail", args=[c.pk]),
        }
        for c in my_todo(user, now)[:DEADLINES_SHOWN]
    ]


def unit_standing(user: Any, units: list[Unit], period: Period) -> list[dict[str, Any]]:
    """Each of the user's units with its score in the district's live run (未测 when it had no
    evidence) and its appraisal rank among all units for the period (its own row only)."""
    if not units:
        return []
    ids = {u.pk for u in units}
    scores: dict[int, Any] = {}
    try:
        run = live_run(default_framework(), campaign_region(), period)
    except ScoringError:
        run = None
    if run is not None:
        for row in unit_rows(run, load_tree(run.framework_id), only=ids):
            assert row.unit is not None
            scores[row.unit.pk] = row.total
    scoped = scoped_ranking(user, period)
    ranks = {r.unit.pk: r for r in scoped.ranking.every_row} if scoped is not None else {}
    found = []
    for u in units:
        cell, rank = scores.get(u.pk), ranks.get(u.pk)
        if cell is None and rank is None and u.parent_id in ids:
            continue  # a unit below the granted one, with nothing to show
        found.append(
            {
                "unit": u.short_name or u.name,
                "rate_pct": pct(cell.rate) if cell is not None else None,
                "coverage_pct": pct(cell.coverage) if cell is not None else None,
                "score_url": scoring_url(period, unit=u.code),
                "composite": rank.composite if rank is not None else None,
                "rank": rank.rank if rank is not None else None,
                "ranked": scoped.ranked if scoped is not None else 0,
                "rank_url": (
                    f"{reverse('appraisal:unit', args=[u.pk])}?{urlencode({'period': period.key})}"
                ),
            }
        )
    return found
