"""REST endpoints for frameworks under /api/v1/frameworks. Readable by every user with a grant."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router

from chuangcheng.frameworks.enums import NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.frameworks.queries import framework_tree, frameworks_with_counts, walk
from chuangcheng.frameworks.schemas import ClauseOut, FrameworkDetailOut, FrameworkOut

router = Router(tags=["frameworks"])


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": getattr(obj, "short_name", "") or obj.name}


def _summary(framework: Framework, projects: int, standards: int, total: Any) -> dict[str, Any]:
    return {
        "id": framework.pk,
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "status": framework.status,
        "created_at": framework.created_at,
        "projects": projects,
        "standards": standards,
        # The sum's scale differs between databases; always give two decimals like the scores.
        "total_score": None if total is None else Decimal(total).quantize(Decimal("0.01")),
    }


def _node(node: Node) -> dict[str, Any]:
    return {
        "id": node.pk,
        "number": node.number,
        "level": node.level,
        "text": node.text,
        "score": node.score,
        "subtotal": getattr(node, "subtotal", None),
        "methods": list(node.methods),
        "lead_unit": _ref(node.lead_unit),
        "partner_units": [_ref(u) for u in node.partner_units.all()],
        "point_types": [_ref(t) for t in node.point_types.all()],
        "children": [_node(k) for k in getattr(node, "kids", [])],
    }


def _get(request: HttpRequest, framework_id: int) -> Framework:
    framework = Framework.objects.visible_to(request.user).filter(pk=framework_id).first()
    if framework is None:
        raise Http404
    return framework


@router.get("", response=list[FrameworkOut])
def list_frameworks(request: HttpRequest) -> list[dict[str, Any]]:
    """Every version the caller may read, newest version of each code first."""
    return [
        _summary(f, f.n_projects, f.n_clauses, f.total)  # type: ignore[attr-defined]
        for f in frameworks_with_counts(request.user)
    ]


@router.get("/{framework_id}", response=FrameworkDetailOut)
def get_framework(request: HttpRequest, framework_id: int) -> dict[str, Any]:
    """One version with its whole tree (项目 → 指标 → 测评内容 → 测评标准)."""
    framework = _get(request, framework_id)
    roots = framework_tree(framework)
    nodes = list(walk(roots))
    standards = sum(1 for n in nodes if n.level == NodeLevel.STANDARD)
    total = sum((r.subtotal for r in roots if r.subtotal is not None), Decimal(0))  # type: ignore[attr-defined]
    data = _summary(framework, len(roots), standards, total)
    data["nodes"] = [_node(r) for r in roots]
    return data


def _matches(clause: Node, method: str, point_type: str, unit: str) -> bool:
    if method and method not in clause.methods:
        return False
    if point_type:
        types = clause.point_types.all()
        if not any(point_type in (str(t.pk), t.code, t.name) for t in types):
            return False
    if unit:
        units = [u for u in [clause.lead_unit, *clause.partner_units.all()] if u is not None]
        if not any(unit in (str(u.pk), u.code, u.name, u.short_name) for u in units):
            return False
    return True


@router.get("/{framework_id}/clauses", response=list[ClauseOut])
def list_clauses(
    request: HttpRequest,
    framework_id: int,
    method: str = "",
    point_type: str = "",
    unit: str = "",
) -> list[dict[str, Any]]:
    """The standards of one version as a flat list with their project, indicator and content.
    ``method`` is a method code (field, material, survey, online); ``point_type`` and ``unit``
    accept an id, a code or a name (units also their short name)."""
    framework = _get(request, framework_id)
    out: list[dict[str, Any]] = []
    for project in framework_tree(framework):
        for indicator in project.kids:  # type: ignore[attr-defined]
            for content in indicator.kids:
                for clause in content.kids:
                    if not _matches(clause, method, point_type, unit):
                        continue
                    data = _node(clause)
                    del data["children"], data["subtotal"], data["level"]
                    data.update(
                        project=project.text,
                        indicator=indicator.text,
                        content=content.text,
                        content_score=content.score,
                    )
                    out.append(data)
    return out
