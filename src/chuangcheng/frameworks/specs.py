"""Plain descriptions of a framework tree, as read from a file, before anything is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from chuangcheng.frameworks.enums import NodeLevel


@dataclass
class NodeSpec:
    """One node to create. Units and point types are named as in the file (``Unit.name`` or
    ``short_name``; ``PointType.name``); the writer maps the names to rows."""

    level: NodeLevel
    text: str
    number: str = ""
    score: Decimal | None = None
    methods: list[str] = field(default_factory=list)
    lead_unit: str = ""
    partner_units: list[str] = field(default_factory=list)
    point_types: list[str] = field(default_factory=list)
    row: int = 0
    children: list[NodeSpec] = field(default_factory=list)

    def walk(self) -> list[NodeSpec]:
        """This node and all below it, in file order."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


def number_tree(roots: list[NodeSpec]) -> None:
    """Give every node its outline number: 1, 1.2, 1.2.3, 1.2.3.4."""

    def visit(nodes: list[NodeSpec], prefix: str) -> None:
        for i, node in enumerate(nodes, start=1):
            node.number = f"{prefix}{i}"
            visit(node.children, f"{node.number}.")

    visit(roots, "")
