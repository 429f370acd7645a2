"""The bulletin's appraisal sections — 单位考核排名 and 失分最多的测评内容 — in every format."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.cases.domain.bulletin import SECTIONS, build_bulletin
from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.cases.interfaces import bulletin_docx, bulletin_pdf, bulletin_xlsx
from chuangcheng.cases.interfaces.bulletin_text import Heading, Para, Table, document
from tests.appraisal.conftest import NOW, Month
from tests.cases.bulletin_fixtures import bulletin_meta
from tests.conftest import World

RANKING = [
    ["1", "景山街道办事处", "3", "92.00%", "—", "92.00", "↑1"],
    ["2", "区城管委", "4", "77.00%", "65.00%", "72.20", "—"],
    ["3", "东华门街道办事处", "4", "62.00%", "—", "62.00", "↓2"],
]
LOSSES = [
    ["1", "2.1.1", "无乱停车", "区城管委", "2.00", "1.00", "1.00"],
    ["2", "1.1.1", "道路街巷整洁", "区城管委", "3.00", "2.25", "0.75"],
    ["3", "1.1.2.1", "划行归市", "区市场监管局", "2.00", "1.50", "0.50"],
]


def bulletin(world: World, period: str = "2026-10", fmt: str = "docx", **kw: Any) -> Any:
    return build_bulletin(
        actor=world.office,
        meta=bulletin_meta(),
        period=parse_period(period),
        region=world.district,
        fmt=fmt,
        now=NOW,
        with_sections=True,
        **kw,
    )


def test_sections_are_registered_once() -> None:
    names = [s.__name__ for s in SECTIONS]
    assert names == ["ranking_section", "losses_section"]


def test_sections_hold_the_ranking_and_the_losses(month: Month) -> None:
    ranking, losses = bulletin(month.world).sections
    assert ranking.title == "单位考核排名"
    assert ranking.headers == [
        "排名",
        "责任单位",
        "应结案数",
        "整改",
        "牵头测评内容",
        "综合得分",
        "名次变化",
    ]
    assert ranking.rows == RANKING
    assert "另有1个单位不参与排名" in ranking.note
    assert losses.title == "失分最多的测评内容"
    assert losses.rows == LOSSES
    assert losses.note.startswith("本期5项测评内容中已测4项，其中3项失分")


def test_a_period_without_measured_clauses_says_so(month: Month) -> None:
    _ranking, losses = bulletin(month.world, "2026-09").sections
    assert losses.rows == [] and losses.note == "本期测评体系的测评内容均未测。"


def test_without_sections_the_bulletin_is_unchanged(month: Month) -> None:
    b = build_bulletin(
        actor=month.world.office,
        meta=bulletin_meta(),
        period=parse_period("2026-10"),
        region=month.world.district,
        fmt="docx",
        now=NOW,
    )
    assert b.sections == []


def test_text_blocks_number_the_sections_before_the_next_steps(month: Month) -> None:
    doc = document(bulletin(month.world))
    headings = [b.text for b in doc.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[5:] == ["六、单位考核排名", "七、失分最多的测评内容", "八、下一步工作要求"]
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables[-2].rows == RANKING and tables[-1].rows == LOSSES
    assert any(isinstance(b, Para) and "综合考核（整改60%+测评40%）" in b.text for b in doc.blocks)


def test_xlsx_has_a_sheet_per_section(month: Month) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(bulletin_xlsx.render(bulletin(month.world, fmt="xlsx"))))
    assert wb.sheetnames == ["案件明细", "责任单位", "街道", "单位考核排名", "失分最多的测评内容"]
    ranking = wb["单位考核排名"]
    assert [c.value for c in ranking[2]] == ["1", "景山街道办事处", 3, 0.92, "—", 92, "↑1"]
    assert ranking.cell(row=2, column=4).number_format == "0.00%"
    losses = wb["失分最多的测评内容"]
    assert [c.value for c in losses[2]] == ["1", "2.1.1", "无乱停车", "区城管委", 2, 1, 1]


def test_docx_has_the_section_tables(month: Month) -> None:
    from docx import Document

    doc = Document(io.BytesIO(bulletin_docx.render(document(bulletin(month.world)))))
    ranking, losses = doc.tables[-2], doc.tables[-1]
    assert [c.text for c in ranking.rows[1].cells] == RANKING[0]
    assert [c.text for c in losses.rows[1].cells] == LOSSES[0]
    texts = [p.text for p in doc.paragraphs]
    assert "六、单位考核排名" in texts and "七、失分最多的测评内容" in texts


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_pdf_says_the_same(month: Month, tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(bulletin_pdf.render(document(bulletin(month.world, fmt="pdf"))))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "单位考核排名" in text and "失分最多的测评内容" in text
    assert "72.20" in text and "无乱停车" in text


def test_the_form_adds_the_sections(month: Month, settings: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from tests.conftest import login

    settings.MEDIA_ROOT = str(tmp_path)
    data = {
        "period": "2026-10",
        "region": month.world.district.pk,
        "issuer": "东城区文明办",
        "number": "东城区文明办〔2026〕第10期",
        "title": "通报",
        "date": "2026-11-05",
        "format": "xlsx",
        "with_sections": "on",
    }
    response = login(month.world.office).post("/cases/figures/bulletin/", data)
    assert response.status_code == 200
    assert "单位考核排名" in load_workbook(io.BytesIO(response.content)).sheetnames
