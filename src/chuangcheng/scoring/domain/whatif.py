"""What if some failed observations had passed? Exact projections, computed, never stored.

The field evidence of the affected clauses is read again as the run saw it (same period, same
cut-off), the chosen failed observations are counted as passes in every scope they count in,
and the clause cells are rebuilt with :func:`cells.clause_cell` and rolled up with
:func:`cells.roll_up`. Nothing is written.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Q

from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.enums import OPEN_STATES
from chuangcheng.cases.models import Case
from chuangcheng.frameworks.enums import Method
from chuangcheng.inspections.enums import Result
from chuangcheng.points.models import Point
from chuangcheng.scoring.domain.analysis_scope import Scope
from chuangcheng.scoring.domain.cells import Cell, clause_cell, roll_up, total_cell
from chuangcheng.scoring.domain.compute import make_context, negative_deductions
from chuangcheng.scoring.domain.evidence import PROVIDERS, Context, ScopeKey, Tally
from chuangcheng.scoring.domain.evidence_field import POINT, judged_observations
from chuangcheng.scoring.domain.reading import cell_of, default_framework, live_run
from chuangcheng.scoring.domain.tree import ScoreTree, load_tree
from chuangcheng.scoring.enums import ScopeKind
from chuangcheng.scoring.models import NodeScore, ScoreRun

ZERO = Decimal(0)


class NotVisibleError(LookupError):
    """Something asked for does not exist for this user (answered with 404, saying no more)."""


@dataclass(frozen=True)
class FailedObservation:
    """A failed observation counted in a run, where it counts, and the case it produced."""

    id: int
    owner: int  # the scored node it counts for
    keys: tuple[ScopeKey, ...]
    point_id: int
    point_name: str
    case_id: int | None
    case_number: str
    case_status: str


@dataclass
class Basis:
    """What a projection starts from: the run, its tree and the context it was computed with."""

    run: ScoreRun
    tree: ScoreTree
    ctx: Context
    period: Period


def basis_for(scope: Scope, period: Period) -> Basis:
    """The live run of the framework in force for the scope's region and period (computed on
    first use) and the context that reproduces it."""
    framework = default_framework()
    run = live_run(framework, scope.run_region, period)
    tree = load_tree(framework)
    ctx = make_context(tree, run.region, period, run.cutoff)
    return Basis(run, tree, ctx, period)


def scope_condition(scope: Scope) -> Q:
    """Narrows observations to the points of a street or a unit (the district: no narrowing)."""
    if scope.unit is not None:
        pk = scope.unit.pk
        return Q(**{f"{POINT}territorial_unit_id": pk}) | Q(**{f"{POINT}line_unit_id": pk})
    assert scope.region is not None
    if scope.region.pk == scope.run_region.pk:
        return Q()
    return Q(**{f"{POINT}region__path__startswith": scope.region.path})


def failed_observations(
    ctx: Context, condition: Q, scope: Scope, keys: Collection[ScopeKey]
) -> list[FailedObservation]:
    """The failed observations counted in the context that meet ``condition`` and count in one
    of ``keys`` (one query)."""
    qs: Any = judged_observations(ctx)
    rows = (
        qs.filter(condition, scope_condition(scope), result=Result.FAIL)
        .values_list(
            "id",
            "clause_id",
            f"{POINT}id",
            f"{POINT}name",
            f"{POINT}region_id",
            f"{POINT}territorial_unit_id",
            f"{POINT}line_unit_id",
            "case_id",
            "case__number",
            "case__status",
        )
        .order_by("id")
    )
    found: list[FailedObservation] = []
    for pk, clause, point, name, region, territorial, line, case, number, status in rows:
        owner = ctx.tree.scored_of.get(clause)
        if owner is None:
            continue
        where = tuple(ctx.scopes_for(region, (territorial, line)))
        if not any(k in keys for k in where):
            continue
        found.append(
            FailedObservation(pk, owner, where, point, name, case, number or "", status or "")
        )
    return found


def open_case_condition(user: Any) -> Q:
    """Failed observations whose case is open and visible to ``user``."""
    return Q(case__status__in=OPEN_STATES, case__in=Case.objects.visible_to(user).values("pk"))


def rows_of(
    run: ScoreRun, key: ScopeKey, nodes: Iterable[int] | None = None
) -> dict[int, NodeScore]:
    """The run's stored rows of one scope (of the given nodes only, when given); one query."""
    kind, pk = key
    qs = run.rows.filter(scope=kind)
    qs = qs.filter(unit_id=pk) if kind == ScopeKind.UNIT else qs.filter(region_id=pk)
    if nodes is not None:
        qs = qs.filter(node_id__in=list(nodes))
    return {r.node_id: r for r in qs}


# scored node -> scope -> method -> tally
Tallies = dict[int, dict[ScopeKey, dict[str, Tally]]]


def clause_evidence(ctx: Context, nodes: Iterable[int]) -> tuple[Tallies, dict[int, Any]]:
    """Every method's tallies and the negative-list deductions of the given clauses, as the
    run's context sees them (one query per provider, one for negative events)."""
    only = frozenset(nodes)
    if not only:
        return {}, {}
    narrow = dataclasses.replace(ctx, only_nodes=only)
    tallies: Tallies = defaultdict(lambda: defaultdict(dict))
    for method, per_node in PROVIDERS.collect(narrow).items():
        for node_id, per_scope in per_node.items():
            for key, tally in per_scope.items():
                tallies[node_id][key][method] = tally
    return tallies, negative_deductions(narrow)


def projected_cell(
    tree: ScoreTree,
    node_id: int,
    key: ScopeKey,
    tallies: Tallies,
    negatives: dict[int, Any],
    *,
    flipped: int = 0,
) -> Cell:
    """The clause's cell in one scope with ``flipped`` of its failed field observations counted
    as passes instead."""
    methods = {m: Tally(t.positive, t.total, t.failed) for m, t in tallies[node_id][key].items()}
    field_tally = methods.get(Method.FIELD)
    if flipped:
        if field_tally is None or flipped > field_tally.failed:
            raise ValueError("more observations flipped than failed")
        field_tally.positive += Fraction(flipped)
        field_tally.failed -= flipped
    deduction = negatives.get(node_id, {}).get(key, ZERO)
    return clause_cell(tree.nodes[node_id], tree.rules[node_id], methods, deduction)


@dataclass
class NodeChange:
    """One node of the projected tree: its figures now and projected."""

    node_id: int | None
    code: str
    name: str
    level: str
    depth: int
    now: Cell
    projected: Cell

    @property
    def delta(self) -> Decimal:
        return (self.projected.score or ZERO) - (self.now.score or ZERO)


@dataclass
class WhatIf:
    """The projected tree of one scope when the chosen observations pass."""

    basis: Basis
    scope: Scope
    flipped: list[FailedObservation]
    case_ids: list[int]
    point_ids: list[int]
    ignored_cases: list[int] = field(default_factory=list)  # visible, but change nothing here
    ignored_points: list[int] = field(default_factory=list)
    total: NodeChange | None = None
    outline: list[NodeChange] = field(default_factory=list)  # projects and indicators
    clauses: list[NodeChange] = field(default_factory=list)  # scored nodes that change


def check_visible(user: Any, case_ids: list[int], point_ids: list[int]) -> None:
    """Raise NotVisibleError naming the first case or point the user may not see (or that does not
    exist: the two are not told apart)."""
    seen_cases = set(
        Case.objects.visible_to(user).filter(pk__in=case_ids).values_list("pk", flat=True)
    )
    for pk in case_ids:
        if pk not in seen_cases:
            raise NotVisibleError(f"case {pk}")
    seen_points = set(
        Point.objects.visible_to(user).filter(pk__in=point_ids).values_list("pk", flat=True)
    )
    for pk in point_ids:
        if pk not in seen_points:
            raise NotVisibleError(f"point {pk}")


def what_if(
    user: Any, scope: Scope, period: Period, *, case_ids: list[int], point_ids: list[int]
) -> WhatIf:
    """Project the scope's tree if the failed observations behind the chosen open cases, and
    every failed observation at the chosen points, passed on re-inspection.

    Cases or points the user may not see raise :class:`NotVisibleError`. Chosen cases that are not
    open or produced by no failed observation counted here, and points without one, are listed
    as ignored. The current figures are the run's stored rows.
    """
    case_ids = list(dict.fromkeys(case_ids))
    point_ids = list(dict.fromkeys(point_ids))
    check_visible(user, case_ids, point_ids)
    basis = basis_for(scope, period)
    result = WhatIf(basis, scope, [], case_ids, point_ids)
    if case_ids or point_ids:
        cond = Q(case_id__in=case_ids, case__status__in=OPEN_STATES) | Q(
            **{f"{POINT}id__in": point_ids}
        )
        result.flipped = failed_observations(basis.ctx, cond, result.scope, [scope.key])
    hit_cases = {o.case_id for o in result.flipped}
    hit_points = {o.point_id for o in result.flipped}
    result.ignored_cases = [c for c in case_ids if c not in hit_cases]
    result.ignored_points = [p for p in point_ids if p not in hit_points]
    _project(result)
    return result


def _project(result: WhatIf) -> None:
    basis, key = result.basis, result.scope.key
    tree = basis.tree
    counts: dict[int, int] = defaultdict(int)
    for obs in result.flipped:
        counts[obs.owner] += 1
    tallies, negatives = clause_evidence(basis.ctx, counts)
    rows = rows_of(basis.run, key)
    now_clauses = {n: cell_of(rows.get(n), tree.nodes[n]) for n in tree.scored_ids()}
    projected_clauses = dict(now_clauses)
    for node_id, n in counts.items():
        projected_clauses[node_id] = projected_cell(
            tree, node_id, key, tallies, negatives, flipped=n
        )
    now = roll_up(tree, now_clauses)
    projected = roll_up(tree, projected_clauses)
    result.total = NodeChange(
        None,
        tree.code,
        tree.name,
        "framework",
        0,
        total_cell(tree, now),
        total_cell(tree, projected),
    )
    for root in tree.roots:
        for node_id, depth in [(root, 1)] + [(c, 2) for c in tree.nodes[root].children]:
            node = tree.nodes[node_id]
            change = NodeChange(
                node_id, node.code, node.name, node.level, depth, now[node_id], projected[node_id]
            )
            result.outline.append(change)
    for node_id in sorted(counts, key=lambda n: tree.nodes[n].seq):
        node = tree.nodes[node_id]
        result.clauses.append(
            NodeChange(
                node_id,
                node.code,
                node.name,
                node.level,
                len(tree.ancestors(node_id)),
                now[node_id],
                projected[node_id],
            )
        )
