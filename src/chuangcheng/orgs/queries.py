"""Read models for the region and unit pages: annotated querysets with a constant query count."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit


@dataclass
class RegionNode:
    """A region with its visible children and subtree totals."""

    region: Region
    children: list[RegionNode] = field(default_factory=list)
    child_count: int = 0
    grid_cells: int = 0
    units: int = 0
    points: int = 0
    # False for regions shown only as context (ancestors): their totals count what the user sees.
    in_scope: bool = True


def region_nodes(user: Any, regions: QuerySet[Region] | None = None) -> list[RegionNode]:
    """The visible region forest with totals, in three queries whatever its size.

    Units are counted among the units visible to ``user``; points only for regions inside the
    user's own subtrees, so context regions (ancestors) never reveal other streets' totals.
    """
    from chuangcheng.accounts.scope import scope_of

    scope = scope_of(user)
    qs = regions if regions is not None else Region.objects.visible_to(user)
    rows = list(qs.annotate(n_points=Count("points")).order_by("path"))
    unit_counts = dict(
        Unit.objects.visible_to(user)
        .filter(active=True)
        .values_list("region_id")
        .annotate(n=Count("id"))
        .values_list("region_id", "n")
    )
    nodes: dict[str, RegionNode] = {}
    roots: list[RegionNode] = []
    for r in rows:
        covered = scope.everything or scope.covers_path(r.path)
        node = RegionNode(region=r, in_scope=covered)
        node.units = unit_counts.get(r.pk, 0)
        node.points = r.n_points if covered else 0
        node.grid_cells = 1 if r.level == RegionLevel.GRID else 0
        parent_path = r.path[: r.path.rstrip("/").rfind("/") + 1]
        parent = nodes.get(parent_path)
        if parent is None:
            roots.append(node)
        else:
            parent.children.append(node)
            parent.child_count += 1
        nodes[r.path] = node
    for node in sorted(nodes.values(), key=lambda n: -n.region.depth):
        for child in node.children:
            node.units += child.units
            node.points += child.points
            node.grid_cells += child.grid_cells
    for node in nodes.values():
        if node.region.level == RegionLevel.GRID:
            node.grid_cells = 0
    return roots


def fold_grid_cells(roots: list[RegionNode]) -> None:
    """Drop grid-cell nodes from the tree; counts (``child_count``, ``grid_cells``) stay."""
    for node in roots:
        node.children = [c for c in node.children if c.region.level != RegionLevel.GRID]
        fold_grid_cells(node.children)


def filter_nodes(roots: list[RegionNode], text: str) -> list[RegionNode]:
    """Keep the nodes whose name or code contains ``text`` and the branches leading to them."""
    text = text.strip().lower()
    if not text:
        return roots

    def keep(node: RegionNode) -> RegionNode | None:
        kids = [k for k in (keep(c) for c in node.children) if k is not None]
        hit = text in node.region.name.lower() or text in node.region.code
        if not hit and not kids:
            return None
        copy = RegionNode(**{**node.__dict__, "children": kids})
        return copy

    return [k for k in (keep(n) for n in roots) if k is not None]


def units_with_counts(user: Any) -> QuerySet[Unit]:
    """Visible units with their region and point counts as 属地 (territorial) and 行业 (line)."""
    return (
        Unit.objects.visible_to(user)
        .select_related("region", "parent")
        .annotate(
            n_territorial=Count("territorial_points", distinct=True),
            n_line=Count("line_points", distinct=True),
        )
        .order_by("kind", "path")
    )


def unit_filter(qs: QuerySet[Unit], *, kind: str, street: Region | None, text: str) -> Any:
    if kind:
        qs = qs.filter(kind=kind)
    if street is not None:
        qs = qs.filter(region__path__startswith=street.path)
    text = text.strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(short_name__icontains=text) | Q(code__icontains=text)
        )
    return qs


def ancestors(region: Region) -> list[Region]:
    """The regions above ``region``, root first, in one query (codes come from the path)."""
    codes = region.path.strip("/").split("/")[:-1]
    if not codes:
        return []
    found = {r.code: r for r in Region.objects.filter(code__in=codes)}
    return [found[c] for c in codes if c in found]
