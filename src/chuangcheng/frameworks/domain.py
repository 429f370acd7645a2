"""State changes of frameworks: each function checks, writes and audits in one transaction.

``actor`` is the user acting; ``None`` means the command line (``chuangcheng framework …``),
which only an operator with shell access can run, so it is trusted like the system itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.enums import FrameworkStatus, Method, NodeLevel
from chuangcheng.frameworks.models import Framework, Node, point_type_model
from chuangcheng.frameworks.specs import NodeSpec
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit

PERM = "frameworks.manage_framework"
_DEPTH = {NodeLevel.PROJECT: 0, NodeLevel.INDICATOR: 1, NodeLevel.CONTENT: 2, NodeLevel.STANDARD: 3}
SCORED_LEVELS = (NodeLevel.CONTENT, NodeLevel.STANDARD)


class FrameworkError(Exception):
    """A refused change; the message is shown to the user as is."""


@dataclass
class ImportResult:
    framework: Framework
    created_units: list[Unit] = field(default_factory=list)
    created_point_types: list[Any] = field(default_factory=list)


def _require(actor: Any) -> None:
    # Frameworks are district-wide policy with no region of their own, so the question is
    # "does the actor work in a civilization office", asked without an object.
    if actor is not None and not actor.has_perm(PERM):
        raise PermissionDenied


def _next_version(code: str) -> int:
    current = Framework.objects.filter(code=code).aggregate(m=Max("version"))["m"]
    return (current or 0) + 1


@transaction.atomic
def import_framework(
    *,
    actor: Any,
    roots: Sequence[NodeSpec],
    unit_ids: dict[str, int],
    point_type_ids: dict[str, int],
    missing_units: Sequence[str] = (),
    missing_point_types: Sequence[str] = (),
    code: str,
    name: str,
    activate: bool = False,
    source_file: str = "",
) -> ImportResult:
    """Create a new draft version of ``code`` (previous highest version + 1) holding the tree
    ``roots``; create the named missing units (kind line) and point types first. With
    ``activate`` the new version is put in force and the previous one archived. All or nothing."""
    _require(actor)
    if not code or not roots:
        raise FrameworkError(_("A framework needs a code and at least one project."))
    framework = Framework.objects.create(
        code=code,
        version=_next_version(code),
        name=name or code,
        source_file=source_file[:200],
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    result = ImportResult(framework)
    units = dict(unit_ids)
    for unit_name in missing_units:
        unit = _create_unit(actor, unit_name)
        units[unit_name] = unit.pk
        result.created_units.append(unit)
    types = dict(point_type_ids)
    for type_name in missing_point_types:
        point_type = _create_point_type(actor, type_name)
        types[type_name] = point_type.pk
        result.created_point_types.append(point_type)
    _write_specs(framework, roots, units, types)
    audit.record(
        actor,
        AuditAction.IMPORT,
        framework,
        after=audit.snapshot(framework),
        note=_("%(count)s standards from %(file)s")
        % {"count": framework.nodes.filter(level=NodeLevel.STANDARD).count(), "file": source_file},
    )
    if activate:
        activate_framework(actor=actor, framework=framework)
    return result


def _create_unit(actor: Any, name: str) -> Unit:
    taken = set(Unit.objects.filter(code__startswith="IMP").values_list("code", flat=True))
    n = len(taken) + 1
    while f"IMP{n:04d}" in taken:
        n += 1
    unit = Unit(code=f"IMP{n:04d}", name=name[:100], kind=UnitKind.LINE)
    unit.path = unit.compute_path()
    unit.save()
    audit.record(actor, AuditAction.CREATE, unit, after=audit.snapshot(unit))
    return unit


def _create_point_type(actor: Any, name: str) -> Any:
    point_type_cls = point_type_model()
    imported = point_type_cls.objects.filter(code__startswith="imported-")
    taken = set(imported.values_list("code", flat=True))
    n = len(taken) + 1
    while f"imported-{n}" in taken:
        n += 1
    seq = (point_type_cls.objects.aggregate(m=Max("seq"))["m"] or 0) + 1
    point_type = point_type_cls.objects.create(code=f"imported-{n}", name=name[:40], seq=seq)
    audit.record(actor, AuditAction.CREATE, point_type, after=audit.snapshot(point_type))
    return point_type


def _write_specs(
    framework: Framework,
    roots: Sequence[NodeSpec],
    unit_ids: dict[str, int],
    point_type_ids: dict[str, int],
) -> None:
    """Write the tree level by level with bulk inserts (a handful of queries for any size)."""
    ordered = [node for root in roots for node in root.walk()]
    seq = {id(spec): i for i, spec in enumerate(ordered, start=1)}
    parent_of: dict[int, NodeSpec] = {}
    for spec in ordered:
        for child in spec.children:
            parent_of[id(child)] = spec
    created: dict[int, Node] = {}
    for depth in range(4):
        batch = [s for s in ordered if _DEPTH[NodeLevel(s.level)] == depth]
        rows = [
            Node(
                framework=framework,
                parent=created[id(parent_of[id(s)])] if depth else None,
                level=s.level,
                seq=seq[id(s)],
                number=s.number,
                text=s.text,
                score=s.score,
                methods=list(s.methods),
                lead_unit_id=unit_ids[s.lead_unit] if s.lead_unit else None,
            )
            for s in batch
        ]
        for spec, node in zip(batch, Node.objects.bulk_create(rows), strict=True):
            created[id(spec)] = node
    partner_links = [
        Node.partner_units.through(node_id=created[id(s)].pk, unit_id=unit_ids[name])
        for s in ordered
        for name in s.partner_units
    ]
    type_links = [
        Node.point_types.through(node_id=created[id(s)].pk, pointtype_id=point_type_ids[name])
        for s in ordered
        for name in s.point_types
    ]
    Node.partner_units.through.objects.bulk_create(partner_links)
    Node.point_types.through.objects.bulk_create(type_links)


@transaction.atomic
def activate_framework(*, actor: Any, framework: Framework) -> Framework:
    """Put ``framework`` in force; the version of the same code in force before is archived.
    At most one version per code is ever active (a database constraint holds it too)."""
    _require(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status == FrameworkStatus.ACTIVE:
        return framework
    for previous in Framework.objects.select_for_update().filter(
        code=framework.code, status=FrameworkStatus.ACTIVE
    ):
        _set_status(actor, previous, FrameworkStatus.ARCHIVED)
    _set_status(actor, framework, FrameworkStatus.ACTIVE)
    return framework


@transaction.atomic
def archive_framework(*, actor: Any, framework: Framework) -> Framework:
    """Withdraw ``framework`` (draft or in force); an archived version stays readable."""
    _require(actor)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != FrameworkStatus.ARCHIVED:
        _set_status(actor, framework, FrameworkStatus.ARCHIVED)
    return framework


def _set_status(actor: Any, framework: Framework, status: FrameworkStatus) -> None:
    before = audit.snapshot(framework, ["status"])
    framework.status = status
    framework.save(update_fields=["status"])
    audit.record(actor, AuditAction.UPDATE, framework, before=before, after={"status": str(status)})


@transaction.atomic
def new_version(*, actor: Any, framework: Framework) -> Framework:
    """Copy ``framework`` (its whole tree, units and point types) into a new draft version of the
    same code, numbered after the highest existing version."""
    _require(actor)
    copy = Framework.objects.create(
        code=framework.code,
        version=_next_version(framework.code),
        name=framework.name,
        description=framework.description,
        source_file=framework.source_file,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    _copy_nodes(framework, copy)
    audit.record(
        actor,
        AuditAction.CREATE,
        copy,
        after=audit.snapshot(copy),
        note=_("copied from version %(version)s") % {"version": framework.version},
    )
    return copy


def _copy_nodes(source: Framework, target: Framework) -> None:
    nodes = list(Node.objects.filter(framework=source).order_by("seq"))
    new: dict[int, Node] = {}
    for level in (NodeLevel.PROJECT, NodeLevel.INDICATOR, NodeLevel.CONTENT, NodeLevel.STANDARD):
        batch = [n for n in nodes if n.level == level]
        rows = [
            Node(
                framework=target,
                parent=new[n.parent_id] if n.parent_id else None,
                level=n.level,
                seq=n.seq,
                number=n.number,
                text=n.text,
                score=n.score,
                methods=list(n.methods),
                lead_unit_id=n.lead_unit_id,
            )
            for n in batch
        ]
        for old, created in zip(batch, Node.objects.bulk_create(rows), strict=True):
            new[old.pk] = created
    partners = Node.partner_units.through
    types = Node.point_types.through
    partners.objects.bulk_create(
        partners(node_id=new[node_id].pk, unit_id=unit_id)
        for node_id, unit_id in partners.objects.filter(node__framework=source).values_list(
            "node_id", "unit_id"
        )
    )
    types.objects.bulk_create(
        types(node_id=new[node_id].pk, pointtype_id=type_id)
        for node_id, type_id in types.objects.filter(node__framework=source).values_list(
            "node_id", "pointtype_id"
        )
    )


def _node_state(node: Node) -> dict[str, Any]:
    state = audit.snapshot(node, ["text", "score", "methods", "lead_unit_id"])
    state["partner_units"] = sorted(node.partner_units.values_list("pk", flat=True))
    state["point_types"] = sorted(node.point_types.values_list("pk", flat=True))
    return state


@transaction.atomic
def update_node(
    *,
    actor: Any,
    node: Node,
    text: str,
    score: Decimal | None,
    methods: Iterable[str],
    lead_unit: Unit | None,
    partner_units: Iterable[Unit],
    point_types: Iterable[Any],
) -> Node:
    """Change one node of a DRAFT version. A score sits either on a 测评内容 or on its standards,
    never on both, and never on a project or indicator (their score is the sum below)."""
    _require(actor)
    if node.framework.status != FrameworkStatus.DRAFT:
        raise FrameworkError(_("Only a draft version can be edited; create a new version first."))
    text = text.strip()
    if not text:
        raise FrameworkError(_("The text may not be empty."))
    valid = {m.value for m in Method}
    chosen = [m for m in dict.fromkeys(methods) if m in valid]
    if score is not None:
        if node.level not in SCORED_LEVELS:
            raise FrameworkError(_("Only a content or a standard carries a score."))
        if node.level == NodeLevel.CONTENT and node.children.filter(score__isnull=False).exists():
            raise FrameworkError(
                _("Its standards have their own scores; clear them before scoring the content.")
            )
        if (
            node.level == NodeLevel.STANDARD
            and node.parent is not None
            and node.parent.score is not None
        ):
            raise FrameworkError(
                _("The score sits on the content above; clear it before scoring a standard.")
            )
    before = _node_state(node)
    node.text = text
    node.score = score
    node.methods = chosen
    node.lead_unit = lead_unit
    node.save(update_fields=["text", "score", "methods", "lead_unit"])
    node.partner_units.set(list(partner_units))
    node.point_types.set(list(point_types))
    audit.record(actor, AuditAction.UPDATE, node, before=before, after=_node_state(node))
    return node


@transaction.atomic
def record_export(*, actor: Any, framework: Framework, fmt: str) -> None:
    """Audit a download of ``framework``; reading a framework needs only a grant."""
    audit.record(actor, AuditAction.EXPORT, framework, note=fmt)
