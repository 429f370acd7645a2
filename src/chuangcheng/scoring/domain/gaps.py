"""Where to act first: the clauses losing the most points in each street (or unit), with the
open cases that would recover them and exactly how much.

For each scored node and row scope of the live run, ``lost = measured_max − score``. The open
cases are those produced by failed observations counted in the run for that clause there. The
points recoverable are computed, not estimated: the clause cell is rebuilt with those failures
counted as passes (:func:`whatif.projected_cell`). Rows are ordered by points recoverable per
open case, then by points lost; rows without an open case come last.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chuangcheng.cases.domain.periods import Period
from chuangcheng.scoring.domain.analysis_scope import Scope
from chuangcheng.scoring.domain.cells import Cell, q4, total_cell
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.reading import cell_of
from chuangcheng.scoring.domain.tree import TreeNode
from chuangcheng.scoring.domain.whatif import (
    Basis,
    FailedObservation,
    basis_for,
    clause_evidence,
    failed_observations,
    open_case_condition,
    projected_cell,
    rows_of,
)
from chuangcheng.scoring.enums import ScopeKind

ZERO = Decimal(0)


@dataclass
class GapRow:
    """One clause in one street (or unit): what it lost and what its open cases would win back."""

    node: TreeNode
    key: ScopeKey
    scope_name: str
    max_score: Decimal
    measured_max: Decimal
    score: Decimal
    cases: list[FailedObservation] = field(default_factory=list)
    recoverable: Decimal = ZERO
    projected: Decimal | None = None

    @property
    def lost(self) -> Decimal:
        return self.measured_max - self.score

    @property
    def open_cases(self) -> int:
        return len(self.cases)

    @property
    def per_case(self) -> Decimal | None:
        """Points recoverable per open case (None without one)."""
        return q4(self.recoverable / len(self.cases)) if self.cases else None


@dataclass
class GapList:
    basis: Basis
    scope: Scope
    rows: list[GapRow]
    # The whole scope if every listed open case's observation passed on re-inspection.
    total: Cell | None = None  # the scope's framework total now
    total_recoverable: Decimal = ZERO

    @property
    def lost(self) -> Decimal:
        return sum((r.lost for r in self.rows), ZERO)

    @property
    def open_cases(self) -> int:
        return sum(r.open_cases for r in self.rows)

    @property
    def case_ids(self) -> list[int]:
        return [o.case_id for r in self.rows for o in r.cases if o.case_id is not None]


def _sort_key(row: GapRow) -> tuple[int, Decimal, Decimal, int]:
    per_case = row.per_case
    return (per_case is None, -(per_case or ZERO), -row.lost, row.node.seq)


def gap_list(user: Any, scope: Scope, period: Period) -> GapList:
    """The scope's losing clauses by street (or for the unit), each with its open cases and the
    points they would recover, best value first. A constant number of queries."""
    basis = basis_for(scope, period)
    tree, run = basis.tree, basis.run
    kinds = {k[0] for k in scope.row_keys}
    rows_qs = run.rows.filter(score__isnull=False, node_id__in=tree.scored_ids())
    if kinds == {ScopeKind.UNIT}:
        rows_qs = rows_qs.filter(scope=ScopeKind.UNIT, unit_id__in=[k[1] for k in scope.row_keys])
    else:
        rows_qs = rows_qs.filter(
            scope=ScopeKind.REGION, region_id__in=[k[1] for k in scope.row_keys]
        )
    rows: dict[tuple[int, ScopeKey], GapRow] = {}
    for r in rows_qs.only(
        "node_id", "scope", "region_id", "unit_id", "max_score", "score", "measured_max"
    ):
        if r.score is None or r.score >= r.measured_max:
            continue
        key: ScopeKey = (r.scope, r.unit_id if r.scope == ScopeKind.UNIT else r.region_id)  # type: ignore[assignment]
        rows[(r.node_id, key)] = GapRow(
            tree.nodes[r.node_id],
            key,
            scope.row_names.get(key, ""),
            r.max_score,
            r.measured_max,
            r.score,
        )
    failed = failed_observations(basis.ctx, open_case_condition(user), scope, scope.row_keys)
    for obs in failed:
        for key in obs.keys:
            row = rows.get((obs.owner, key))
            if row is not None:
                row.cases.append(obs)
    tallies, negatives = clause_evidence(basis.ctx, {o.owner for o in failed})
    for row in rows.values():
        if not row.cases:
            continue
        before = projected_cell(tree, row.node.id, row.key, tallies, negatives)
        after = projected_cell(
            tree, row.node.id, row.key, tallies, negatives, flipped=len(row.cases)
        )
        row.projected = after.score
        row.recoverable = (after.score or ZERO) - (before.score or ZERO)
    result = GapList(basis, scope, sorted(rows.values(), key=_sort_key))
    _scope_total(result, failed, tallies, negatives)
    return result


def _scope_total(
    result: GapList, failed: list[FailedObservation], tallies: Any, negatives: Any
) -> None:
    """What the scope as a whole (the district, the street or the unit) would gain if every
    listed open case's observation passed: each affected clause recomputed there."""
    key = result.scope.key
    tree = result.basis.tree
    counts: dict[int, int] = defaultdict(int)
    listed = {o.id for r in result.rows for o in r.cases}
    for obs in failed:
        if obs.id in listed and key in obs.keys:
            counts[obs.owner] += 1
    gain = ZERO
    for node_id, n in counts.items():
        before = projected_cell(tree, node_id, key, tallies, negatives)
        after = projected_cell(tree, node_id, key, tallies, negatives, flipped=n)
        gain += (after.score or ZERO) - (before.score or ZERO)
    result.total_recoverable = gain
    roots = rows_of(result.basis.run, key, tree.roots)
    result.total = total_cell(tree, {r: cell_of(roots.get(r), tree.nodes[r]) for r in tree.roots})
