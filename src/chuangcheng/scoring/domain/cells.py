"""Turning evidence into points for one clause, and rolling clauses up the tree.

Exact arithmetic (fractions) until a clause's score is rounded to 4 places; parents then add the
rounded figures, so every parent is exactly the sum of its children as stored and shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from chuangcheng.frameworks.enums import Method
from chuangcheng.scoring.domain.evidence import Tally
from chuangcheng.scoring.domain.tree import Rule, ScoreTree, TreeNode
from chuangcheng.scoring.enums import FieldRule

PLACES = Decimal("0.0001")
ZERO = Decimal(0)


def q4(value: Fraction | Decimal | int) -> Decimal:
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    return Decimal(value).quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Cell:
    """The figures of one node in one scope."""

    max_score: Decimal
    score: Decimal | None = None
    measured_max: Decimal = ZERO
    coverage: Decimal = ZERO
    passed: int = 0
    failed: int = 0
    deduction: Decimal = ZERO
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def rate(self) -> Decimal | None:
        if self.score is None or not self.measured_max:
            return None
        return self.score / self.measured_max


def method_fraction(method: str, rule: Rule, node: TreeNode, tally: Tally) -> Fraction:
    """The share of the clause's 分值 earned by one method's evidence."""
    if method == Method.FIELD and rule.field_rule == FieldRule.DEDUCT:
        maximum = Fraction(str(node.max_score))
        if not maximum:
            return Fraction(0)
        kept = max(Fraction(0), maximum - rule.deduction * tally.failed)
        return kept / maximum
    ratio = tally.ratio
    return ratio if ratio is not None else Fraction(0)


def clause_cell(
    node: TreeNode, rule: Rule, tallies: dict[str, Tally], deduction: Decimal = ZERO
) -> Cell:
    """Score one clause in one scope from each method's tally and negative-list deductions.

    Methods with evidence share the points by their weights, renormalised over what was
    measured; coverage is the weight measured. A clause with no evidence at all is 未测 (None),
    unless a negative-list event deducted from it: then it starts from its full 分值.
    """
    maximum = node.max_score
    cell = Cell(max_score=maximum, deduction=deduction)
    measured = {
        m: t for m, t in tallies.items() if m in rule.weights and rule.weights[m] and t.total
    }
    earned: Fraction | None = None
    if measured:
        weight = sum((rule.weights[m] for m in measured), Fraction(0))
        share = sum(
            (rule.weights[m] * method_fraction(m, rule, node, t) for m, t in measured.items()),
            Fraction(0),
        )
        earned = share / weight * Fraction(str(maximum))
        cell.coverage = q4(weight)
        for m, t in measured.items():
            cell.detail[m] = {
                "positive": str(q4(t.positive)),
                "total": str(q4(t.total)),
                "failed": t.failed,
                "weight": str(q4(rule.weights[m])),
                "points": str(q4(method_fraction(m, rule, node, t) * Fraction(str(maximum)))),
            }
        field_tally = measured.get(Method.FIELD)
        if field_tally is not None:
            cell.passed = int(field_tally.positive)
            cell.failed = field_tally.failed
    if deduction:
        base = earned if earned is not None else Fraction(str(maximum))
        earned = max(Fraction(0), base - Fraction(str(deduction)))
        cell.detail["negative"] = str(q4(deduction))
    if earned is not None:
        cell.score = q4(earned)
        cell.measured_max = maximum
    return cell


def parent_cell(node: TreeNode, children: list[Cell]) -> Cell:
    """A parent adds its children: score (未测 when every child is), maxima, counts; its
    coverage is the children's coverage weighted by their maxima."""
    cell = Cell(max_score=sum((c.max_score for c in children), ZERO))
    scores = [c.score for c in children if c.score is not None]
    cell.score = sum(scores, ZERO) if scores else None
    cell.measured_max = sum((c.measured_max for c in children), ZERO)
    cell.passed = sum(c.passed for c in children)
    cell.failed = sum(c.failed for c in children)
    cell.deduction = sum((c.deduction for c in children), ZERO)
    if cell.max_score:
        weighted = sum((c.coverage * c.max_score for c in children), ZERO)
        cell.coverage = q4(weighted / cell.max_score)
    return cell


def roll_up(tree: ScoreTree, clauses: dict[int, Cell]) -> dict[int, Cell]:
    """Every node's cell for one scope, from the clause cells (missing clauses are 未测)."""
    cells: dict[int, Cell] = {}
    for node_id in tree.bottom_up():
        node = tree.nodes[node_id]
        if node.scored:
            cells[node_id] = clauses.get(node_id) or Cell(max_score=node.max_score)
        elif node.children:
            cells[node_id] = parent_cell(node, [cells[c] for c in node.children])
        else:
            cells[node_id] = Cell(max_score=ZERO)
    return cells


def total_cell(tree: ScoreTree, cells: dict[int, Cell]) -> Cell:
    """The framework as a whole: the sum of its top-level projects."""
    root = TreeNode(0, None, tree.code, tree.name, "framework", 0, None)
    return parent_cell(root, [cells[r] for r in tree.roots])
