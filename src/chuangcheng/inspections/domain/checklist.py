"""The field checklist: which framework clauses an inspector checks at a point of a given type.

A clause is a standard (测评标准) whose methods include field inspection, or a content node
(测评内容) that carries its own score and has no standards below it (tables where the whole
content is one scored line). It applies at the point types it names.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from chuangcheng.frameworks.enums import Method, NodeLevel
from chuangcheng.frameworks.models import Framework, Node


@dataclass(frozen=True)
class Clause:
    id: int
    number: str
    text: str
    heading: str  # the content (测评内容) the clause belongs to, for context
    score: Decimal | None
    point_type_ids: frozenset[int]


def field_clauses(framework: Framework | int) -> list[Clause]:
    """Every field clause of the framework in table order (2 queries)."""
    framework_id = framework if isinstance(framework, int) else framework.pk
    nodes = list(
        Node.objects.filter(framework_id=framework_id)
        .only("id", "parent_id", "level", "seq", "number", "text", "score", "methods")
        .order_by("seq")
    )
    through = Node.point_types.through
    types: dict[int, set[int]] = defaultdict(set)
    for node_id, type_id in through.objects.filter(node__framework_id=framework_id).values_list(
        "node_id", "pointtype_id"
    ):
        types[node_id].add(type_id)
    has_standard = {n.parent_id for n in nodes if n.level == NodeLevel.STANDARD}
    by_id = {n.pk: n for n in nodes}
    clauses: list[Clause] = []
    for node in nodes:
        is_clause = node.level == NodeLevel.STANDARD or (
            node.level == NodeLevel.CONTENT
            and node.score is not None
            and node.pk not in has_standard
        )
        if not is_clause or Method.FIELD not in (node.methods or []):
            continue
        parent = by_id.get(node.parent_id) if node.parent_id else None
        heading = parent.text if parent is not None and node.level == NodeLevel.STANDARD else ""
        clauses.append(
            Clause(
                id=node.pk,
                number=node.number,
                text=node.text,
                heading=heading,
                score=node.score,
                point_type_ids=frozenset(types.get(node.pk, ())),
            )
        )
    return clauses


def for_type(clauses: list[Clause], point_type_id: int) -> list[Clause]:
    """The clauses checked at a point of this type, in table order."""
    return [c for c in clauses if point_type_id in c.point_type_ids]


def point_type_ids(clauses: list[Clause]) -> set[int]:
    """The point types at least one field clause is checked at: the only useful quota types."""
    found: set[int] = set()
    for clause in clauses:
        found |= clause.point_type_ids
    return found
