"""The declaration package (网上申报材料包): a .zip of a year's materials ordered like the
framework, for the national online declaration.

Folders follow the tree — 项目 / 指标 / 测评内容 — each named with its position among its
siblings ("01 …", "02 …") so they sort in the framework's order in any file manager; a clause's
files sit in its 测评内容 folder, named with the clause's position, the unit and the title. An
.xlsx index comes first (clause, unit, title, file, SHA-256, review state). Only approved
materials go in unless the office asks for all.

Every file is read back and its SHA-256 compared with the one stored at upload: a file that no
longer matches (or is gone) stops the export with a message naming it, and nothing is kept. The
export is audited. Small packages are built in the request; larger ones by the task worker.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.archives.domain.filecheck import EXTENSIONS
from chuangcheng.archives.domain.matrix import cell_of
from chuangcheng.archives.enums import AttachmentState, Cell, ExportStatus
from chuangcheng.archives.models import Attachment, DeclarationExport
from chuangcheng.archives.storage import archive_storage
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.workbook import data_workbook
from chuangcheng.frameworks.enums import NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.models import Region

# Built in the request up to these; above, by the task worker.
SYNC_MAX_FILES = 100
SYNC_MAX_BYTES = 50 * 1024 * 1024
FOLDER_LEVELS = (NodeLevel.PROJECT, NodeLevel.INDICATOR, NodeLevel.CONTENT)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class PackageError(Exception):
    """The package cannot be built; the message says which file and why."""


def safe(text: str, limit: int = 40) -> str:
    """A file or folder name: no path separators or characters Windows refuses, trimmed."""
    return _UNSAFE.sub(" ", text).strip()[:limit].strip() or "_"


def _attachments(region: Region, framework: Framework, year: int, include_all: bool) -> Any:
    qs = Attachment.objects.filter(
        requirement__year=year,
        requirement__clause__framework=framework,
        requirement__unit__region__path__startswith=region.path,
    )
    if not include_all:
        qs = qs.filter(state=AttachmentState.APPROVED)
    return qs


def plan_size(
    region: Region, framework: Framework, year: int, include_all: bool
) -> tuple[int, int]:
    """How many files and bytes the package would hold (one query)."""
    row = _attachments(region, framework, year, include_all).aggregate(
        n=Count("pk"), size=Sum("version__size")
    )
    return int(row["n"] or 0), int(row["size"] or 0)


@dataclass
class Entry:
    path: str
    attachment: Attachment


def _folders(framework: Framework) -> tuple[dict[int, str], dict[int, str], dict[int, Node]]:
    """For each node: its folder path (folders for 项目/指标/测评内容 nodes), and its own
    numbered position among its siblings; the nodes by id. One query."""
    nodes = {n.pk: n for n in Node.objects.filter(framework=framework).order_by("seq", "pk")}
    siblings: dict[int | None, list[int]] = {}
    for node in nodes.values():
        siblings.setdefault(node.parent_id, []).append(node.pk)
    position = {pk: i for ids in siblings.values() for i, pk in enumerate(ids, start=1)}
    width = max(2, len(str(max((len(v) for v in siblings.values()), default=1))))
    numbered = {
        pk: f"{position[pk]:0{width}d} {safe(f'{n.number} {n.text}'.strip())}"
        for pk, n in nodes.items()
    }
    folder: dict[int, str] = {}

    def folder_of(pk: int | None) -> str:
        if pk is None:
            return ""
        if pk not in folder:
            node = nodes[pk]
            above = folder_of(node.parent_id)
            own = numbered[pk] if node.level in FOLDER_LEVELS else ""
            folder[pk] = f"{above}{own}/" if own else above
        return folder[pk]

    for pk in nodes:
        folder_of(pk)
    positions = {pk: f"{position[pk]:0{width}d}" for pk in nodes}
    return folder, positions, nodes


def plan(region: Region, framework: Framework, year: int, include_all: bool) -> list[Entry]:
    """The package's files in the framework's order, each with its path in the zip."""
    folder, positions, nodes = _folders(framework)
    attachments = list(
        _attachments(region, framework, year, include_all).select_related(
            "requirement__clause", "requirement__unit", "material", "version"
        )
    )
    attachments.sort(
        key=lambda a: (
            _order_key(a.requirement.clause_id, nodes),
            a.requirement.unit.path,
            a.material.title,
            a.pk,
        )
    )
    used: set[str] = set()
    entries = []
    for a in attachments:
        clause = a.requirement.clause
        base = folder[clause.pk]
        prefix = positions[clause.pk] + "-" if clause.level not in FOLDER_LEVELS else ""
        unit = a.requirement.unit
        stem = f"{prefix}{safe(unit.short_name or unit.name, 20)}-{safe(a.material.title, 50)}"
        ext = EXTENSIONS.get(a.version.content_type, "bin")
        path = f"{base}{stem}.{ext}"
        n = 2
        while path in used:
            path = f"{base}{stem} ({n}).{ext}"
            n += 1
        used.add(path)
        entries.append(Entry(path, a))
    # The numbered folders carry the framework's order; within a folder, name order (what any
    # file manager shows) is the order of the zip and of the index.
    return sorted(entries, key=lambda e: e.path)


def _order_key(pk: int, nodes: dict[int, Node]) -> tuple[int, ...]:
    chain: list[int] = []
    node: Node | None = nodes[pk]
    while node is not None:
        chain.append(node.seq)
        node = nodes.get(node.parent_id) if node.parent_id else None
    return tuple(reversed(chain))


def state_label(a: Attachment) -> str:
    return str(Cell(cell_of([a.state])).label)


def _clause_label(clause: Node) -> str:
    return f"{clause.number} {clause.text}".strip()


def index_workbook(entries: list[Entry]) -> bytes:
    headers = [
        _("No."),
        pgettext("archives", "Clause"),
        _("Unit"),
        _("Title"),
        _("Version"),
        _("File in the package"),
        "SHA-256",
        _("Review state"),
    ]
    rows = [
        [
            i,
            _clause_label(e.attachment.requirement.clause),
            e.attachment.requirement.unit.name,
            e.attachment.material.title,
            e.attachment.version.number,
            e.path,
            e.attachment.version.sha256,
            state_label(e.attachment),
        ]
        for i, e in enumerate(entries, start=1)
    ]
    return data_workbook([(_("Index"), headers, rows)])


def write_zip(entries: list[Entry], out: Any) -> int:
    """Write the index and every file into the zip ``out``, checking each file's SHA-256;
    returns how many files. PackageError names the first file that does not match."""
    import zipfile

    storage = archive_storage()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"00 {_('Index')}.xlsx", index_workbook(entries))
        for entry in entries:
            version = entry.attachment.version
            label = {
                "title": entry.attachment.material.title,
                "unit": entry.attachment.requirement.unit.name,
                "file": version.original_name,
            }
            try:
                with storage.open(version.storage_name, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                raise PackageError(
                    _("The file of “%(title)s” (%(unit)s, %(file)s) is missing; export stopped.")
                    % label
                ) from exc
            if hashlib.sha256(data).hexdigest() != version.sha256:
                raise PackageError(
                    _(
                        "The file of “%(title)s” (%(unit)s, %(file)s) no longer matches its "
                        "SHA-256 checksum; export stopped."
                    )
                    % label
                )
            zf.writestr(entry.path, data)
    return len(entries)


def request_export(
    *, actor: Any, region: Region, framework: Framework, year: int, include_all: bool = False
) -> DeclarationExport:
    """Record an export request; the caller builds it now (small) or queues it (large)."""
    if not actor.has_perm("archives.manage", region):
        raise PermissionDenied
    with transaction.atomic():
        export = DeclarationExport.objects.create(
            requested_by=actor,
            region=region,
            framework=framework,
            year=year,
            include_all=include_all,
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            export,
            after={"year": year, "framework": framework.pk, "include_all": include_all},
        )
    return export


def is_small(export: DeclarationExport) -> bool:
    files, size = plan_size(export.region, export.framework, export.year, export.include_all)
    return files <= SYNC_MAX_FILES and size <= SYNC_MAX_BYTES


def build_export(export_id: int) -> str:
    """Build a requested package (claimed once: only a queued export is built); returns its
    status. On a checksum mismatch the export fails with the message and no file is kept."""
    claimed = DeclarationExport.objects.filter(pk=export_id, status=ExportStatus.QUEUED).update(
        status=ExportStatus.RUNNING
    )
    if not claimed:
        return str(DeclarationExport.objects.get(pk=export_id).status)
    export = DeclarationExport.objects.select_related("region", "framework", "requested_by").get(
        pk=export_id
    )
    entries = plan(export.region, export.framework, export.year, export.include_all)
    storage = archive_storage()
    name = f"packages/{export.year}/{export.pk}.zip"
    try:
        with tempfile.TemporaryFile() as tmp:
            count = write_zip(entries, tmp)
            tmp.seek(0)
            digest = hashlib.file_digest(tmp, "sha256").hexdigest()
            size = tmp.tell()
            tmp.seek(0)
            saved = storage.save(name, File(tmp, name=name))
    except PackageError as exc:
        DeclarationExport.objects.filter(pk=export.pk).update(
            status=ExportStatus.FAILED, error=str(exc), finished_at=timezone.now()
        )
        audit.record(
            export.requested_by,
            AuditAction.EXPORT,
            export,
            outcome="failed",
            note=str(exc)[:200],
        )
        return ExportStatus.FAILED
    DeclarationExport.objects.filter(pk=export.pk).update(
        status=ExportStatus.DONE,
        storage_name=saved,
        files=count,
        size=size,
        sha256=digest,
        finished_at=timezone.now(),
    )
    audit.record(
        export.requested_by,
        AuditAction.EXPORT,
        export,
        after={"files": count, "size": size, "sha256": digest, "include_all": export.include_all},
        note="declaration package",
    )
    return ExportStatus.DONE


def queue_export(export_id: int) -> None:
    """Build the package on the task worker once the request's transaction commits."""
    from chuangcheng.archives.tasks import build_package

    transaction.on_commit(lambda: build_package.enqueue(export_id))
