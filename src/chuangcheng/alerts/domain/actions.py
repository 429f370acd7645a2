"""What people do with warnings, rules and group robots: each one checked, written and audited
in one transaction.

- :func:`acknowledge` (raised → acknowledged, with a note): the unit says it is on it; repeats
  stop. :func:`resolve` (raised or acknowledged → resolved, with a note). Both for the office
  over the warning's region and the unit it is addressed to (or a unit above); leaders read only.
- :func:`save_rule` and :func:`save_target`: the office's settings, parameters checked against
  the kind. Switching a rule off resolves its open warnings (nobody evaluates them any more).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.alerts.domain.params import ParamError, clean_params, kind_of
from chuangcheng.alerts.enums import OPEN, TRANSITIONS, EventAction, WarningStatus, WebhookFormat
from chuangcheng.alerts.models import Warning, WarningEvent, WarningRule, WebhookTarget
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region

NOTE_MAX = 1000
STATE_FIELDS = ["status", "acknowledged_at", "acknowledge_note", "resolved_at", "resolve_note"]


def _event(
    warning: Warning, action: str, actor: Any, now: dt.datetime, note: str = ""
) -> WarningEvent:
    return WarningEvent.objects.create(
        warning=warning,
        at=now,
        action=action,
        actor=actor,
        actor_name=str(actor),
        note=note,
    )


def _move(warning: Warning, to: str, *, actor: Any, note: str, now: dt.datetime) -> Warning:
    if not actor.has_perm("alerts.act_on_warning", warning):
        raise PermissionDenied
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            _("The note is too long (at most %(n)d characters).") % {"n": NOTE_MAX}
        )
    if to not in TRANSITIONS.get(warning.status, ()):
        if warning.status == WarningStatus.RESOLVED:
            raise ValidationError(_("This warning is already resolved."))
        raise ValidationError(
            _("Only a newly raised warning can be acknowledged; this one is %(status)s.")
            % {"status": warning.get_status_display()}
        )
    before = audit.snapshot(warning, STATE_FIELDS)
    changes: dict[str, Any] = {"status": to}
    if to == WarningStatus.ACKNOWLEDGED:
        changes |= {"acknowledged_at": now, "acknowledged_by": actor, "acknowledge_note": note}
    else:
        changes |= {"resolved_at": now, "resolved_by": actor, "resolve_note": note}
    # Written only if nobody moved it meanwhile (another clerk, or the engine resolving it).
    if not Warning.objects.filter(pk=warning.pk, status=warning.status).update(**changes):
        raise ValidationError(_("The warning changed meanwhile; reload the page and try again."))
    for name, value in changes.items():
        setattr(warning, name, value)
    action = EventAction.ACKNOWLEDGED if to == WarningStatus.ACKNOWLEDGED else EventAction.RESOLVED
    _event(warning, action, actor, now, note)
    audit.record(
        actor,
        AuditAction.UPDATE,
        warning,
        before=before,
        after=audit.snapshot(warning, STATE_FIELDS),
    )
    return warning


@transaction.atomic
def acknowledge(
    warning: Warning, *, actor: Any, note: str = "", now: dt.datetime | None = None
) -> Warning:
    """Acknowledge a raised warning: the unit knows and is on it; no more repeats."""
    return _move(
        warning, WarningStatus.ACKNOWLEDGED, actor=actor, note=note, now=now or timezone.now()
    )


@transaction.atomic
def resolve(
    warning: Warning, *, actor: Any, note: str = "", now: dt.datetime | None = None
) -> Warning:
    """Close a warning. If its condition is still found, the next evaluation raises a new one."""
    return _move(warning, WarningStatus.RESOLVED, actor=actor, note=note, now=now or timezone.now())


@dataclass
class RuleData:
    """What the rule form or a caller asks for."""

    name: str
    kind: str
    params: dict[str, Any]
    level: str
    region: Region | None = None
    enabled: bool = True
    notify_in_app: bool = True
    notify_email: bool = False
    notify_sms: bool = False
    notify_webhooks: bool = False
    repeat_hours: int = 0
    errors: dict[str, str] = field(default_factory=dict)


RULE_FIELDS = [
    "name",
    "kind",
    "params",
    "level",
    "region_id",
    "enabled",
    "notify_in_app",
    "notify_email",
    "notify_sms",
    "notify_webhooks",
    "repeat_hours",
]


@transaction.atomic
def save_rule(
    rule: WarningRule | None, data: RuleData, *, actor: Any, now: dt.datetime | None = None
) -> WarningRule:
    """Create (``rule`` None) or change a rule. The kind of an existing rule is fixed. Bad
    parameters raise ParamError (nothing written); a region outside the office's raises
    PermissionDenied."""
    now = now or timezone.now()
    target = data.region if data.region is not None else None
    if rule is not None and not actor.has_perm("alerts.manage_rules", rule):
        raise PermissionDenied
    if target is not None and not actor.has_perm("alerts.manage_rules", target):
        raise PermissionDenied
    if target is None and not actor.has_perm("alerts.manage_rules", WarningRule(region=None)):
        raise PermissionDenied
    if rule is not None and data.kind != rule.kind:
        raise ParamError({"": _("The kind of an existing rule cannot be changed.")})
    params = clean_params(kind_of(data.kind), data.params)
    if data.repeat_hours < 0:
        raise ParamError({"repeat_hours": _("Enter 0 or more hours.")})
    name = data.name.strip()
    if not name:
        raise ParamError({"name": _("Give the rule a name.")})
    if WarningRule.objects.filter(name=name).exclude(pk=rule.pk if rule else 0).exists():
        raise ParamError({"name": _("Another rule has this name.")})
    creating = rule is None
    rule = rule or WarningRule()
    before = {} if creating else audit.snapshot(rule, RULE_FIELDS)
    was_enabled = rule.enabled and not creating
    rule.name, rule.kind, rule.params, rule.level = name, data.kind, params, data.level
    rule.region = data.region
    rule.enabled = data.enabled
    rule.notify_in_app, rule.notify_email = data.notify_in_app, data.notify_email
    rule.notify_sms, rule.notify_webhooks = data.notify_sms, data.notify_webhooks
    rule.repeat_hours = data.repeat_hours
    rule.updated_by = actor
    rule.save()
    audit.record(
        actor,
        AuditAction.CREATE if creating else AuditAction.UPDATE,
        rule,
        before=before or None,
        after=audit.snapshot(rule, RULE_FIELDS),
    )
    if was_enabled and not rule.enabled:
        _close_all(rule, actor=actor, now=now)
    return rule


def _close_all(rule: WarningRule, *, actor: Any, now: dt.datetime) -> None:
    """Resolve the rule's open warnings when it is switched off (three statements)."""
    rows = list(Warning.objects.filter(rule=rule, status__in=OPEN))
    if not rows:
        return
    note = _("The rule was switched off.")
    Warning.objects.filter(pk__in=[w.pk for w in rows], status__in=OPEN).update(
        status=WarningStatus.RESOLVED, resolved_at=now, resolved_by=actor, resolve_note=note
    )
    WarningEvent.objects.bulk_create(
        [
            WarningEvent(
                warning=w,
                at=now,
                action=EventAction.RESOLVED,
                actor=actor,
                actor_name=str(actor),
                note=note,
            )
            for w in rows
        ]
    )
    audit.record_many(
        audit.entry(
            actor,
            AuditAction.UPDATE,
            w,
            before={"status": w.status},
            after={"status": WarningStatus.RESOLVED},
            note=note,
        )
        for w in rows
    )


@dataclass
class TargetData:
    name: str
    format: str
    url: str
    secret: str = ""
    levels: list[str] = field(default_factory=list)
    region: Region | None = None
    enabled: bool = True


TARGET_FIELDS = ["name", "format", "levels", "region_id", "enabled"]


@transaction.atomic
def save_target(target: WebhookTarget | None, data: TargetData, *, actor: Any) -> WebhookTarget:
    """Create or change a group robot. An empty ``url`` or ``secret`` on an existing robot
    keeps the stored one (forms never show them back); the audit log records only that the
    address or secret changed."""
    if target is not None and not actor.has_perm("alerts.manage_webhooks", target):
        raise PermissionDenied
    probe = WebhookTarget(region=data.region)
    if not actor.has_perm("alerts.manage_webhooks", probe):
        raise PermissionDenied
    errors: dict[str, str] = {}
    name = data.name.strip()
    url = data.url.strip()
    if not name:
        errors["name"] = _("Give the robot a name.")
    elif WebhookTarget.objects.filter(name=name).exclude(pk=target.pk if target else 0).exists():
        errors["name"] = _("Another group robot has this name.")
    if data.format not in WebhookFormat.values:
        errors["format"] = _("Choose 企业微信 or 钉钉.")
    if url and not url.startswith(("https://", "http://")):
        errors["url"] = _("The address must start with https://.")
    if not url and target is None:
        errors["url"] = _("Paste the robot's webhook address.")
    if not data.levels:
        errors["levels"] = _("Choose at least one level.")
    if errors:
        raise ParamError(errors)
    creating = target is None
    target = target or WebhookTarget()
    before = {} if creating else audit.snapshot(target, TARGET_FIELDS)
    target.name, target.format, target.levels = name, data.format, list(data.levels)
    target.region, target.enabled = data.region, data.enabled
    changed = []
    if url and url != target.url:
        target.url = url
        changed.append("url")
    if data.secret.strip() and data.secret.strip() != target.secret:
        target.secret = data.secret.strip()
        changed.append("secret")
    target.save()
    after = audit.snapshot(target, TARGET_FIELDS) | dict.fromkeys(changed, "<set>")
    audit.record(
        actor,
        AuditAction.CREATE if creating else AuditAction.UPDATE,
        target,
        before=before or None,
        after=after,
    )
    return target
