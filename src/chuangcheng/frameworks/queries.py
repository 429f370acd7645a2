"""Read-side helpers: framework lists with their counts, and a version's tree in few queries."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from chuangcheng.frameworks.enums import NodeLevel
from chuangcheng.frameworks.models import Framework, Node

SCORED = (NodeLevel.CONTENT, NodeLevel.STANDARD)


def frameworks_with_counts(user: Any) -> QuerySet[Framework]:
    """The versions ``user`` may read, each with ``n_projects``, ``n_clauses`` and ``total``."""
    return (
        Framework.objects.visible_to(user)
        .annotate(
            n_projects=Count("nodes", filter=Q(nodes__level=NodeLevel.PROJECT)),
            n_clauses=Count("nodes", filter=Q(nodes__level=NodeLevel.STANDARD)),
            total=Sum("nodes__score", filter=Q(nodes__level__in=SCORED)),
        )
        .order_by("code", "-version")
    )


def method_mix(framework_ids: Iterable[int]) -> dict[int, Counter[str]]:
    """Clauses per method for each framework (a clause with two methods counts in both)."""
    mix: dict[int, Counter[str]] = {}
    rows = Node.objects.filter(
        framework_id__in=list(framework_ids), level=NodeLevel.STANDARD
    ).values_list("framework_id", "methods")
    for framework_id, methods in rows:
        mix.setdefault(framework_id, Counter()).update(methods or [])
    return mix


def framework_tree(framework: Framework) -> list[Node]:
    """The version's project nodes; every node carries ``kids`` (its children in order) and
    ``subtotal`` (its own score, or else the sum of the scores below it). Four queries."""
    nodes = list(
        Node.objects.filter(framework=framework)
        .select_related("lead_unit")
        .prefetch_related("partner_units", "point_types")
        .order_by("seq")
    )
    by_id: dict[int, Node] = {}
    roots: list[Node] = []
    for node in nodes:
        node.kids = []  # type: ignore[attr-defined]
        by_id[node.pk] = node
    for node in nodes:
        parent = by_id.get(node.parent_id) if node.parent_id else None
        if parent is None:
            roots.append(node)
        else:
            parent.kids.append(node)  # type: ignore[attr-defined]
    for root in roots:
        _subtotal(root)
    return roots


def _subtotal(node: Node) -> Decimal | None:
    below = [s for s in (_subtotal(k) for k in node.kids) if s is not None]  # type: ignore[attr-defined]
    total = node.score if node.score is not None else (sum(below, Decimal(0)) if below else None)
    node.subtotal = total  # type: ignore[attr-defined]
    node.children_sum = sum(below, Decimal(0)) if below else None  # type: ignore[attr-defined]
    return total


def walk(nodes: Iterable[Node]) -> Iterable[Node]:
    """Nodes of a tree from :func:`framework_tree` in file order."""
    for node in nodes:
        yield node
        yield from walk(node.kids)  # type: ignore[attr-defined]
