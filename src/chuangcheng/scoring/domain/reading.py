"""Reading stored runs: which run answers a question, and a scope's tree as nested nodes."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from chuangcheng.cases.domain.periods import Period
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.cells import Cell, parent_cell
from chuangcheng.scoring.domain.compute import ScoringError, cell_from_row, compute_run
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.tree import ScoreTree, TreeNode, load_tree
from chuangcheng.scoring.enums import RunKind, ScopeKind
from chuangcheng.scoring.models import NodeScore, ScoreRun


@dataclass
class ScoreNode:
    """One node of a scope's tree as shown: the framework itself at the root."""

    node_id: int | None
    code: str
    name: str
    level: str
    lead_unit_id: int | None
    cell: Cell
    children: list[ScoreNode] = field(default_factory=list)

    @property
    def score(self) -> Decimal | None:
        return self.cell.score

    def walk(self) -> list[ScoreNode]:
        found = [self]
        for child in self.children:
            found += child.walk()
        return found

    def as_json(self) -> dict[str, Any]:
        c = self.cell
        rate = c.rate
        return {
            "code": self.code,
            "name": self.name,
            "level": self.level,
            "max_score": float(c.max_score),
            "score": None if c.score is None else float(c.score),
            "measured_max": float(c.measured_max),
            "rate": None if rate is None else round(float(rate), 4),
            "coverage": float(c.coverage),
            "passed": c.passed,
            "failed": c.failed,
            "children": [child.as_json() for child in self.children],
        }


def default_framework() -> Framework:
    found = Framework.objects.filter(status=FrameworkStatus.ACTIVE).order_by("code").first()
    if found is None:
        raise ScoringError("No framework is in force; activate one first.")
    return found


def run_region(region: Region) -> Region:
    """The region a run is computed over for a question about ``region``: a street is scored
    inside its district's run (the streets are compared there); anything else on its own."""
    if region.level == RegionLevel.STREET and region.parent is not None:
        return region.parent
    return region


def campaign_region() -> Region:
    """The broadest region held: the district (or city) the platform is run for."""
    found = Region.objects.filter(parent__isnull=True).order_by("path").first()
    if found is None:
        raise ScoringError("No region exists yet; load the region tree first.")
    # A city root holding a single district (the demo's Beijing outline) is not the campaign.
    children = list(Region.objects.filter(parent=found)[:2])
    if found.level == RegionLevel.CITY and len(children) == 1:
        return children[0]
    return found


def latest_run(
    framework: Framework, region: Region, period: Period, *, kind: str | None = None
) -> ScoreRun | None:
    qs = ScoreRun.objects.filter(framework=framework, region=region, period_key=period.key)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-created_at", "-id").first()


def live_run(framework: Framework, region: Region, period: Period) -> ScoreRun:
    """The live run for the question, computed on first use."""
    found = latest_run(framework, region, period, kind=RunKind.LIVE)
    if found is not None:
        return found
    return compute_run(framework=framework, region=region, period=period, kind=RunKind.LIVE)


def scope_rows(run: ScoreRun, key: ScopeKey) -> dict[int, NodeScore]:
    kind, pk = key
    qs = run.rows.filter(scope=kind)
    qs = qs.filter(region_id=pk) if kind == ScopeKind.REGION else qs.filter(unit_id=pk)
    return {r.node_id: r for r in qs}


def cell_of(row: NodeScore | None, node: TreeNode) -> Cell:
    """A row's figures; a missing row is the node 未测 (units store only measured nodes)."""
    return Cell(max_score=node.max_score) if row is None else cell_from_row(row)


def scope_tree(run: ScoreRun, key: ScopeKey, tree: ScoreTree | None = None) -> ScoreNode:
    """The scope's tree with the framework total at the root (2 + 3 queries)."""
    tree = tree or load_tree(run.framework_id)
    rows = scope_rows(run, key)

    def build(node_id: int) -> ScoreNode:
        node = tree.nodes[node_id]
        return ScoreNode(
            node_id=node_id,
            code=node.code,
            name=node.name,
            level=node.level,
            lead_unit_id=node.lead_unit_id,
            cell=cell_of(rows.get(node_id), node),
            children=[build(c) for c in node.children],
        )

    tops = [build(r) for r in tree.roots]
    root = TreeNode(0, None, tree.code, tree.name, "framework", 0, None)
    return ScoreNode(
        node_id=None,
        code=tree.code,
        name=tree.name,
        level="framework",
        lead_unit_id=None,
        cell=parent_cell(root, [t.cell for t in tops]),
        children=tops,
    )


def region_key(region: Region) -> ScopeKey:
    return (ScopeKind.REGION, region.pk)


def unit_key(unit: Unit) -> ScopeKey:
    return (ScopeKind.UNIT, unit.pk)
