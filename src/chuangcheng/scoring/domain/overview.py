"""What the score overview shows beside a scope's tree: the streets and the units of a run side
by side (total and per project), and the clauses a unit leads. Each in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.cells import Cell, total_cell
from chuangcheng.scoring.domain.compute import sub_regions
from chuangcheng.scoring.domain.reading import cell_of
from chuangcheng.scoring.domain.tree import ScoreTree, TreeNode
from chuangcheng.scoring.enums import ScopeKind
from chuangcheng.scoring.models import ScoreRun


@dataclass
class CompareRow:
    """One street or unit: the framework total and each project's figures."""

    region: Region | None
    unit: Unit | None
    total: Cell
    projects: list[tuple[TreeNode, Cell]] = field(default_factory=list)

    @property
    def name(self) -> str:
        if self.unit is not None:
            return self.unit.short_name or self.unit.name
        assert self.region is not None
        return self.region.name

    @property
    def code(self) -> str:
        if self.unit is not None:
            return self.unit.code
        assert self.region is not None
        return self.region.code


def _cells_by_owner(
    tree: ScoreTree, rows: list[tuple[int, int, Cell]]
) -> dict[int, dict[int, Cell]]:
    found: dict[int, dict[int, Cell]] = defaultdict(dict)
    for owner, node_id, cell in rows:
        found[owner][node_id] = cell
    return found


def _compare(tree: ScoreTree, cells: dict[int, Cell]) -> tuple[Cell, list[tuple[TreeNode, Cell]]]:
    projects = [(tree.nodes[r], cells.get(r) or cell_of(None, tree.nodes[r])) for r in tree.roots]
    return total_cell(tree, {n.id: c for n, c in projects}), projects


def street_rows(run: ScoreRun, tree: ScoreTree) -> list[CompareRow]:
    """Every sub-region of the run (always present, 未测 included), in their order (2 queries)."""
    streets = sub_regions(run.region)
    rows = run.rows.filter(
        scope=ScopeKind.REGION, region__in=[s.pk for s in streets], node_id__in=tree.roots
    )
    by_owner = _cells_by_owner(
        tree,
        [(r.region_id or 0, r.node_id, cell_of(r, tree.nodes[r.node_id])) for r in rows],
    )
    found = []
    for street in streets:
        total, projects = _compare(tree, by_owner.get(street.pk, {}))
        found.append(CompareRow(street, None, total, projects))
    return found


def unit_rows(run: ScoreRun, tree: ScoreTree, only: set[int] | None = None) -> list[CompareRow]:
    """Every unit scored in the run (it had evidence), by code (1 query); ``only`` restricts
    them to some units."""
    rows = run.rows.filter(scope=ScopeKind.UNIT, node_id__in=tree.roots).select_related("unit")
    if only is not None:
        rows = rows.filter(unit_id__in=only)
    units: dict[int, Unit] = {}
    collected = []
    for r in rows:
        assert r.unit is not None
        units[r.unit.pk] = r.unit
        collected.append((r.unit.pk, r.node_id, cell_of(r, tree.nodes[r.node_id])))
    by_owner = _cells_by_owner(tree, collected)
    found = []
    for unit in sorted(units.values(), key=lambda u: u.code):
        total, projects = _compare(tree, by_owner[unit.pk])
        found.append(CompareRow(None, unit, total, projects))
    return found


@dataclass
class LedRow:
    node: TreeNode
    unit: Unit
    cell: Cell

    @property
    def lost(self) -> Decimal:
        if self.cell.score is None:
            return Decimal(0)
        return self.cell.measured_max - self.cell.score


def led_rows(run: ScoreRun, tree: ScoreTree, unit_ids: set[int]) -> list[LedRow]:
    """The run region's figures of the nodes led by ``unit_ids``, in framework order (2
    queries)."""
    led = [n for n in tree.nodes.values() if n.lead_unit_id in unit_ids]
    if not led:
        return []
    units = {u.pk: u for u in Unit.objects.filter(pk__in={n.lead_unit_id for n in led})}
    rows = {
        r.node_id: r
        for r in run.rows.filter(
            scope=ScopeKind.REGION, region_id=run.region_id, node_id__in=[n.id for n in led]
        )
    }
    led.sort(key=lambda n: n.seq)
    return [
        LedRow(n, units[n.lead_unit_id], cell_of(rows.get(n.id), n))  # type: ignore[index]
        for n in led
    ]
