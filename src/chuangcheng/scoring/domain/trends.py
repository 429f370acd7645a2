"""Scores by period for one node of one scope, and the three-year weighted average.

Each period is answered by its latest snapshot when one was published, else by its live run
(computed on first use and stored, so a past period is computed once). A period where the node
was not measured is 未测 (a gap), never 0. The change against the previous period is the
difference of 得分率 in percentage points, shown only when both periods were measured.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from chuangcheng.cases.domain.periods import Period, current_month, parse_period
from chuangcheng.frameworks.models import Framework
from chuangcheng.scoring.domain.analysis_scope import Scope
from chuangcheng.scoring.domain.cells import Cell, parent_cell, q4
from chuangcheng.scoring.domain.reading import cell_of, default_framework, live_run
from chuangcheng.scoring.domain.tree import ScoreTree, TreeNode, load_tree
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import NodeScore, ScoreRun

GRAINS: dict[str, int] = {"month": 12, "quarter": 8, "year": 5}
HUNDRED = Decimal(100)


class TrendError(ValueError):
    """The trend asked for cannot be shown; the message says why."""


def periods_back(grain: str, count: int, today: dt.date | None = None) -> list[Period]:
    """``count`` periods of the grain ending with the one holding ``today``, oldest first."""
    today = today or timezone.localdate()
    if grain == "month":
        return current_month(today).previous_months(count)
    if grain == "quarter":
        year, quarter = today.year, (today.month - 1) // 3 + 1
        found = []
        for _i in range(count):
            found.append(parse_period(f"{year}-Q{quarter}"))
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
        return found[::-1]
    if grain == "year":
        return [parse_period(str(today.year - i)) for i in range(count)][::-1]
    raise TrendError(f"unknown grain {grain!r}: use month, quarter or year")


def runs_for(framework: Framework, scope: Scope, periods: list[Period]) -> dict[str, ScoreRun]:
    """The run answering each period: its latest snapshot, else its live run (computed and
    stored when missing). One query when every period already has a run."""
    found: dict[str, ScoreRun] = {}
    rows = ScoreRun.objects.filter(
        framework=framework, region=scope.run_region, period_key__in=[p.key for p in periods]
    ).order_by("created_at", "id")
    for run in rows:
        held = found.get(run.period_key)
        # A snapshot beats the live run; among runs of one kind the newest wins.
        if held is None or run.kind == RunKind.SNAPSHOT or held.kind == RunKind.LIVE:
            found[run.period_key] = run
    for period in periods:
        if period.key not in found:
            found[period.key] = live_run(framework, scope.run_region, period)
    return found


@dataclass
class TrendPoint:
    period: Period
    run: ScoreRun
    cell: Cell
    current: bool = False  # the period is still running
    delta_pp: Decimal | None = None  # 得分率 change against the previous period, in points

    @property
    def rate_pct(self) -> Decimal | None:
        rate = self.cell.rate
        return None if rate is None else (rate * HUNDRED).quantize(Decimal("0.01"))

    @property
    def measured(self) -> bool:
        return self.cell.score is not None


@dataclass
class YearWeight:
    year: int
    weight: Decimal  # as configured
    rate_pct: Decimal | None
    used_weight: Decimal | None = None  # renormalised over the measured years


@dataclass
class WeightedAverage:
    """The three-year weighted average of 得分率 (national ranking), oldest year first."""

    years: list[YearWeight]
    rate_pct: Decimal | None
    renormalised: bool


@dataclass
class Trend:
    scope: Scope
    grain: str
    node_id: int | None
    node_code: str
    node_name: str
    points: list[TrendPoint]
    average: WeightedAverage
    tree: ScoreTree = field(repr=False)


def _cells(
    tree: ScoreTree, scope: Scope, node_id: int | None, runs: list[ScoreRun]
) -> dict[int, Cell]:
    """The node's cell in each run (the framework total when ``node_id`` is None); one query."""
    wanted = [node_id] if node_id is not None else list(tree.roots)
    kind, pk = scope.key
    qs = NodeScore.objects.filter(run__in=[r.pk for r in runs], scope=kind, node_id__in=wanted)
    qs = qs.filter(unit_id=pk) if kind == ScopeKind.UNIT else qs.filter(region_id=pk)
    by_run: dict[int, dict[int, NodeScore]] = {}
    for row in qs:
        by_run.setdefault(row.run_id, {})[row.node_id] = row
    root = TreeNode(0, None, tree.code, tree.name, "framework", 0, None)
    found: dict[int, Cell] = {}
    for run in runs:
        rows = by_run.get(run.pk, {})
        cells = [cell_of(rows.get(n), tree.nodes[n]) for n in wanted]
        found[run.pk] = cells[0] if node_id is not None else parent_cell(root, cells)
    return found


def _pct(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.01"))


def series(
    tree: ScoreTree,
    framework: Framework,
    scope: Scope,
    *,
    node_id: int | None,
    groups: list[list[Period]],
    today: dt.date,
) -> list[list[TrendPoint]]:
    """One list of points per group of periods; runs and rows read together (two queries)."""
    runs = runs_for(framework, scope, [p for g in groups for p in g])
    cells = _cells(tree, scope, node_id, list({r.pk: r for r in runs.values()}.values()))
    found: list[list[TrendPoint]] = []
    for group in groups:
        points: list[TrendPoint] = []
        for period in group:
            run = runs[period.key]
            point = TrendPoint(period, run, cells[run.pk], period.start <= today < period.end)
            before = points[-1] if points else None
            now, then = point.cell.rate, before.cell.rate if before else None
            if now is not None and then is not None:
                point.delta_pp = _pct((now - then) * HUNDRED)
            points.append(point)
        found.append(points)
    return found


def weighted_average(
    years: list[TrendPoint], weights: tuple[Decimal, Decimal, Decimal]
) -> WeightedAverage:
    """Σ weight × 得分率 over the measured years, the weights renormalised over those years
    (exact: fractions, rounded to 0.01 percentage points at the end)."""
    items = [
        YearWeight(p.period.start.year, w, p.rate_pct) for p, w in zip(years, weights, strict=True)
    ]
    measured = [(p, i) for p, i in zip(years, items, strict=True) if p.measured and i.weight]
    total = sum((Fraction(str(i.weight)) for _p, i in measured), Fraction(0))
    if not total:
        return WeightedAverage(items, None, False)
    average = Fraction(0)
    for p, i in measured:
        share = Fraction(str(i.weight)) / total
        i.used_weight = q4(share)
        rate = p.cell.rate
        assert rate is not None
        average += share * Fraction(str(rate))
    renormalised = len(measured) < len(items)
    return WeightedAverage(items, _pct(q4(average * 100)), renormalised)


def trend(
    scope: Scope,
    *,
    grain: str = "month",
    node_id: int | None = None,
    today: dt.date | None = None,
    weights: tuple[Decimal, Decimal, Decimal] | None = None,
) -> Trend:
    """The node's scores over the last 12 months, 8 quarters or 5 years, and the weighted
    average of the last three years. A constant number of queries once every period's run is
    stored; the first look computes and stores the missing live runs."""
    if grain not in GRAINS:
        raise TrendError(f"unknown grain {grain!r}: use month, quarter or year")
    today = today or timezone.localdate()
    framework = default_framework()
    tree = load_tree(framework)
    if node_id is not None and node_id not in tree.nodes:
        raise TrendError("the node is not part of the framework in force")
    periods = periods_back(grain, GRAINS[grain], today)
    years = periods_back("year", 3, today)
    points, yearly = series(
        tree, framework, scope, node_id=node_id, groups=[periods, years], today=today
    )
    node = tree.nodes.get(node_id) if node_id is not None else None
    average = weighted_average(yearly, weights or settings.SCORE_TREND_WEIGHTS)
    return Trend(
        scope,
        grain,
        node_id,
        node.code if node else tree.code,
        node.name if node else tree.name,
        points,
        average,
        tree,
    )
