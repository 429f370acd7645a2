"""The audit log's hash chain: append, verify, prune (docs/adr/0014).

Each entry's ``hash`` is an HMAC-SHA-256, under a key derived from ``FIELD_ENCRYPTION_KEY``,
over a canonical JSON of its fields and its predecessor's hash (``prev_hash``). Changing a row
breaks its own hash; removing one breaks its successor's ``prev_hash``; removing the tail
disagrees with :class:`AuditChainHead`. Without the key nobody can recompute the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from chuangcheng.core.models import AuditAction, AuditChainHead, AuditEntry

# The fields the HMAC covers, in the order of AuditEntry (the canonical JSON sorts them anyway).
FIELDS = (
    "at",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "outcome",
    "ip",
    "note",
    "prev_hash",
)
# The database trigger refuses deleting younger rows whatever the prune asks (migration 0005).
MIN_RETENTION_DAYS = 180
BATCH = 2000


def _key() -> bytes:
    return hashlib.sha256(f"audit-chain:{settings.FIELD_ENCRYPTION_KEY}".encode()).digest()


def _instant(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _json(value: Any) -> Any:
    # What a JSONField gives back after storing ``value`` (tuples become lists, keys strings).
    return None if value is None else json.loads(json.dumps(value))


def digest(values: dict[str, Any]) -> str:
    """The hex HMAC of one entry given as a mapping of :data:`FIELDS` (model or ``values()``)."""
    canonical = {name: values[name] for name in FIELDS}
    canonical["at"] = _instant(values["at"])
    canonical["before"] = _json(values["before"])
    canonical["after"] = _json(values["after"])
    canonical["ip"] = values["ip"] or None
    text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def _fields_of(entry: AuditEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in FIELDS}


def _locked_head() -> AuditChainHead:
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        # Only after a flush (tests) or a fresh restore target: start from the last row.
        last = AuditEntry.objects.order_by("-id").values("id", "hash").first()
        head = AuditChainHead.objects.create(
            pk=1,
            last_id=last["id"] if last else None,
            last_hash=last["hash"] if last else "",
        )
    return head


def append(entries: Sequence[AuditEntry]) -> list[AuditEntry]:
    """Chain and insert ``entries`` in order: a constant number of queries for any batch that
    fits one INSERT (lock the head, insert, move the head)."""
    if not entries:
        return []
    # No savepoint: a failed append fails the caller's transaction anyway, and a domain
    # function's query budget only grows by the head's read and write.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        prev = head.last_hash
        for item in entries:
            item.before = _json(item.before)
            item.after = _json(item.after)
            item.prev_hash = prev
            item.hash = prev = digest(_fields_of(item))
        if len(entries) == 1:
            entries[0].save()
            saved = list(entries)
        else:
            saved = AuditEntry.objects.bulk_create(list(entries))
        last_id = saved[-1].pk
        if last_id is None:  # a backend that cannot return ids from a bulk insert
            last_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
        AuditChainHead.objects.filter(pk=1).update(last_id=last_id, last_hash=prev)
    return saved


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    problem: str = ""
    entry_id: int | None = None
    head_hash: str = ""


def _rows() -> Iterator[dict[str, Any]]:
    # Keyset batches: constant memory, and no server-side cursor held across a long walk.
    after = 0
    while True:
        batch = list(
            AuditEntry.objects.filter(id__gt=after)
            .order_by("id")
            .values("id", "hash", *FIELDS)[:BATCH]
        )
        if not batch:
            return
        yield from batch
        after = batch[-1]["id"]


def _checkpoint() -> tuple[int, str] | None:
    """(last removed id, its hash) of the latest prune that removed anything."""
    latest = (
        AuditEntry.objects.filter(action=AuditAction.PRUNE, after__isnull=False)
        .order_by("-id")
        .values_list("after", flat=True)
        .first()
    )
    if not isinstance(latest, dict) or "last_removed_hash" not in latest:
        return None
    return int(latest["last_removed_id"]), str(latest["last_removed_hash"])


def verify() -> Verdict:
    """Walk the chain in id order; the first broken link names its entry."""
    checkpoint = _checkpoint()
    expected_prev: str | None = None
    checked = 0
    last: dict[str, Any] | None = None
    for row in _rows():
        if expected_prev is None:
            expected_prev = ""
            if row["prev_hash"] and checkpoint and row["id"] > checkpoint[0]:
                # The oldest rows went by a prune; its checkpoint names the last removed hash.
                expected_prev = checkpoint[1]
        if row["prev_hash"] != expected_prev:
            return Verdict(
                False,
                checked,
                f"entry {row['id']}: the entry before it was removed or changed "
                "(prev_hash does not match)",
                row["id"],
            )
        if not hmac.compare_digest(digest(row), row["hash"]):
            return Verdict(
                False, checked, f"entry {row['id']}: content changed (hash mismatch)", row["id"]
            )
        expected_prev = row["hash"]
        checked += 1
        last = row
    head = AuditChainHead.objects.filter(pk=1).first()
    head_id = head.last_id if head else None
    head_hash = head.last_hash if head else ""
    if last is None:
        if head_id is not None:
            return Verdict(False, 0, f"the chain head names entry {head_id} but the log is empty")
        return Verdict(True, 0)
    if head_id != last["id"] or head_hash != last["hash"]:
        return Verdict(
            False,
            checked,
            f"the chain head names entry {head_id} but the last entry is {last['id']} "
            "(entries at the end were removed or the head was changed)",
            last["id"],
        )
    return Verdict(True, checked, head_hash=head_hash)


def prune(*, retention_days: int | None = None, now: dt.datetime | None = None) -> int:
    """Delete the oldest entries older than the retention and append a checkpoint entry naming
    the last removed hash; returns how many were removed (0 writes nothing)."""
    days = max(
        MIN_RETENTION_DAYS, retention_days if retention_days else settings.AUDIT_RETENTION_DAYS
    )
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    with transaction.atomic():
        _locked_head()
        # Only a prefix in id order goes, so the chain stays one unbroken run after it.
        first_young = (
            AuditEntry.objects.filter(at__gte=cutoff)
            .order_by("id")
            .values_list("id", flat=True)
            .first()
        )
        old = AuditEntry.objects.filter(at__lt=cutoff)
        if first_young is not None:
            old = old.filter(id__lt=first_young)
        last = old.order_by("-id").values("id", "hash").first()
        if last is None:
            return 0
        table = AuditEntry._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT set_config('chuangcheng.audit_prune_before', %s, true)",
                    [cutoff.isoformat()],
                )
            cursor.execute(f"DELETE FROM {table} WHERE id <= %s", [last["id"]])  # noqa: S608
            removed: int = cursor.rowcount
            if connection.vendor == "postgresql":
                cursor.execute("SELECT set_config('chuangcheng.audit_prune_before', '', true)")
        from chuangcheng.core import audit

        audit.record(
            None,
            AuditAction.PRUNE,
            object_type=table,
            after={
                "removed": removed,
                "before": _instant(cutoff),
                "last_removed_id": last["id"],
                "last_removed_hash": last["hash"],
            },
            note=f"{removed} entries older than {days} days removed",
        )
    return removed
