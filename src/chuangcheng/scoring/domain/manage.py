"""What the office changes in scoring: negative-list events, clause rules, recomputes and
snapshots. Each function checks the permission, validates, writes atomically and audits.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.cases.domain.periods import Period
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.domain.incremental import apply_negative_event
from chuangcheng.scoring.domain.reading import campaign_region, default_framework
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import FieldRule, RunKind
from chuangcheng.scoring.models import ClauseRule, NegativeEvent, ScoreRun


def scored_nodes() -> list[Node]:
    """The scored nodes (carrying a 分值) of the framework in force, in tree order."""
    tree = load_tree(default_framework())
    ids = tree.scored_ids()
    return list(Node.objects.filter(pk__in=ids).select_related("lead_unit").order_by("seq"))


def _event_snapshot(ev: NegativeEvent) -> dict[str, Any]:
    return {
        "clause": ev.clause.number,
        "region": ev.region.code,
        "unit": ev.unit.code if ev.unit else None,
        "occurred_on": ev.occurred_on.isoformat(),
        "deduction": str(ev.deduction),
        "title": ev.title,
        "description": ev.description,
    }


def record_negative_event(
    *,
    actor: Any,
    clause: Node,
    region: Region,
    unit: Unit | None,
    occurred_on: dt.date,
    deduction: Decimal,
    title: str,
    description: str = "",
) -> NegativeEvent:
    """Store one 负面清单 event (audited) and bring the live runs holding it up to date.

    Refused (PermissionDenied) unless ``actor`` may compute scores over ``region``; a clause that
    is not a scored node of the framework in force, or a deduction not above 0, is a
    ValidationError naming the field.
    """
    if not actor.has_perm("scoring.compute_scores", region):
        raise PermissionDenied
    if clause.pk not in {n.pk for n in scored_nodes()}:
        raise ValidationError(
            {"clause": _("Choose a clause that carries points in the framework in force.")}
        )
    if deduction is None or deduction <= 0:
        raise ValidationError({"deduction": _("The points deducted must be more than 0.")})
    if clause.score is not None and deduction > clause.score:
        raise ValidationError(
            {
                "deduction": _("The clause carries only %(s)s points.")
                % {"s": clause.score.normalize()}
            }
        )
    with transaction.atomic():
        ev = NegativeEvent.objects.create(
            clause=clause,
            region=region,
            unit=unit,
            occurred_on=occurred_on,
            deduction=deduction,
            title=title,
            description=description,
            recorded_by=actor,
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            ev,
            object_type="scoring.negative_event",
            object_repr=f"{clause.number} · {title}",
            after=_event_snapshot(ev),
        )
    apply_negative_event(ev)
    return ev


def _rule_snapshot(rule: ClauseRule | None) -> dict[str, Any]:
    if rule is None:
        return {"field_rule": FieldRule.RATIO, "deduction": None, "weights": {}}
    return {
        "field_rule": rule.field_rule,
        "deduction": str(rule.deduction),
        "weights": dict(rule.weights or {}),
    }


def clause_methods(node: Node) -> list[str]:
    """The methods of a scored node and the check items under it."""
    tree = load_tree(node.framework_id)
    return tree.nodes[node.pk].methods if node.pk in tree.nodes else []


def save_rule(
    *,
    actor: Any,
    node: Node,
    field_rule: str,
    deduction: Decimal,
    weights: dict[str, Decimal],
) -> ClauseRule:
    """Create or change a scored node's rule (audited before/after). Weights are given only for
    the clause's own methods, none below 0 and at least one above 0."""
    if not actor.has_perm("scoring.manage_rules", campaign_region()):
        raise PermissionDenied
    methods = clause_methods(node)
    if not methods and node.pk not in load_tree(node.framework_id).scored_of:
        raise ValidationError(_("This node carries no points."))
    errors: dict[str, str] = {}
    if field_rule not in FieldRule.values:
        errors["field_rule"] = _("Choose a rule.")
    if deduction is None or deduction <= 0:
        errors["deduction"] = _("The deduction per failure must be more than 0.")
    unknown = sorted(set(weights) - set(methods))
    if unknown:
        errors["weights"] = _("These methods are not used by the clause: %(m)s.") % {
            "m": ", ".join(unknown)
        }
    elif any(w < 0 for w in weights.values()):
        errors["weights"] = _("A weight cannot be below 0.")
    elif methods and not any(w > 0 for w in weights.values()):
        errors["weights"] = _("At least one method needs a weight above 0.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        rule = ClauseRule.objects.select_for_update().filter(node=node).first()
        before = _rule_snapshot(rule)
        if rule is None:
            rule = ClauseRule(node=node)
        rule.field_rule = field_rule
        rule.deduction = deduction
        rule.weights = {m: float(w) for m, w in weights.items()}
        rule.updated_by = actor
        rule.save()
        audit.record(
            actor,
            AuditAction.UPDATE,
            rule,
            object_type="scoring.rule",
            object_repr=f"{node.number} {node.text}"[:200],
            before=before,
            after=_rule_snapshot(rule),
        )
    return rule


def _compute_now(
    actor: Any, framework_id: int, region: Region, period: Period, *, kind: str, note: str = ""
) -> ScoreRun:
    if not actor.has_perm("scoring.compute_scores", region):
        raise PermissionDenied
    framework = Framework.objects.get(pk=framework_id)
    return compute_run(
        framework=framework, region=region, period=period, actor=actor, kind=kind, note=note
    )


def recompute_live(*, actor: Any, framework_id: int, region: Region, period: Period) -> ScoreRun:
    """立即重算: the live run of the period over the region, recomputed in full now (office
    only; PermissionDenied otherwise)."""
    return _compute_now(actor, framework_id, region, period, kind=RunKind.LIVE)


def publish_snapshot(
    *, actor: Any, framework_id: int, region: Region, period: Period, note: str
) -> ScoreRun:
    """发布快照: a new run that never changes, with a note (office only; audited by the
    engine)."""
    return _compute_now(actor, framework_id, region, period, kind=RunKind.SNAPSHOT, note=note[:200])
