"""The audit log's hash chain: appends chain, verify finds changed and removed rows, prune keeps
the retention and leaves a checkpoint verify accepts (docs/adr/0014)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng import config
from chuangcheng.core import audit, audit_chain
from chuangcheng.core.models import AuditAction, AuditChainHead, AuditEntry

pytestmark = pytest.mark.django_db

TRIGGER = "core_auditentry_no_change"


def _raw(sql: str, params: list[Any]) -> None:
    """Tamper as someone with database access would: plain SQL, trigger switched off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {TRIGGER}")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE core_auditentry ENABLE TRIGGER {TRIGGER}")


def _five() -> list[AuditEntry]:
    first = audit.record("system", AuditAction.CREATE, object_type="t", note="一")
    more = audit.record_many(
        [
            audit.entry("system", AuditAction.UPDATE, object_type="t", after={"名": n, "n": 1.5})
            for n in ("二", "三", "四")
        ]
    )
    last = audit.record("system", AuditAction.DELETE, object_type="t", note="五")
    return [first, *more, last]


def _aged(days: int, note: str) -> AuditEntry:
    built = audit.entry("system", AuditAction.LOGIN, object_type="t", note=note)
    built.at = timezone.now() - dt.timedelta(days=days)
    return audit.record_many([built])[0]


def test_record_and_record_many_chain_in_id_order() -> None:
    rows = _five()
    stored = list(AuditEntry.objects.order_by("id").values_list("id", "prev_hash", "hash"))
    assert [r[0] for r in stored] == [e.pk for e in rows]
    assert stored[0][1] == ""
    assert [r[1] for r in stored[1:]] == [r[2] for r in stored[:-1]]
    assert all(len(r[2]) == 64 for r in stored)
    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_id, head.last_hash) == (rows[-1].pk, stored[-1][2])
    assert audit_chain.verify() == audit_chain.Verdict(True, 5, head_hash=stored[-1][2])


def test_hash_covers_the_stored_values_exactly() -> None:
    rows = _five()
    for row in AuditEntry.objects.order_by("id").values("hash", *audit_chain.FIELDS):
        assert audit_chain.digest(row) == row["hash"]
    assert rows[1].hash == AuditEntry.objects.get(pk=rows[1].pk).hash


def test_direct_writes_outside_the_chain_are_refused() -> None:
    with pytest.raises(PermissionError):
        AuditEntry(action="create", note="x").save()
    with pytest.raises(PermissionError):
        AuditEntry.objects.bulk_create([AuditEntry(action="create")])
    assert AuditEntry.objects.count() == 0


def _queries(count: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        audit.record_many([audit.entry("system", AuditAction.SEND) for _ in range(count)])
    return len(ctx.captured_queries)


def test_record_many_costs_the_same_queries_for_2_and_100_entries() -> None:
    audit.record("system", AuditAction.CREATE)
    # lock the head, one INSERT, move the head
    assert _queries(2) == 3
    assert _queries(100) == 3
    assert audit_chain.verify().checked == 103


def test_changed_row_fails_naming_it() -> None:
    rows = _five()
    _raw("UPDATE core_auditentry SET note = %s WHERE id = %s", ["改", rows[2].pk])
    verdict = audit_chain.verify()
    assert (verdict.ok, verdict.entry_id, verdict.checked) == (False, rows[2].pk, 2)
    assert verdict.problem == f"entry {rows[2].pk}: content changed (hash mismatch)"


def test_removed_middle_row_fails_at_its_successor() -> None:
    rows = _five()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [rows[2].pk])
    verdict = audit_chain.verify()
    assert (verdict.ok, verdict.entry_id, verdict.checked) == (False, rows[3].pk, 2)
    assert "prev_hash does not match" in verdict.problem


def test_removed_first_row_fails() -> None:
    rows = _five()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [rows[0].pk])
    assert audit_chain.verify().entry_id == rows[1].pk


def test_removed_last_row_fails_at_the_head() -> None:
    rows = _five()
    _raw("DELETE FROM core_auditentry WHERE id = %s", [rows[4].pk])
    verdict = audit_chain.verify()
    assert (verdict.ok, verdict.checked) == (False, 4)
    assert verdict.problem.startswith(
        f"the chain head names entry {rows[4].pk} but the last entry is {rows[3].pk}"
    )


def test_cli_verify_exit_codes() -> None:
    rows = _five()
    out = SimpleNamespace(lines=[])

    class Sink:
        def write(self, text: str) -> None:
            out.lines.append(text)

        def flush(self) -> None:
            pass

    call_command("audit", "verify", stdout=Sink())
    head = AuditChainHead.objects.get(pk=1).last_hash
    assert out.lines == [f"Audit chain intact: 5 entries; head {head}\n"]
    _raw("UPDATE core_auditentry SET actor_name = %s WHERE id = %s", ["x", rows[1].pk])
    with pytest.raises(CommandError) as err:
        call_command("audit", "verify")
    assert err.value.returncode == 1
    assert str(err.value) == (
        f"Audit chain broken after 1 good entries: entry {rows[1].pk}: content changed "
        "(hash mismatch)"
    )


def test_prune_removes_only_entries_past_the_retention() -> None:
    very_old = _aged(400, "a")
    old = _aged(181, "b")
    young = _aged(179, "c")
    late_old = _aged(200, "d")  # older but after a young entry: the prefix rule keeps it
    fresh = audit.record("system", AuditAction.CREATE, note="e")
    assert audit_chain.prune(retention_days=180) == 2
    remaining = list(AuditEntry.objects.order_by("id").values_list("id", flat=True))
    checkpoint = AuditEntry.objects.get(action=AuditAction.PRUNE)
    assert remaining == [young.pk, late_old.pk, fresh.pk, checkpoint.pk]
    assert checkpoint.after == {
        "removed": 2,
        "before": checkpoint.after["before"],
        "last_removed_id": old.pk,
        "last_removed_hash": old.hash,
    }
    assert very_old.pk < old.pk
    assert audit_chain.verify() == audit_chain.Verdict(True, 4, head_hash=checkpoint.hash)
    assert audit_chain.prune(retention_days=180) == 0
    assert AuditEntry.objects.count() == 4


def test_prune_never_goes_below_180_days() -> None:
    _aged(100, "a")
    assert audit_chain.prune(retention_days=30) == 0
    assert AuditEntry.objects.count() == 1


def test_removing_the_first_young_entry_after_a_prune_is_found() -> None:
    _aged(200, "a")
    young = _aged(10, "b")
    after = audit.record("system", AuditAction.CREATE)
    audit_chain.prune(retention_days=180)
    _raw("DELETE FROM core_auditentry WHERE id = %s", [young.pk])
    assert audit_chain.verify().entry_id == after.pk


def test_prune_command_and_periodic_job() -> None:
    from chuangcheng.core import jobs

    _aged(365, "a")
    call_command("audit", "prune")
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [AuditAction.PRUNE]
    _aged(365, "b")
    jobs.prune_audit()
    assert AuditEntry.objects.filter(action=AuditAction.PRUNE).count() == 1
    assert audit_chain.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgres_trigger_refuses_update_and_young_deletes() -> None:
    from django.db import DatabaseError, transaction

    young = _aged(10, "a")
    old = _aged(300, "b")
    with connection.cursor() as cursor:
        for sql, params in (
            ("UPDATE core_auditentry SET note = 'x' WHERE id = %s", [old.pk]),
            ("DELETE FROM core_auditentry WHERE id = %s", [old.pk]),
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(sql, params)
        with pytest.raises(DatabaseError), transaction.atomic():
            cursor.execute(
                "SELECT set_config('chuangcheng.audit_prune_before', %s, true)",
                [timezone.now().isoformat()],
            )
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [young.pk])
    assert AuditEntry.objects.count() == 2


def test_migration_chains_existing_rows() -> None:
    import importlib

    migration = importlib.import_module("chuangcheng.core.migrations.0006_audit_chain")
    rows = _five()
    _raw("UPDATE core_auditentry SET prev_hash = '', hash = ''", [])
    AuditChainHead.objects.all().delete()

    def execute(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql)

    migration.chain_existing(apps, SimpleNamespace(connection=connection, execute=execute))
    assert audit_chain.verify() == audit_chain.Verdict(
        True, 5, head_hash=AuditEntry.objects.get(pk=rows[-1].pk).hash
    )


def test_retention_setting_refuses_less_than_180_days() -> None:
    assert config.load({})["AUDIT_RETENTION_DAYS"] == 180
    assert config.load({"AUDIT_RETENTION_DAYS": "365"})["AUDIT_RETENTION_DAYS"] == 365
    with pytest.raises(config.ConfigError) as err:
        config.load({"AUDIT_RETENTION_DAYS": "179"})
    assert str(err.value) == (
        "AUDIT_RETENTION_DAYS: audit entries must be kept at least 180 days "
        "(网络安全法, 等保 2.0), got 179"
    )


def test_verify_page_only_for_auditors_and_shows_the_verdict(world: Any) -> None:
    from tests.conftest import login

    rows = _five()
    assert login(world.office).get("/audit/verify/").status_code == 404
    assert login(world.user_s1).get("/audit/verify/").status_code == 404
    auditor = login(world.auditor)
    body = auditor.get("/audit/verify/").content.decode()
    # the five entries and the three logins
    assert AuditEntry.objects.count() == 8
    assert "已校验 8 条记录。" in body
    head = AuditChainHead.objects.get(pk=1).last_hash
    assert " ".join((head[:16], head[16:32], head[32:48], head[48:])) in body
    _raw("UPDATE core_auditentry SET note = %s WHERE id = %s", ["改", rows[3].pk])
    body = auditor.get("/audit/verify/").content.decode()
    assert f"entry {rows[3].pk}: content changed (hash mismatch)" in body
