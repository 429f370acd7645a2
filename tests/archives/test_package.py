"""The declaration package unpacks into the framework's order with an index, its checksums
match; a file changed on disk stops the export naming it; the export is audited."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from chuangcheng.archives.domain.package import build_export, request_export
from chuangcheng.archives.enums import ExportStatus
from chuangcheng.archives.models import DeclarationExport, MaterialVersion
from chuangcheng.core.models import AuditEntry
from chuangcheng.frameworks.enums import NodeLevel
from chuangcheng.frameworks.models import Node
from tests.archives.conftest import Arch
from tests.archives.test_matrix import setup_states
from tests.archives.test_pages import login


def add_tree(arch: Arch) -> None:
    """Put the content node under a project and an indicator, as in real frameworks."""
    fw = arch.framework
    project = Node.objects.create(
        framework=fw, level=NodeLevel.PROJECT, text="公共文明", seq=0, number="一"
    )
    indicator = Node.objects.create(
        framework=fw,
        parent=project,
        level=NodeLevel.INDICATOR,
        text="志愿服务",
        seq=0,
        number="（一）",
    )
    Node.objects.filter(framework=fw, level=NodeLevel.CONTENT).update(parent=indicator)


def unzip(data: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(data))


def test_package_in_framework_order_with_checksums(arch: Arch, archive_root: Path) -> None:
    w = arch.world
    add_tree(arch)
    setup_states(arch)
    export = request_export(
        actor=w.office, region=w.district, framework=arch.framework, year=2026, include_all=True
    )
    assert build_export(export.pk) == ExportStatus.DONE
    export.refresh_from_db()
    response = login(w.office).get(f"/archives/package/{export.pk}/download/")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == export.sha256
    zf = unzip(data)
    names = zf.namelist()
    folder = "01 一 公共文明/01 （一） 志愿服务/01 志愿服务制度/"
    assert names == [
        "00 材料索引.xlsx",
        f"{folder}01-东华门街道办事处-志愿服务台账.pdf",
        f"{folder}01-区城管委-志愿服务台账.pdf",
        f"{folder}02-景山街道办事处-方案.docx",
    ]
    assert sorted(names) == names  # numbered so that any file manager shows the framework order
    versions = {v.sha256 for v in MaterialVersion.objects.all()}
    index = load_workbook(io.BytesIO(zf.read(names[0]))).worksheets[0]
    rows = [list(r) for r in index.iter_rows(values_only=True)]
    assert rows[0] == ["序号", "条款", "单位", "标题", "版本", "包内文件", "SHA-256", "审核状态"]
    assert [r[5] for r in rows[1:]] == names[1:]
    assert [r[7] for r in rows[1:]] == ["已退回", "已通过", "审核中"]
    for row in rows[1:]:
        assert hashlib.sha256(zf.read(row[5])).hexdigest() == row[6]
        assert row[6] in versions
    assert AuditEntry.objects.filter(
        object_type="archives.declarationexport", action="export"
    ).exists()


def test_only_approved_by_default(arch: Arch) -> None:
    w = arch.world
    setup_states(arch)
    export = request_export(actor=w.office, region=w.district, framework=arch.framework, year=2026)
    build_export(export.pk)
    export.refresh_from_db()
    assert export.files == 1


def test_changed_file_stops_the_export_naming_it(arch: Arch, archive_root: Path) -> None:
    w = arch.world
    setup_states(arch)
    version = MaterialVersion.objects.get(material__unit=w.line_cg)
    (archive_root / version.storage_name).write_bytes(b"%PDF-tampered")
    export = request_export(actor=w.office, region=w.district, framework=arch.framework, year=2026)
    assert build_export(export.pk) == ExportStatus.FAILED
    export.refresh_from_db()
    assert (
        export.error
        == "“志愿服务台账”（区城管委，台账.pdf）的文件与其 SHA-256 校验值不符，导出已停止。"
    )
    assert not (archive_root / "packages").exists() or not any(
        (archive_root / "packages").rglob("*.zip")
    )
    assert (
        AuditEntry.objects.filter(
            object_type="archives.declarationexport", outcome="failed"
        ).count()
        == 1
    )


def test_package_page(arch: Arch) -> None:
    w = arch.world
    setup_states(arch)
    assert login(w.user_s1).get("/archives/package/").status_code == 403
    assert login(w.leader).get("/archives/package/").status_code == 403
    client = login(w.office)
    response = client.post("/archives/package/", {"year": 2026})
    assert response.status_code == 302
    export = DeclarationExport.objects.get()
    assert export.status == ExportStatus.DONE and export.files == 1
    assert "材料包已生成" in client.get("/archives/package/").content.decode()
    assert login(w.user_s1).get(f"/archives/package/{export.pk}/download/").status_code == 404
    assert login(arch.office2).get(f"/archives/package/{export.pk}/download/").status_code == 200


def test_large_package_goes_to_the_worker(
    arch: Arch, monkeypatch: object, django_capture_on_commit_callbacks: Any
) -> None:
    from chuangcheng.archives.domain import package

    w = arch.world
    setup_states(arch)
    monkeypatch.setattr(package, "SYNC_MAX_FILES", 0)  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):
        response = login(w.office).post("/archives/package/", {"year": 2026}, follow=True)
    assert "正在后台生成" in response.content.decode()
    # The test settings run tasks at once (ImmediateBackend) once the request commits.
    assert DeclarationExport.objects.get().status == ExportStatus.DONE
