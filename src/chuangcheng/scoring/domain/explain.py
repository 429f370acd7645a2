"""Explaining one node's figure in one scope of a run: its children (which add up to it), the
clause's rule in words, each method's evidence, the negative-list events and the observations
behind it — exactly those the engine counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from chuangcheng.frameworks.enums import Method
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Observation
from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain.cells import Cell, parent_cell, q4
from chuangcheng.scoring.domain.compute import make_context, run_period
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.evidence_field import POINT, judged_observations
from chuangcheng.scoring.domain.reading import cell_of, scope_rows
from chuangcheng.scoring.domain.tree import ScoreTree, TreeNode
from chuangcheng.scoring.enums import FieldRule, ScopeKind
from chuangcheng.scoring.models import NegativeEvent, ScoreRun


@dataclass
class MethodEvidence:
    """One method's tally for a clause as stored in the row's ``detail``."""

    method: str
    label: str
    positive: Decimal
    total: Decimal
    failed: int
    weight: Decimal
    points: Decimal

    @property
    def rate(self) -> Decimal | None:
        return self.positive / self.total if self.total else None

    @property
    def is_survey(self) -> bool:
        return self.method == Method.SURVEY


@dataclass
class RuleWords:
    """The clause's rule as a sentence and its method weights (shares summing to 1)."""

    formula: str
    weights: list[tuple[str, Decimal]]


@dataclass
class Explained:
    node: TreeNode | None
    cell: Cell
    ancestors: list[TreeNode]
    children: list[tuple[TreeNode, Cell]] = field(default_factory=list)
    children_sum: Cell | None = None
    rule: RuleWords | None = None
    methods: list[MethodEvidence] = field(default_factory=list)
    negative: Decimal | None = None


def method_label(method: str) -> str:
    return str(Method(method).label) if method in Method.values else method


def rule_words(tree: ScoreTree, node_id: int) -> RuleWords:
    """How the clause turns evidence into points, in words."""
    rule = tree.rules[node_id]
    if rule.field_rule == FieldRule.DEDUCT:
        formula = _("Points − %(d)s × non-compliant observations, not below 0") % {
            "d": q4(rule.deduction).normalize()
        }
    else:
        formula = _("Compliance rate × points")
    weights = [(method_label(m), q4(w)) for m, w in sorted(rule.weights.items())]
    return RuleWords(formula, weights)


def method_evidence(detail: dict[str, Any]) -> list[MethodEvidence]:
    found = []
    for method, figures in sorted(detail.items()):
        if not isinstance(figures, dict):
            continue
        found.append(
            MethodEvidence(
                method=method,
                label=method_label(method),
                positive=Decimal(figures["positive"]),
                total=Decimal(figures["total"]),
                failed=int(figures["failed"]),
                weight=Decimal(figures["weight"]),
                points=Decimal(figures["points"]),
            )
        )
    return found


def explain(run: ScoreRun, tree: ScoreTree, node_id: int, key: ScopeKey) -> Explained:
    """A node's figures in a scope with its children and, for a clause, its rule and evidence
    (1 query for the scope's rows)."""
    rows = scope_rows(run, key)
    node = tree.nodes[node_id]
    cell = cell_of(rows.get(node_id), node)
    ancestors = [tree.nodes[a] for a in reversed(tree.ancestors(node_id))]
    found = Explained(node, cell, ancestors)
    if node.children:
        found.children = [
            (tree.nodes[c], cell_of(rows.get(c), tree.nodes[c])) for c in node.children
        ]
        found.children_sum = parent_cell(node, [c for _n, c in found.children])
    if node.scored:
        found.rule = rule_words(tree, node_id)
        found.methods = method_evidence(cell.detail)
        if "negative" in cell.detail:
            found.negative = Decimal(cell.detail["negative"])
    return found


def items_of(tree: ScoreTree, node_id: int) -> list[int]:
    """The clause and the check items under it: observations of any of them count for it."""
    return [n for n, owner in tree.scored_of.items() if owner == node_id]


def _street_path(run: ScoreRun, key: ScopeKey) -> str | None:
    """The path a region scope below the run's region restricts to (None: no restriction)."""
    kind, pk = key
    if kind == ScopeKind.UNIT or pk == run.region_id:
        return None
    return Region.objects.filter(pk=pk).values_list("path", flat=True).first() or "-"


def observations_behind(
    run: ScoreRun, tree: ScoreTree, node_id: int, key: ScopeKey
) -> QuerySet[Observation]:
    """The judged observations a clause's figure in a scope counted, newest first: the engine's
    own query (:func:`judged_observations` for the run's context) restricted to the clause and
    the scope (a street: points in it; a unit: points it answers for, territorially or by line).
    """
    ctx = make_context(tree, run.region, run_period(run), run.cutoff)
    qs: QuerySet[Observation] = judged_observations(ctx)  # type: ignore[assignment]
    qs = qs.filter(clause_id__in=items_of(tree, node_id))
    kind, pk = key
    if kind == ScopeKind.UNIT:
        qs = qs.filter(Q(**{f"{POINT}territorial_unit_id": pk}) | Q(**{f"{POINT}line_unit_id": pk}))
    elif (path := _street_path(run, key)) is not None:
        qs = qs.filter(**{f"{POINT}region__path__startswith": path})
    return qs.order_by("-inspection__observed_at", "inspection_id", "clause__seq")


def observation_counts(qs: QuerySet[Observation]) -> tuple[int, int]:
    """(passed, failed) among the observations (1 query)."""
    passed = failed = 0
    for result, n in qs.order_by().values_list("result").annotate(n=Count("id")):
        if result == Result.PASS:
            passed = n
        elif result == Result.FAIL:
            failed = n
    return passed, failed


def negative_events(
    run: ScoreRun, tree: ScoreTree, node_id: int, key: ScopeKey
) -> QuerySet[NegativeEvent]:
    """The negative-list events the clause's figure in a scope deducted (as the engine counts
    them: in the period, recorded by the cut-off, inside the run's region)."""
    qs = NegativeEvent.objects.filter(
        clause_id__in=items_of(tree, node_id),
        occurred_on__gte=run.period_start,
        occurred_on__lt=run.period_end,
        recorded_at__lte=run.cutoff,
        region__path__startswith=run.region.path,
    ).select_related("region", "unit", "clause")
    kind, pk = key
    if kind == ScopeKind.UNIT:
        return qs.filter(unit_id=pk)
    if (path := _street_path(run, key)) is not None:
        return qs.filter(region__path__startswith=path)
    return qs
