"""Backup and restore: a round trip gives the same rows, files and an intact audit chain."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from chuangcheng.accounts.models import User
from chuangcheng.core import audit, audit_chain, backup
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.conftest import World
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FILES = {
    "media/cases/2026/照片.jpg": b"\xff\xd8photo",
    "media/logo.png": b"\x89PNG",
    "archives/7/材料-v1.pdf": b"%PDF-1.7 archive",
}


@pytest.fixture
def roots(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ARCHIVES_ROOT = tmp_path / "archives"
    for name, content in FILES.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
    return tmp_path


def _rows() -> dict[str, list[tuple[Any, ...]]]:
    """Every table, every field, ordered by primary key."""
    found = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label_lower in backup.SKIPPED or not model._meta.managed:
            continue
        names = [f.attname for f in model._meta.concrete_fields]
        found[model._meta.label_lower] = list(
            model._base_manager.order_by("pk").values_list(*names)
        )
    return found


def _files(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.parts[len(root.parts)] in {"media", "archives"}
    }


def _wipe(root: Path) -> None:
    if connection.vendor == "postgresql":
        # The test's own transaction has deferred FK checks pending; TRUNCATE needs none.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    call_command("flush", interactive=False, verbosity=0)
    for name in FILES:
        (root / name).unlink()


def test_round_trip_gives_identical_rows_files_and_chain(world: World, roots: Path) -> None:
    UserFactory(username="带手机", phone="13912345678")
    audit.record(world.office, AuditAction.UPDATE, world.unit_s1, before={"n": 1}, after={"n": 2})
    audit.record_many([audit.entry(None, AuditAction.SEND, note=str(n)) for n in range(3)])
    archive = roots / "out" / "b.tar.gz"
    manifest = backup.write_backup(archive)
    before, files = _rows(), _files(roots)
    assert before["core.auditentry"][-1][2:5] == (None, "cli", "export")
    assert manifest["counts"]["core.auditentry"] == len(before["core.auditentry"])
    assert manifest["counts"]["accounts.user"] == User.objects.count()
    assert set(manifest["files"]) >= {"media/logo.png", "archives/7/材料-v1.pdf"}
    assert manifest["migrations"]["core"] == "0006_audit_chain"

    _wipe(roots)
    assert User.objects.count() == 0
    done = backup.restore_backup(archive)

    after = _rows()
    restored_audit = after.pop("core.auditentry")
    assert restored_audit[:-1] == before.pop("core.auditentry")
    assert restored_audit[-1][5:8] == ("backup", "", "b.tar.gz")
    # The restore's own entry moved the head on from the restored one.
    assert after.pop("core.auditchainhead") == [(1, *restored_audit[-1][::14])]
    before.pop("core.auditchainhead")
    assert after == before
    assert _files(roots) == files == FILES
    assert done == backup.Restored(rows=sum(manifest["counts"].values()), files=3)
    assert User.objects.get(username="带手机").phone == "13912345678"
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE username = %s", ["带手机"])
        assert "13912345678" not in cursor.fetchone()[0]
    assert audit_chain.verify().ok
    # Sequences continue after the restored ids.
    assert UserFactory().pk > max(r[0] for r in before["accounts.user"])


def test_archive_keeps_personal_data_encrypted(world: World, roots: Path) -> None:
    UserFactory(username="p", phone="13912345678")
    archive = roots / "b.tar.gz"
    backup.write_backup(archive)
    with tarfile.open(archive) as tar:
        member = tar.extractfile("data/accounts.user.jsonl")
        assert member is not None
        text = member.read().decode()
    assert "13912345678" not in text
    assert '"username": "p"' in text


def test_restore_refuses_a_database_with_data_unless_forced(world: World, roots: Path) -> None:
    archive = roots / "b.tar.gz"
    backup.write_backup(archive)
    UserFactory(username="later")
    with pytest.raises(CommandError) as err:
        call_command("restore", str(archive))
    assert str(err.value) == (
        "this installation already holds accounts, audit entries or files; "
        "restore with --force to replace everything"
    )
    assert User.objects.filter(username="later").count() == 1
    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert User.objects.filter(username="later").count() == 0
    assert audit_chain.verify().ok


def _rewrite(archive: Path, change: dict[str, Any]) -> Path:
    """A copy of ``archive`` with its manifest changed."""
    target = archive.with_name("changed.tar.gz")
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as out:
        for member in src.getmembers():
            data = src.extractfile(member) if member.isfile() else None
            if member.name == "manifest.json" and data is not None:
                manifest = json.loads(data.read())
                manifest.update(change)
                raw = json.dumps(manifest).encode()
                member.size = len(raw)
                out.addfile(member, io.BytesIO(raw))
            else:
                out.addfile(member, data)
    return target


def test_restore_refuses_another_schema(world: World, roots: Path) -> None:
    archive = roots / "b.tar.gz"
    manifest = backup.write_backup(archive)
    old = dict(manifest["migrations"], core="0004_outbound_webhook_channel")
    _wipe(roots)
    with pytest.raises(backup.BackupError) as err:
        backup.restore_backup(_rewrite(archive, {"migrations": old}))
    assert str(err.value).startswith(
        "the backup was made with a different database schema; restore it with the version "
        "of chuangcheng that wrote it (then upgrade). Differences: core: backup "
        "0004_outbound_webhook_channel, code 0006_audit_chain"
    )
    assert User.objects.count() == 0


def test_restore_refuses_a_damaged_file(world: World, roots: Path) -> None:
    archive = roots / "b.tar.gz"
    manifest = backup.write_backup(archive)
    files = dict(manifest["files"], **{"media/logo.png": "0" * 64})
    _wipe(roots)
    with pytest.raises(backup.BackupError) as err:
        backup.restore_backup(_rewrite(archive, {"files": files}))
    assert str(err.value) == "media/logo.png: missing or damaged in the archive (sha256 differs)"
    assert User.objects.count() == 0


def test_backup_command_writes_the_archive(world: World, roots: Path) -> None:
    out = io.StringIO()
    call_command("backup", "--output", str(roots / "x.tar.gz"), stdout=out)
    assert out.getvalue().startswith(f"Wrote {roots / 'x.tar.gz'}: ")
    with tarfile.open(roots / "x.tar.gz") as tar:
        member = tar.extractfile("manifest.json")
        assert member is not None
        manifest = json.loads(member.read())
    rows = sum(manifest["counts"].values())
    assert (
        out.getvalue()
        == f"Wrote {roots / 'x.tar.gz'}: {rows} rows, {len(manifest['files'])} files.\n"
    )
    assert len(manifest["files"]) == len(manifest["counts"]) + 3
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry is not None
    assert (entry.action, entry.object_type, entry.object_repr, entry.note) == (
        "export",
        "backup",
        "x.tar.gz",
        "backup",
    )
