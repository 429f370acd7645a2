"""Score figures of the leader's view and the big screen: the live run of the framework in force
for the period, projected to the full 分值 and set against the office's target.

projected = 得分率 × 分值 = score ÷ measured_max × max_score, shown with the coverage (the
measured share) so a high projection over little evidence reads as such. Streets and units are
listed by 得分率, lowest first (未测 last), each linking to its drill-down on /scoring/.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from chuangcheng.cases.domain.periods import Period, current_month
from chuangcheng.command.domain.targets import target_rate
from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain.analysis_scope import region_scope
from chuangcheng.scoring.domain.cells import Cell
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.overview import CompareRow, street_rows, unit_rows
from chuangcheng.scoring.domain.reading import (
    default_framework,
    live_run,
    region_key,
    run_region,
    scope_tree,
)
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.domain.trends import periods_back, series
from chuangcheng.scoring.enums import ScopeKind

HUNDRED = Decimal(100)
CENT = Decimal("0.01")
UNITS_SHOWN = 10


def pct(value: Decimal | None) -> Decimal | None:
    """A ratio as a percentage to two places (half-up), None stays None."""
    return None if value is None else (value * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def scoring_url(period: Period, **scope: str) -> str:
    return f"{reverse('scoring:index')}?{urlencode({'period': period.key, **scope})}"


def _cell_figures(cell: Cell) -> dict[str, Any]:
    return {
        "score": cell.score,
        "max_score": cell.max_score,
        "measured_max": cell.measured_max,
        "rate_pct": pct(cell.rate),
        "coverage_pct": pct(cell.coverage),
    }


def _ranked(rows: list[CompareRow], period: Period) -> list[dict[str, Any]]:
    """Rows by 得分率, lowest first; 未测 rows last, by name."""
    found = []
    for row in rows:
        scope = {"unit": row.code} if row.unit is not None else {"region": row.code}
        found.append(
            {"name": row.name, "code": row.code, "url": scoring_url(period, **scope)}
            | _cell_figures(row.total)
        )
    return sorted(
        found,
        key=lambda r: (r["rate_pct"] is None, r["rate_pct"] or 0, r["name"]),
    )


def score_figures(region: Region, period: Period) -> dict[str, Any] | None:
    """The region's score for the period from the live run (computed on first use), projected
    and against the target; its streets and the units scored (only when the run is the
    region's own: a street's run is its district's, whose other units are not the street's to
    see). None when no framework is in force. A fixed number of queries."""
    try:
        framework = default_framework()
    except ScoringError:
        return None
    over = run_region(region)
    run = live_run(framework, over, period)
    tree = load_tree(run.framework_id)
    cell = scope_tree(run, region_key(region), tree).cell
    rate = cell.rate
    target = target_rate(framework, region)
    own = over.pk == region.pk
    target_score = None if target is None else (target * cell.max_score / HUNDRED).quantize(CENT)
    units = _ranked(unit_rows(run, tree), period) if own else []
    figures = _cell_figures(cell) | {
        "framework": framework.name,
        "period": period.key,
        "period_label": str(period.label),
        "region": region.name,
        "projected": None if rate is None else (rate * cell.max_score).quantize(CENT),
        "target_pct": target,
        "target_score": target_score,
        "url": scoring_url(period, region=region.code),
        "streets": _ranked(street_rows(run, tree), period) if own else [],
        "units": units[:UNITS_SHOWN],
        "units_total": len(units),
    }
    rate_pct = figures["rate_pct"]
    figures["gap_pp"] = None if target is None or rate_pct is None else rate_pct - target
    return figures


def measured_month(region: Region, today: dt.date) -> Period:
    """The month a board shows scores for when none is asked: the current one once something
    was measured in it, else the one before (early in a month the live run is mostly 未测).
    Two queries once the current month's run exists."""
    current = current_month(today)
    try:
        framework = default_framework()
    except ScoringError:
        return current
    run = live_run(framework, run_region(region), current)
    measured = run.rows.filter(
        scope=ScopeKind.REGION, region_id=region.pk, score__isnull=False
    ).exists()
    return current if measured else current.previous_months(2)[0]


def score_trend(region: Region, today: dt.date, months: int = 12) -> list[dict[str, Any]]:
    """得分率 of the region by month, oldest first (None where 未测); the first look computes
    the months' live runs, later looks read them (two queries)."""
    try:
        framework = default_framework()
    except ScoringError:
        return []
    periods = periods_back("month", months, today)
    (points,) = series(
        load_tree(framework),
        framework,
        region_scope(region),
        node_id=None,
        groups=[periods],
        today=today,
    )
    return [
        {
            "period": p.period.key,
            "rate_pct": p.rate_pct,
            "url": scoring_url(p.period, region=region.code),
        }
        for p in points
    ]
