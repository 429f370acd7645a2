"""Computing and storing score runs, in full or for the clauses a new inspection touched."""

from __future__ import annotations

import datetime as dt
import time
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from chuangcheng.cases.domain.periods import Period
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain.cells import Cell, clause_cell, parent_cell, roll_up
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally
from chuangcheng.scoring.domain.tree import ScoreTree, load_tree
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import NegativeEvent, NodeScore, ScoreRun

ZERO = Decimal(0)


class ScoringError(ValueError):
    """The run cannot be computed as asked; the message says why."""


def make_context(
    tree: ScoreTree,
    region: Region,
    period: Period,
    cutoff: dt.datetime,
    only_nodes: frozenset[int] | None = None,
) -> Context:
    start, end = period.bounds()
    subs = {r.path: r.pk for r in Region.objects.filter(parent=region).only("id", "path")}
    sub_region_of: dict[int, int] = {}
    depth = region.path.count("/") + 1
    for pk, path in Region.objects.filter(path__startswith=region.path).values_list("id", "path"):
        parts = path.split("/")
        prefix = "/".join(parts[:depth]) + "/"
        if prefix in subs:
            sub_region_of[pk] = subs[prefix]
    return Context(tree, region, start, end, cutoff, sub_region_of, only_nodes)


def run_period(run: ScoreRun) -> Period:
    """The period a stored run covers."""
    return Period(run.period_key, run.period_kind, run.period_start, run.period_end)


def sub_regions(region: Region) -> list[Region]:
    return list(Region.objects.filter(parent=region).order_by("seq", "code"))


def negative_deductions(ctx: Context) -> dict[int, dict[ScopeKey, Decimal]]:
    """Negative-list deductions by scored node and scope."""
    found: dict[int, dict[ScopeKey, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = NegativeEvent.objects.filter(
        clause__framework_id=ctx.tree.framework_id,
        occurred_on__gte=ctx.start.date(),
        occurred_on__lt=ctx.end.date(),
        recorded_at__lte=ctx.cutoff,
        region__path__startswith=ctx.region.path,
    ).values_list("clause_id", "region_id", "unit_id", "deduction")
    for clause_id, region_id, unit_id, deduction in rows:
        owner = ctx.tree.scored_of.get(clause_id)
        if owner is None or (ctx.only_nodes is not None and owner not in ctx.only_nodes):
            continue
        for key in ctx.scopes_for(region_id, (unit_id,)):
            found[owner][key] += deduction
    return found


def clause_cells(ctx: Context) -> dict[ScopeKey, dict[int, Cell]]:
    """Every scored node's cell in every scope that has evidence for it."""
    evidence = PROVIDERS.collect(ctx)
    negatives = negative_deductions(ctx)
    by_scope: dict[ScopeKey, dict[int, dict[str, Tally]]] = defaultdict(lambda: defaultdict(dict))
    for method, per_node in evidence.items():
        for node_id, per_scope in per_node.items():
            for key, tally in per_scope.items():
                by_scope[key][node_id][method] = tally
    for node_id, per_scope_d in negatives.items():
        for key in per_scope_d:
            by_scope[key].setdefault(node_id, {})
    cells: dict[ScopeKey, dict[int, Cell]] = {}
    for key, per_node_t in by_scope.items():
        cells[key] = {}
        for node_id, tallies in per_node_t.items():
            node = ctx.tree.nodes[node_id]
            deduction = negatives.get(node_id, {}).get(key, ZERO)
            cells[key][node_id] = clause_cell(node, ctx.tree.rules[node_id], tallies, deduction)
    return cells


def _row(run: ScoreRun, node_id: int, key: ScopeKey, cell: Cell) -> NodeScore:
    kind, pk = key
    return NodeScore(
        run=run,
        node_id=node_id,
        scope=kind,
        region_id=pk if kind == ScopeKind.REGION else None,
        unit_id=pk if kind == ScopeKind.UNIT else None,
        max_score=cell.max_score,
        score=cell.score,
        measured_max=cell.measured_max,
        coverage=cell.coverage,
        passed=cell.passed,
        failed=cell.failed,
        deduction=cell.deduction,
        detail=cell.detail,
    )


def _stored(key: ScopeKey, cell: Cell) -> bool:
    """Whether a cell is written. A unit's tree stores only nodes with evidence (a unit has
    evidence for a few clauses; readers show a missing row as 未测); regions store every node."""
    return key[0] == ScopeKind.REGION or cell.score is not None or bool(cell.passed + cell.failed)


def _scopes(region: Region, cells: dict[ScopeKey, dict[int, Cell]]) -> list[ScopeKey]:
    """The run's region and every street always; units only where they have evidence."""
    keys: list[ScopeKey] = [(ScopeKind.REGION, region.pk)]
    keys += [(ScopeKind.REGION, r.pk) for r in sub_regions(region)]
    keys += sorted(k for k in cells if k[0] == ScopeKind.UNIT)
    return keys


def compute_run(
    *,
    framework: Framework,
    region: Region,
    period: Period,
    actor: Any = None,
    kind: str = RunKind.SNAPSHOT,
    cutoff: dt.datetime | None = None,
    note: str = "",
) -> ScoreRun:
    """Score the framework for the period over the region with the evidence received by
    ``cutoff`` (now by default) and store it. A SNAPSHOT is a new run; LIVE replaces the rows
    of the one live run for the framework, region and period."""
    if kind not in RunKind.values:
        raise ScoringError(f"unknown run kind {kind!r}")
    began = time.perf_counter()
    cutoff = cutoff or timezone.now()
    tree = load_tree(framework)
    ctx = make_context(tree, region, period, cutoff)
    cells = clause_cells(ctx)
    with transaction.atomic():
        if kind == RunKind.LIVE:
            run, _created = ScoreRun.objects.select_for_update().get_or_create(
                framework=framework,
                region=region,
                period_key=period.key,
                kind=RunKind.LIVE,
                defaults=_run_fields(period, cutoff, actor),
            )
            run.rows.all().delete()
            run.cutoff = cutoff
        else:
            run = ScoreRun.objects.create(
                framework=framework,
                region=region,
                period_key=period.key,
                kind=kind,
                note=note,
                **_run_fields(period, cutoff, actor),
            )
        rows: list[NodeScore] = []
        for key in _scopes(region, cells):
            for node_id, cell in roll_up(tree, cells.get(key, {})).items():
                if _stored(key, cell):
                    rows.append(_row(run, node_id, key, cell))
        NodeScore.objects.bulk_create(rows, batch_size=2000)
        run.duration_ms = int((time.perf_counter() - began) * 1000)
        run.save(update_fields=["cutoff", "duration_ms", "updated_at"])
        audit.record(
            actor,
            AuditAction.CREATE,
            run,
            object_type="scoring.run",
            object_repr=f"{framework.code} · {region.name} · {period.key} · {kind}",
            note=f"{len(rows)} rows",
        )
    return run


def _run_fields(period: Period, cutoff: dt.datetime, actor: Any) -> dict[str, Any]:
    return {
        "period_kind": period.kind,
        "period_start": period.start,
        "period_end": period.end,
        "cutoff": cutoff,
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
    }


def cell_from_row(row: NodeScore) -> Cell:
    """The stored figures of a row as a Cell."""
    return Cell(
        max_score=row.max_score,
        score=row.score,
        measured_max=row.measured_max,
        coverage=row.coverage,
        passed=row.passed,
        failed=row.failed,
        deduction=row.deduction,
        detail=row.detail,
    )


def _key(row: NodeScore) -> ScopeKey:
    if row.scope == ScopeKind.UNIT:
        assert row.unit_id is not None
        return (ScopeKind.UNIT, row.unit_id)
    assert row.region_id is not None
    return (ScopeKind.REGION, row.region_id)


def update_live(
    run: ScoreRun,
    scored_ids: set[int],
    *,
    cutoff: dt.datetime | None = None,
    tree: ScoreTree | None = None,
) -> int:
    """Recompute the given clauses of a live run in every scope, and their ancestors.

    Unaffected clauses keep their stored cells; only rows whose figures changed are written.
    Returns the number of rows written.
    """
    if run.kind != RunKind.LIVE:
        raise ScoringError("only a live run follows new evidence")
    cutoff = cutoff or timezone.now()
    if tree is None or tree.framework_id != run.framework_id:
        tree = load_tree(run.framework_id)
    affected = frozenset(n for n in scored_ids if n in tree.nodes and tree.nodes[n].scored)
    if not affected:
        return 0
    ctx = make_context(tree, run.region, run_period(run), cutoff, only_nodes=affected)
    fresh = clause_cells(ctx)
    # Only the affected clauses, their ancestors and the ancestors' children are read: the
    # ancestors are re-added from their children, everything else keeps its stored row.
    ancestors = {a for n in affected for a in tree.ancestors(n)}
    needed = affected | ancestors | {c for a in ancestors for c in tree.nodes[a].children}
    order = [n for n in tree.bottom_up() if n in ancestors]
    with transaction.atomic():
        run = ScoreRun.objects.select_for_update().get(pk=run.pk)
        stored: dict[ScopeKey, dict[int, NodeScore]] = defaultdict(dict)
        for row in run.rows.filter(node_id__in=needed):
            stored[_key(row)][row.node_id] = row
        keys = list(dict.fromkeys([*stored, *fresh]))
        changed: list[NodeScore] = []
        created: list[NodeScore] = []
        for key in keys:
            rows = stored.get(key, {})
            cells = {n: cell_from_row(r) for n, r in rows.items()}
            for node_id in affected:
                cells[node_id] = fresh.get(key, {}).get(node_id) or Cell(
                    max_score=tree.nodes[node_id].max_score
                )
            for node_id in order:
                node = tree.nodes[node_id]
                kids = [
                    cells.get(c) or Cell(max_score=tree.nodes[c].max_score) for c in node.children
                ]
                cells[node_id] = parent_cell(node, kids)
            for node_id in (*affected, *order):
                cell, old = cells[node_id], rows.get(node_id)
                if old is None:
                    if _stored(key, cell):
                        created.append(_row(run, node_id, key, cell))
                elif cell_from_row(old) != cell:
                    for name, value in vars(cell).items():
                        setattr(old, name, value)
                    changed.append(old)
        NodeScore.objects.bulk_update(
            changed,
            [
                "max_score",
                "score",
                "measured_max",
                "coverage",
                "passed",
                "failed",
                "deduction",
                "detail",
            ],
            batch_size=1000,
        )
        NodeScore.objects.bulk_create(created, batch_size=1000)
        run.cutoff = cutoff
        run.save(update_fields=["cutoff", "updated_at"])
    return len(changed) + len(created)
