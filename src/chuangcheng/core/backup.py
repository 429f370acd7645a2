"""Backup and restore of the whole installation: one ``.tar.gz`` (docs/adr/0014).

The archive holds ``manifest.json`` (format, latest migration per app, rows per model, sha256 of
every file), ``data/<app.model>.jsonl`` (Django's serialised rows, ids kept, written in batches)
and the files under ``media/`` (MEDIA_ROOT) and ``archives/`` (ARCHIVES_ROOT). Personal data in
encrypted fields stays encrypted in the archive, so restoring needs the same
``FIELD_ENCRYPTION_KEY`` (as does the audit chain). The rows are portable between SQLite and
PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from chuangcheng.core import audit, crypto
from chuangcheng.core.fields import EncryptedTextField
from chuangcheng.core.models import AuditAction, AuditEntry

FORMAT = 1
BATCH = 1000
# Sessions are log-in tokens, not data: a restored site asks everyone to log in again.
SKIPPED = frozenset({"sessions.session"})


class BackupError(Exception):
    """A backup or restore cannot go on; the message says why and what to do."""


class _Encoder(DjangoJSONEncoder):
    # Django's encoder cuts microseconds to milliseconds; the audit chain's hashes cover them.
    def default(self, o: Any) -> Any:
        if isinstance(o, (dt.datetime, dt.time)):
            return o.isoformat()
        return super().default(o)


def _models() -> list[type[models.Model]]:
    return [
        m
        for m in apps.get_models()
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in SKIPPED
    ]


def _tables() -> list[str]:
    """Every table a restore replaces: the models', their many-to-many tables, sessions."""
    names = {
        m._meta.db_table
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy
    }
    return sorted(names & set(connection.introspection.table_names()))


def _encrypted(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _files(root: Path) -> Iterator[Path]:
    if root.is_dir():
        yield from sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def code_migrations() -> dict[str, str]:
    """The latest migration of every app, as the code defines them."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return dict(sorted(loader.graph.leaf_nodes()))


def _applied_migrations() -> dict[str, str]:
    latest: dict[str, str] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        latest[app] = max(latest.get(app, ""), name)
    return latest


def _dump_model(model: type[models.Model], target: Path) -> int:
    secret = _encrypted(model)
    count = 0
    with target.open("w", encoding="utf-8") as out:
        batch: list[models.Model] = []
        rows = model._base_manager.order_by("pk").iterator(chunk_size=BATCH)
        for obj in rows:
            batch.append(obj)
            if len(batch) == BATCH:
                count += _write(batch, secret, out)
                batch = []
        count += _write(batch, secret, out)
    return count


def _write(batch: list[models.Model], secret: list[str], out: Any) -> int:
    for item in serializers.serialize("python", batch):
        for name in secret:
            item["fields"][name] = crypto.encrypt(item["fields"][name] or "")
        out.write(json.dumps(item, cls=_Encoder, ensure_ascii=False) + "\n")
    return len(batch)


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"chuangcheng-{stamp}.tar.gz"


def write_backup(output: Path, *, actor: Any = "cli") -> dict[str, Any]:
    """Write the archive to ``output``; returns the manifest."""
    output.parent.mkdir(parents=True, exist_ok=True)
    roots = {"media": Path(settings.MEDIA_ROOT), "archives": Path(settings.ARCHIVES_ROOT)}
    with tempfile.TemporaryDirectory(prefix="cc-backup-") as tmp:
        data_dir = Path(tmp) / "data"
        data_dir.mkdir()
        counts: dict[str, int] = {}
        # One transaction: the rows are one consistent snapshot, and the backup's own audit
        # entry is in it. (Inside a caller's transaction, that one decides the isolation.)
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            audit.record(
                actor,
                AuditAction.EXPORT,
                object_type="backup",
                object_repr=output.name[:200],
                note="backup",
            )
            for model in _models():
                label = model._meta.label_lower
                counts[label] = _dump_model(model, data_dir / f"{label}.jsonl")
            migrations = _applied_migrations()
        files = {f"data/{p.name}": _sha256(p) for p in sorted(data_dir.iterdir())}
        for prefix, root in roots.items():
            for path in _files(root):
                files[f"{prefix}/{path.relative_to(root).as_posix()}"] = _sha256(path)
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(),
            "vendor": connection.vendor,
            "migrations": migrations,
            "counts": counts,
            "files": files,
        }
        manifest_path = Path(tmp) / "manifest.json"
        manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(manifest_path, arcname="manifest.json")
            tar.add(data_dir, arcname="data")
            for prefix, root in roots.items():
                for path in _files(root):
                    tar.add(path, arcname=f"{prefix}/{path.relative_to(root).as_posix()}")
        partial.replace(output)
    return manifest


@dataclass(frozen=True)
class Restored:
    rows: int
    files: int


def _read_manifest(tmp: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads((tmp / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError("the archive has no readable manifest.json") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}; expected {FORMAT}")
    code = code_migrations()
    theirs = manifest.get("migrations", {})
    differ = sorted(
        f"{app}: backup {theirs.get(app, '-')}, code {code.get(app, '-')}"
        for app in set(code) | set(theirs)
        if theirs.get(app) != code.get(app)
    )
    if differ:
        raise BackupError(
            "the backup was made with a different database schema; restore it with the "
            "version of chuangcheng that wrote it (then upgrade). Differences: " + "; ".join(differ)
        )
    if _applied_migrations() != code:
        raise BackupError("this database is not fully migrated; run `chuangcheng migrate` first")
    for name, expected in manifest["files"].items():
        path = tmp / name
        if not path.is_file() or _sha256(path) != expected:
            raise BackupError(f"{name}: missing or damaged in the archive (sha256 differs)")
    return manifest


def _holds_data() -> bool:
    # A freshly migrated database holds preset rows but no accounts and no audit log.
    from django.contrib.auth import get_user_model

    roots = (Path(settings.MEDIA_ROOT), Path(settings.ARCHIVES_ROOT))
    return (
        get_user_model()._base_manager.exists()
        or AuditEntry.objects.exists()
        or any(next(_files(root), None) for root in roots)
    )


def _load(data: Path, manifest: dict[str, Any]) -> int:
    loaded = 0
    known = {m._meta.label_lower: m for m in _models()}
    for label in manifest["counts"]:
        model = known.get(label)
        if model is None:
            raise BackupError(f"the backup holds rows of {label}, which this code does not know")
        secret = _encrypted(model)
        with (data / f"{label}.jsonl").open(encoding="utf-8") as lines:
            batch: list[dict[str, Any]] = []
            for line in lines:
                item = json.loads(line)
                for name in secret:
                    item["fields"][name] = crypto.decrypt(item["fields"][name])
                batch.append(item)
                if len(batch) == BATCH:
                    loaded += _save(batch)
                    batch = []
            loaded += _save(batch)
    return loaded


def _save(batch: list[dict[str, Any]]) -> int:
    # Raw saves (as loaddata): no model save() overrides, so the append-only audit log loads.
    for obj in serializers.deserialize("python", batch, handle_forward_references=True):
        obj.save()
    return len(batch)


def _check_counts(manifest: dict[str, Any]) -> None:
    known = {m._meta.label_lower: m for m in _models()}
    for label, expected in manifest["counts"].items():
        found = known[label]._base_manager.count()
        if found != expected:
            raise BackupError(f"{label}: {found} rows after loading, the backup says {expected}")


def _replace_files(tmp: Path) -> int:
    copied = 0
    for prefix, root in (("media", settings.MEDIA_ROOT), ("archives", settings.ARCHIVES_ROOT)):
        target = Path(root)
        if target.is_dir():
            for child in target.iterdir():
                if child.is_dir() and not child.is_symlink():
                    shutil.rmtree(child)
                else:
                    child.unlink()
        source = tmp / prefix
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
            copied += sum(1 for _ in _files(source))
    return copied


def restore_backup(archive: Path, *, force: bool = False, actor: Any = "cli") -> Restored:
    """Replace the database and the files with the archive's; all or nothing for the rows."""
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    with tempfile.TemporaryDirectory(prefix="cc-restore-") as name:
        tmp = Path(name)
        try:
            with tarfile.open(archive, "r:gz") as tar:
                tar.extractall(tmp, filter="data")
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{archive}: not a readable backup archive ({exc})") from exc
        manifest = _read_manifest(tmp)
        if _holds_data() and not force:
            raise BackupError(
                "this installation already holds accounts, audit entries or files; "
                "restore with --force to replace everything"
            )
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # TRUNCATE refuses tables with deferred checks still pending (a caller's
                    # writes earlier in the transaction): run them now.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                for sql in connection.ops.sql_flush(no_style(), _tables(), allow_cascade=True):
                    cursor.execute(sql)
            with connection.constraint_checks_disabled():
                rows = _load(tmp / "data", manifest)
            connection.check_constraints()
            every = list(apps.get_models(include_auto_created=True))
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), every):
                    cursor.execute(sql)
            from django.contrib.contenttypes.models import ContentType

            ContentType.objects.clear_cache()
            _check_counts(manifest)
            files = _replace_files(tmp)
            audit.record(
                actor,
                AuditAction.IMPORT,
                object_type="backup",
                object_repr=archive.name[:200],
                note=f"restore: {rows} rows, {files} files",
            )
    return Restored(rows=rows, files=files)
