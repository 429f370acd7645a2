"""Bulletins (督查通报) from a realistic month: the PDF carries its font and its text, the .docx
its tables, the .xlsx every case; nothing queries per case; only an office over the region may
issue one."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain.bulletin import build_bulletin
from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.cases.interfaces import bulletin_docx, bulletin_pdf, bulletin_xlsx
from chuangcheng.cases.interfaces.bulletin_text import document
from chuangcheng.core.models import AuditEntry
from tests.cases import bulletin_fixtures
from tests.cases.bulletin_fixtures import NOW, bulletin_meta
from tests.conftest import World

NOV = parse_period("2026-11")
SHOTS = Path("var/screenshots")
POPPLER = shutil.which("pdftoppm") and shutil.which("pdftotext") and shutil.which("pdffonts")
needs_poppler = pytest.mark.skipif(
    not POPPLER, reason="poppler-utils (pdftoppm, pdftotext, pdffonts) is not installed"
)


@pytest.fixture
def month(world: World, categories: dict[str, Any], settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return bulletin_fixtures.build(world, categories)


def _bulletin(world: World, fmt: str = "pdf", **kw: Any) -> Any:
    return build_bulletin(
        actor=world.office,
        meta=bulletin_meta(),
        period=NOV,
        region=world.district,
        fmt=fmt,
        now=NOW,
        **kw,
    )


def test_figures_of_the_realistic_month(world: World, month: Any) -> None:
    b = _bulletin(world)
    t = b.table.total
    # 38 dispatched cases due in November: 24 closed + 4 awaiting re-check are handled;
    # 6 dispatched + 3 in rework are overdue (37 due); the suspended one is pending.
    assert (t.due, t.handled, t.closed, t.overdue, t.pending) == (37, 28, 24, 9, 1)
    # Late: 5 + 1 closed late; on time: 16 + 1 (recurrent, rework 2) + 4 awaiting = 21;
    # the suspended-then-closed one leaves the on-time count.
    assert (t.on_time, t.suspended) == (21, 1)
    # Rework: 5×1 + 2 + 1 + 3×1 = 11 failed re-checks.
    assert t.rework == 11
    assert b.activity.reported == 43  # 38 + 3 not registered + 2 due in December
    assert b.activity.rejected == 3
    assert [r.region.name for r in b.table.regions] == [
        "东华门街道",
        "景山街道",
        "交道口街道",
        "北新桥街道",
    ]
    assert b.overdue_total == 9 and len(b.overdue) == 9
    # Recurring cases with photos come first among the typical problems.
    assert b.typical and b.typical[0].case.recurrent


@needs_poppler
def test_pdf_renders_with_embedded_font_and_chinese_text(
    world: World, month: Any, tmp_path: Path
) -> None:
    pdf = bulletin_pdf.render(document(_bulletin(world)))
    path = tmp_path / "bulletin.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = fonts.stdout.splitlines()[2:]
    assert rows, fonts.stdout
    # Every font the file names is an embedded TrueType subset (columns type … emb = yes).
    assert all(r.split()[1] == "TrueType" and r.split()[3] == "yes" for r in rows), fonts.stdout
    assert any("WenQuanYiZenHei" in r for r in rows)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    # The title is 23 characters in 二号: it wraps, so compare without the line breaks.
    assert "关于2026年11月城市管理问题督查整改情况的通报" in re.sub(r"\s+", "", text)
    assert "东城区文明办〔2026〕第11期" in text
    assert "区城管委" in text and "东华门街道" in text
    assert "— 1 —" in text and "— 2 —" in text
    SHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(path), str(SHOTS / "bulletin-page")], check=True
    )
    first = SHOTS / "bulletin-page-1.png"
    assert first.exists() and first.stat().st_size > 10_000


def test_docx_has_the_tables(world: World, month: Any) -> None:
    from docx import Document

    data = bulletin_docx.render(document(_bulletin(world, "docx")))
    doc = Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "东城区文明办督查通报"
    assert "关于2026年11月城市管理问题督查整改情况的通报" in texts
    streets, units, overdue = doc.tables[0], doc.tables[1], doc.tables[2]
    assert [c.text for c in streets.rows[0].cells][:3] == ["序号", "街道", "应结案数"]
    assert [r.cells[1].text for r in streets.rows[1:]] == [
        "东华门街道",
        "景山街道",
        "交道口街道",
        "北新桥街道",
        "合计",
    ]
    assert streets.rows[-1].cells[2].text == "37"
    assert units.rows[1].cells[0].text == "1"
    assert len(overdue.rows) == 1 + 9
    # Photo pairs follow as 2×2 tables holding pictures.
    assert len(doc.inline_shapes) >= 2
    run = doc.paragraphs[0].runs[0]
    fonts = run._element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "宋体"
    )


def test_xlsx_lists_every_case(world: World, month: Any) -> None:
    from openpyxl import load_workbook

    data = bulletin_xlsx.render(_bulletin(world, "xlsx", with_cases=True))
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["案件明细", "责任单位", "街道"]
    cases = wb["案件明细"]
    # 38 due in November + 3 reports not registered + 2 reported 28 Nov (due in December).
    assert cases.max_row == 1 + 43
    assert cases.freeze_panes == "A2" and cases.auto_filter.ref == "A1:X44"
    header = [c.value for c in cases[1]]
    assert header[:3] == ["案件编号", "来源", "状态"] and "处置期限" in header
    units = wb["责任单位"]
    assert units.cell(row=units.max_row, column=2).value == "合计"
    assert units.cell(row=units.max_row, column=4).value == 37


def test_bulletin_queries_do_not_grow_with_cases(
    world: World, categories: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    bulletin_fixtures.build(world, categories, photos=False)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            b = _bulletin(world, "xlsx", with_cases=True)
            bulletin_xlsx.render(b)
            document(b)
        return len(ctx.captured_queries)

    count()  # the office's scope is read once and kept on the user object
    small = count()
    bulletin_fixtures.build(world, categories, photos=False, suffix="b")
    assert count() == small <= 15  # 13, plus reading and moving the audit chain head (ADR 0014)


def test_only_an_office_over_the_region_issues(world: World, month: Any) -> None:
    for user in (world.user_s1, world.leader, world.inspector):
        with pytest.raises(PermissionDenied):
            build_bulletin(
                actor=user, meta=bulletin_meta(), period=NOV, region=world.district, fmt="pdf"
            )
    before = AuditEntry.objects.filter(action="export").count()
    _bulletin(world, "docx")
    entry = AuditEntry.objects.filter(action="export").latest("id")
    assert AuditEntry.objects.filter(action="export").count() == before + 1
    assert entry.object_type == "cases.figures" and entry.note == "bulletin.docx"
    assert entry.actor == world.office


def test_a_month_of_1200_cases(world: World, categories: dict[str, Any]) -> None:
    """1,200 cases: every format renders, the workbook holds every case, queries stay few."""
    import datetime as dt

    from openpyxl import load_workbook

    from chuangcheng.cases.enums import CaseStatus
    from chuangcheng.cases.models import Case, CaseAssignment
    from tests.cases.figures_fixtures import at

    units = [world.unit_s1, world.unit_s2, world.line_cg, world.line_sj, world.unit_c1]
    statuses = [CaseStatus.CLOSED, CaseStatus.CLOSED, CaseStatus.FEEDBACK, CaseStatus.DISPATCHED]
    cases = []
    for i in range(1200):
        due = at(11, 1 + i % 29, 8 + i % 10)
        handled = due - dt.timedelta(hours=1 + i % 30) if i % 4 != 3 else None
        cases.append(
            Case(
                number=f"2026-8{i:05d}",
                source="inspection",
                status=statuses[i % 4],
                category=categories["S0101"],
                description=f"问题{i}",
                region=world.c1 if i % 2 else world.c2,
                reported_at=due - dt.timedelta(days=2),
                dispatched_at=due - dt.timedelta(days=1),
                due_at=due,
                feedback_at=handled,
                closed_at=handled + dt.timedelta(hours=2) if i % 4 < 2 and handled else None,
                rework_count=i % 3 == 0,
            )
        )
    Case.objects.bulk_create(cases)
    saved = Case.objects.filter(number__startswith="2026-8").order_by("number")
    CaseAssignment.objects.bulk_create(
        CaseAssignment(case=c, unit=units[i % 5], lead=True, dispatched_at=c.dispatched_at)
        for i, c in enumerate(saved)
    )
    with CaptureQueriesContext(connection) as ctx:
        b = _bulletin(world, "xlsx", with_cases=True)
        workbook = bulletin_xlsx.render(b)
        doc = document(b)
        pdf = bulletin_pdf.render(doc)
        bulletin_docx.render(doc)
    assert len(ctx.captured_queries) <= 15  # 13, plus the audit chain head (ADR 0014)
    # Every fourth case is still at its unit after its deadline: 300 overdue; the PDF lists 200.
    assert b.table.total.due == 1200 and b.table.total.overdue == 300
    assert len(b.overdue) == 200
    assert load_workbook(io.BytesIO(workbook))["案件明细"].max_row == 1 + 1200
    assert pdf.startswith(b"%PDF")
