"""The rule engine: evaluate each enabled rule's kind and keep its warnings in step.

For one rule, in one transaction:

- a finding whose key has no open warning of the rule raises one (``raised``) and announces it;
- a finding whose key has an open warning updates it (last seen, value, level, texts) — a
  condition that persists never raises a second warning;
- an open warning whose key is no longer found is resolved automatically;
- a raised (unacknowledged) warning whose rule repeats every *n* hours, and whose last
  announcement is *n* hours old, is announced again (``repeat:2``, ``repeat:3`` …).
  Acknowledging stops the repeats; after resolution the same condition raises a new warning.

Findings outside the rule's region are dropped. The number of queries per rule does not grow
with the number of findings or warnings (bulk inserts and updates); the database's partial
unique index keeps two evaluators running at once from opening the same warning twice.
A rule whose kind fails is recorded (``last_error``) and skipped; the others still run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chuangcheng.alerts.domain import delivery
from chuangcheng.alerts.domain.kinds import KINDS, Finding
from chuangcheng.alerts.domain.params import ParamError, clean_params
from chuangcheng.alerts.enums import OPEN, EventAction, WarningStatus
from chuangcheng.alerts.models import Warning, WarningEvent, WarningRule, WebhookTarget
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.reading import campaign_region

log = logging.getLogger("chuangcheng.alerts")

UPDATED_FIELDS = ["last_seen_at", "value", "level", "title", "detail", "url", "unit", "region"]


@dataclass
class RuleOutcome:
    rule: WarningRule
    found: int = 0
    raised: int = 0
    updated: int = 0
    resolved: int = 0
    repeated: int = 0
    error: str = ""


@dataclass
class Evaluation:
    now: dt.datetime
    rules: list[RuleOutcome] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(int(getattr(r, name)) for r in self.rules)


@dataclass(frozen=True)
class Placed:
    """A finding with the region it is located in (its own, its unit's, or the rule's)."""

    finding: Finding
    region: Region
    level: str


def _campaign() -> Region | None:
    try:
        return campaign_region()
    except ScoringError:
        return None


def place(
    rule: WarningRule, findings: Sequence[Finding], campaign: Region | None
) -> dict[str, Placed]:
    """The findings inside the rule's region, by key (the last of a repeated key wins). Two
    queries: the units' regions and the regions' paths."""
    unit_regions = dict(
        Unit.objects.filter(pk__in={f.unit_id for f in findings if f.unit_id}).values_list(
            "pk", "region_id"
        )
    )
    wanted = {f.region_id or unit_regions.get(f.unit_id or 0) for f in findings} - {None}
    regions = Region.objects.in_bulk(list(wanted))
    watched = rule.region or campaign
    placed: dict[str, Placed] = {}
    for f in findings:
        region = regions.get(f.region_id or unit_regions.get(f.unit_id or 0) or 0) or watched
        if region is None:
            continue
        if rule.region is not None and not region.path.startswith(rule.region.path):
            continue
        placed[f.key] = Placed(f, region, f.level or rule.level)
    return placed


def _new_warning(rule: WarningRule, p: Placed, now: dt.datetime) -> Warning:
    f = p.finding
    return Warning(
        rule=rule,
        key=f.key[:160],
        level=p.level,
        title=f.title[:200],
        detail=f.detail,
        value=f.value,
        unit_id=f.unit_id,
        region=p.region,
        url=f.url[:300],
        status=WarningStatus.RAISED,
        raised_at=now,
        last_seen_at=now,
        last_notified_at=now,
        notify_count=1,
    )


def _refresh(warning: Warning, p: Placed, now: dt.datetime) -> None:
    f = p.finding
    warning.last_seen_at = now
    warning.value = f.value
    warning.level = p.level
    warning.title = f.title[:200]
    warning.detail = f.detail
    warning.url = f.url[:300]
    warning.unit_id = f.unit_id
    warning.region = p.region


def _repeat_due(rule: WarningRule, warning: Warning, now: dt.datetime) -> bool:
    if rule.repeat_hours <= 0 or warning.status != WarningStatus.RAISED:
        return False
    last = warning.last_notified_at or warning.raised_at
    return last + dt.timedelta(hours=rule.repeat_hours) <= now


def _event(warning: Warning, action: str, now: dt.datetime, **data: Any) -> WarningEvent:
    return WarningEvent(warning=warning, at=now, action=action, actor_name=_("System"), data=data)


def _findings(rule: WarningRule, now: dt.datetime) -> tuple[list[Finding], str]:
    """Run the rule's kind; an error message instead when it cannot run."""
    kind = KINDS.get(rule.kind)
    if kind is None:
        return [], _("The kind “%(kind)s” is not installed.") % {"kind": rule.kind}
    try:
        params = clean_params(kind, rule.params)
    except ParamError as exc:
        return [], str(exc)
    return list(kind.evaluate(params, now)), ""


def evaluate_rule(
    rule: WarningRule,
    *,
    now: dt.datetime,
    campaign: Region | None,
    targets: Sequence[WebhookTarget],
    send: bool = True,
) -> RuleOutcome:
    """Evaluate one rule (see the module's docstring); returns what changed."""
    outcome = RuleOutcome(rule)
    with translation.override(settings.LANGUAGE_CODE):
        try:
            findings, outcome.error = _findings(rule, now)
        except Exception as exc:  # one failing kind must not stop the others
            log.exception("warning rule %s (%s) failed", rule.pk, rule.kind)
            findings, outcome.error = [], f"{type(exc).__name__}: {exc}"[:1000]
        if outcome.error:
            WarningRule.objects.filter(pk=rule.pk).update(last_run_at=now, last_error=outcome.error)
            return outcome
        with transaction.atomic():
            _apply(
                rule,
                place(rule, findings, campaign),
                outcome=outcome,
                now=now,
                targets=targets,
                send=send,
            )
            WarningRule.objects.filter(pk=rule.pk).update(
                last_run_at=now, last_found=outcome.found, last_error=""
            )
    return outcome


def _apply(
    rule: WarningRule,
    placed: dict[str, Placed],
    *,
    outcome: RuleOutcome,
    now: dt.datetime,
    targets: Sequence[WebhookTarget],
    send: bool,
) -> None:
    outcome.found = len(placed)
    # Locked (PostgreSQL) so an acknowledgement or another evaluator waits for this one.
    current = {
        w.key: w
        for w in Warning.objects.filter(rule=rule, status__in=OPEN)
        .select_for_update()
        .order_by("pk")
    }
    fresh = [_new_warning(rule, p, now) for key, p in placed.items() if key not in current]
    if fresh:
        Warning.objects.bulk_create(fresh, ignore_conflicts=True)
    kept = [w for key, w in current.items() if key in placed]
    for w in kept:
        _refresh(w, placed[w.key], now)
    if kept:
        Warning.objects.bulk_update(kept, UPDATED_FIELDS)
    gone = [w for key, w in current.items() if key not in placed]
    if gone:
        Warning.objects.filter(pk__in=[w.pk for w in gone], status__in=OPEN).update(
            status=WarningStatus.RESOLVED, resolved_at=now, auto_resolved=True
        )
    repeats = [w for w in kept if _repeat_due(rule, w, now)]
    for w in repeats:
        w.notify_count += 1
        w.last_notified_at = now
    if repeats:
        Warning.objects.bulk_update(repeats, ["notify_count", "last_notified_at"])
    # Re-read what was raised now (a concurrent evaluator's row is not ours to announce) and
    # what is repeated, with what the announcements need.
    told: list[Warning] = []
    if fresh or repeats:
        told = list(
            Warning.objects.filter(
                Q(
                    rule=rule,
                    status=WarningStatus.RAISED,
                    raised_at=now,
                    key__in=[w.key for w in fresh],
                )
                | Q(pk__in=[w.pk for w in repeats])
            )
            .select_related("unit", "region")
            .order_by("pk")
        )
    repeated_ids = {w.pk for w in repeats}
    items = [
        (w, delivery.repeat_event(w.notify_count) if w.pk in repeated_ids else delivery.RAISED)
        for w in told
    ]
    used = delivery.announce(rule, items, targets=targets, now=now, send=send)
    events = []
    entries = []
    for w, event in items:
        if w.pk in repeated_ids:
            events.append(_event(w, EventAction.REPEATED, now, n=w.notify_count, **used[w.pk]))
        else:
            events.append(_event(w, EventAction.RAISED, now, value=w.value))
            events.append(_event(w, EventAction.NOTIFIED, now, **used[w.pk]))
            entries.append(
                audit.entry(None, AuditAction.CREATE, w, after=audit.snapshot(w), note=event)
            )
    for w in gone:
        events.append(_event(w, EventAction.AUTO_RESOLVED, now))
        entries.append(
            audit.entry(
                None,
                AuditAction.UPDATE,
                w,
                before={"status": w.status},
                after={"status": WarningStatus.RESOLVED, "auto_resolved": True},
                note="auto-resolved: no longer found",
            )
        )
    WarningEvent.objects.bulk_create(events)
    audit.record_many(entries)
    outcome.raised = len(told) - len(repeats)
    outcome.updated = len(kept)
    outcome.resolved = len(gone)
    outcome.repeated = len(repeats)


def evaluate(
    *,
    now: dt.datetime | None = None,
    rules: Iterable[WarningRule] | None = None,
    send: bool = True,
) -> Evaluation:
    """Evaluate ``rules`` (default: every enabled rule); disabled rules are skipped."""
    now = now or timezone.now()
    chosen = (
        list(WarningRule.objects.filter(enabled=True).select_related("region").order_by("pk"))
        if rules is None
        else [r for r in rules if r.enabled]
    )
    result = Evaluation(now)
    if not chosen:
        return result
    campaign = _campaign()
    targets = delivery.enabled_targets() if any(r.notify_webhooks for r in chosen) else []
    for rule in chosen:
        result.rules.append(
            evaluate_rule(rule, now=now, campaign=campaign, targets=targets, send=send)
        )
    return result
