"""Write audit entries. Domain functions call :func:`record` inside their transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.db import models

from chuangcheng.core import audit_chain
from chuangcheng.core.export_audit import mark_exported
from chuangcheng.core.middleware import current_ip
from chuangcheng.core.models import AuditAction, AuditEntry

# Field names whose values are personal data: the log keeps only a marker that they changed.
PERSONAL_FIELDS = frozenset(
    {"phone", "head_phone", "contact_phone", "reporter_phone", "id_number", "password"}
)


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str] | None = None) -> dict[str, Any]:
    """The audited state of ``obj``: concrete field values, personal data redacted."""
    names = list(fields) if fields is not None else [f.attname for f in obj._meta.concrete_fields]
    state: dict[str, Any] = {}
    for name in names:
        value = getattr(obj, name)
        base = name.removesuffix("_id")
        state[name] = ("<set>" if value else "") if base in PERSONAL_FIELDS else _plain(value)
    return state


def entry(
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_repr: str = "",
    outcome: str = "ok",
    note: str = "",
) -> AuditEntry:
    """An unsaved entry, as :func:`record` would write it; for :func:`record_many`."""
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: before.get(k) for k in sorted(changed)}
        after = {k: after.get(k) for k in sorted(changed)}
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry(
        actor=user,
        actor_name=(user.get_username() if user else (str(actor) if actor else "system")),
        action=str(action),
        object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr or (str(obj) if obj is not None else ""))[:200],
        before=before,
        after=after,
        outcome=outcome,
        ip=current_ip.get(),
        note=note,
    )


def record(
    actor: Any,
    action: AuditAction | str,
    obj: models.Model | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    object_type: str = "",
    object_repr: str = "",
    outcome: str = "ok",
    note: str = "",
) -> AuditEntry:
    """Append one entry. ``actor`` may be None for the system or an anonymous caller."""
    built = entry(
        actor,
        action,
        obj,
        before=before,
        after=after,
        object_type=object_type,
        object_repr=object_repr,
        outcome=outcome,
        note=note,
    )
    audit_chain.append([built])
    if built.action == AuditAction.EXPORT:
        mark_exported()
    return built


def record_many(entries: Iterable[AuditEntry]) -> list[AuditEntry]:
    """Append many entries built with :func:`entry` in one statement (a job flagging a hundred
    cases writes a hundred entries, not a hundred queries). Both writers chain (ADR 0014)."""
    written = audit_chain.append(list(entries))
    if any(e.action == AuditAction.EXPORT for e in written):
        mark_exported()
    return written
