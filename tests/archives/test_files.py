"""Upload checks: types read from the bytes, size limit, encrypted and malformed files refused
with a message naming the file, and a failed upload leaves neither a row nor a file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from chuangcheng.archives.domain import filecheck
from chuangcheng.archives.domain.filecheck import check_file, normalise
from chuangcheng.archives.domain.materials import Upload, add_version, file_material
from chuangcheng.archives.models import Attachment, Material, MaterialVersion
from chuangcheng.archives.samples import sample_docx, sample_pdf, sample_png, sample_xlsx
from tests.archives import files
from tests.archives.conftest import Arch, file_for, pdf_upload, stored_files


def message(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.message_dict["file"])


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (lambda: sample_pdf("志愿服务台账", ["第一季度活动记录"]), filecheck.PDF),
        (lambda: sample_docx("年度方案", ["第一条"]), filecheck.DOCX),
        (lambda: sample_xlsx("台账", [["日期", "内容"]]), filecheck.XLSX),
        (sample_png, filecheck.PNG),
    ],
)
def test_accepted_types_are_read_from_the_bytes(data: Any, expected: str, settings: Any) -> None:
    # The name says .txt: the type comes from the content.
    assert check_file(data(), "whatever.txt").content_type == expected


def test_text_is_extracted_and_normalised() -> None:
    pdf = check_file(sample_pdf("志愿服务台账", ["ＡＢＣ　全角", "共开展活动12次"]), "a.pdf")
    assert pdf.text == "志愿服务台账 abc 全角 共开展活动12次"
    docx = check_file(sample_docx("年度工作方案", ["明确责任分工"]), "a.docx")
    assert docx.text == "年度工作方案 明确责任分工"
    assert normalise("  Ａ\n\tb  ") == "a b"


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda: b"", "is empty"),
        (
            lambda: b"hello world, plain text",
            "is not a PDF, Word (.docx), Excel (.xlsx), JPEG, PNG",
        ),
        (files.encrypted_pdf, "is an encrypted PDF"),
        (files.truncated_pdf, "is an incomplete PDF"),
        (files.garbage_pdf, "cannot be read as a PDF"),
        (files.encrypted_office, "is protected by a password"),
        (files.old_doc, "is an old Word or Excel file"),
        (files.zip_bomb, "expands to far more than its size"),
        (files.broken_docx, "is a damaged Word or Excel file"),
        (files.plain_zip, "is a zip archive, not a Word or Excel document"),
        (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "cannot be read as an image"),
    ],
)
def test_bad_files_are_refused_naming_the_file(build: Any, words: str, settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as exc:
        check_file(build(), "报告.pdf")
    assert message(exc).startswith("报告.pdf ")
    assert words in message(exc)


def test_size_limit(settings: Any) -> None:
    settings.ARCHIVES_MAX_UPLOAD_BYTES = 1024 * 1024
    data = sample_png(2000, 2000)  # a few kB, fine
    assert check_file(data, "a.png").content_type == filecheck.PNG
    with pytest.raises(ValidationError) as exc:
        check_file(b"%PDF-" + b"0" * (1024 * 1024), "big.pdf")
    assert message(exc) == "big.pdf 超过 1 MB。"


def test_upload_writes_file_and_rows_with_checksum(arch: Arch, archive_root: Path) -> None:
    import hashlib

    w = arch.world
    upload = pdf_upload()
    material = file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1), upload=upload)
    version = MaterialVersion.objects.get(material=material)
    assert version.sha256 == hashlib.sha256(upload.data).hexdigest()
    assert version.size == len(upload.data)
    assert version.content_type == filecheck.PDF
    assert version.original_name == "台账.pdf"
    saved = stored_files(archive_root)
    assert [p.relative_to(archive_root).parts[:2] for p in saved] == [("2026", "S001")]
    assert saved[0].read_bytes() == upload.data
    assert saved[0].stat().st_mode & 0o777 == 0o600
    assert material.current_id == version.pk
    assert "志愿服务台账" in material.search_text


def test_refused_upload_leaves_nothing(arch: Arch, archive_root: Path) -> None:
    w = arch.world
    with pytest.raises(ValidationError):
        file_for(
            arch,
            w.user_s1,
            arch.req(arch.ledger, w.unit_s1),
            upload=Upload("x.pdf", files.encrypted_pdf()),
        )
    assert not Material.objects.exists()
    assert stored_files(archive_root) == []


def test_failure_after_the_file_is_written_removes_it(
    arch: Arch, archive_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is written first; when writing the rows fails, the transaction rolls back and
    the file is deleted again (an interrupted upload leaves no orphan)."""
    from chuangcheng.archives.domain import materials

    def broken(*args: Any, **kwargs: Any) -> None:
        assert len(stored_files(archive_root)) == 1  # the file is there at this point
        raise RuntimeError("connection lost")

    monkeypatch.setattr(materials, "_attach", broken)
    w = arch.world
    with pytest.raises(RuntimeError):
        file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    assert not Material.objects.exists()
    assert not MaterialVersion.objects.exists()
    assert not Attachment.objects.exists()
    assert stored_files(archive_root) == []


def test_failed_new_version_keeps_the_old_one(
    arch: Arch, archive_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chuangcheng.archives.domain import materials

    w = arch.world
    material = file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    before = stored_files(archive_root)
    monkeypatch.setattr(
        materials.audit, "record", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("disk"))
    )
    with pytest.raises(RuntimeError):
        add_version(actor=w.user_s1, material=material, upload=pdf_upload("v2.pdf", "第二版"))
    assert stored_files(archive_root) == before
    assert list(material.versions.values_list("number", flat=True)) == [1]


def test_only_the_units_users_file(arch: Arch) -> None:
    from django.core.exceptions import PermissionDenied

    w = arch.world
    with pytest.raises(PermissionDenied):
        file_material(actor=w.user_s2, unit=w.unit_s1, year=2026, title="x", upload=pdf_upload())
    with pytest.raises(PermissionDenied):
        file_material(actor=w.office, unit=w.unit_s1, year=2026, title="x", upload=pdf_upload())
    with pytest.raises(ValidationError) as exc:
        file_material(
            actor=w.user_s1,
            unit=w.unit_s1,
            year=2026,
            title="x",
            upload=pdf_upload(),
            requirements=[arch.req(arch.plan, w.unit_s2)],
        )
    assert "requirement" in exc.value.message_dict
