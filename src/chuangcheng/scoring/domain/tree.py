"""The framework as a score tree: which nodes carry a 分值 and what each node's maximum is.

A *scored node* carries a score (a standard, or a 测评内容 whose standards share one merged score
cell). Nodes under a scored node are its check items: their observations count for it. Nodes
above are rolled up: their maximum is the sum of their children's.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.scoring.enums import FieldRule
from chuangcheng.scoring.models import ClauseRule


@dataclass
class TreeNode:
    id: int
    parent_id: int | None
    code: str
    name: str
    level: str
    seq: int
    lead_unit_id: int | None
    max_score: Decimal = Decimal(0)
    scored: bool = False
    methods: list[str] = field(default_factory=list)  # of the scored node and its items
    children: list[int] = field(default_factory=list)  # rolled-up children only


@dataclass(frozen=True)
class Rule:
    field_rule: str
    deduction: Fraction
    weights: dict[str, Fraction]  # method -> share, over the clause's methods


@dataclass
class ScoreTree:
    framework_id: int
    code: str
    name: str
    nodes: dict[int, TreeNode]
    roots: list[int]
    scored_of: dict[int, int]  # any node at or under a scored node -> that scored node
    rules: dict[int, Rule]

    @property
    def max_score(self) -> Decimal:
        return sum((self.nodes[r].max_score for r in self.roots), Decimal(0))

    def scored_ids(self) -> list[int]:
        return [n.id for n in self.nodes.values() if n.scored]

    def bottom_up(self) -> list[int]:
        """Every node of the tree, children before parents."""
        order: list[int] = []

        def visit(node_id: int) -> None:
            for child in self.nodes[node_id].children:
                visit(child)
            order.append(node_id)

        for root in self.roots:
            visit(root)
        return order

    def top_down(self) -> list[int]:
        return self.bottom_up()[::-1]

    def ancestors(self, node_id: int) -> list[int]:
        found: list[int] = []
        parent = self.nodes[node_id].parent_id
        while parent is not None:
            found.append(parent)
            parent = self.nodes[parent].parent_id
        return found


def default_rule(methods: list[str]) -> Rule:
    share = Fraction(1, len(methods)) if methods else Fraction(0)
    return Rule(FieldRule.RATIO, Fraction(1, 2), dict.fromkeys(methods, share))


def rule_from(row: ClauseRule | None, methods: list[str]) -> Rule:
    """The clause's rule; weights are normalised over its own methods (a weight given for a
    method the clause does not use is ignored, a method left out weighs nothing)."""
    if row is None:
        return default_rule(methods)
    given = {m: Fraction(str(w)) for m, w in (row.weights or {}).items() if m in methods}
    total = sum(given.values(), Fraction(0))
    weights = {m: w / total for m, w in given.items() if w} if total else {}
    base = default_rule(methods)
    return Rule(row.field_rule, Fraction(str(row.deduction)), weights or base.weights)


def load_tree(framework: Framework | int) -> ScoreTree:
    """The score tree of a framework (3 queries)."""
    fw = framework if isinstance(framework, Framework) else Framework.objects.get(pk=framework)
    rows = list(
        Node.objects.filter(framework=fw)
        .only("id", "parent_id", "level", "seq", "number", "text", "score", "methods", "lead_unit")
        .order_by("seq")
    )
    rule_rows = {r.node_id: r for r in ClauseRule.objects.filter(node__framework=fw)}
    by_id = {n.pk: n for n in rows}
    nodes: dict[int, TreeNode] = {}
    scored_of: dict[int, int] = {}

    def scored_ancestor(n: Node) -> int | None:
        cur: Node | None = n
        while cur is not None:
            if cur.score is not None:
                return cur.pk
            cur = by_id.get(cur.parent_id) if cur.parent_id else None
        return None

    item_methods: dict[int, set[str]] = defaultdict(set)
    for n in rows:
        owner = scored_ancestor(n)
        if owner is not None:
            scored_of[n.pk] = owner
            item_methods[owner].update(n.methods or [])
        if owner is None or owner == n.pk:
            nodes[n.pk] = TreeNode(
                id=n.pk,
                parent_id=n.parent_id,
                code=n.number,
                name=n.text,
                level=n.level,
                seq=n.seq,
                lead_unit_id=n.lead_unit_id,
                scored=owner == n.pk,
                max_score=n.score if n.score is not None else Decimal(0),
            )
    roots: list[int] = []
    for node in nodes.values():
        if node.parent_id is None:
            roots.append(node.id)
        else:
            nodes[node.parent_id].children.append(node.id)
    rules: dict[int, Rule] = {}
    for node in nodes.values():
        if node.scored:
            node.methods = sorted(item_methods[node.id])
            rules[node.id] = rule_from(rule_rows.get(node.id), node.methods)
    tree = ScoreTree(fw.pk, fw.code, fw.name, nodes, roots, scored_of, rules)
    for node_id in tree.bottom_up():
        node = nodes[node_id]
        if not node.scored:
            node.max_score = sum((nodes[c].max_score for c in node.children), Decimal(0))
    return tree
