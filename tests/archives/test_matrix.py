"""The completeness matrix: exact cells and counts, scoped to the user, constant queries at two
sizes, and the .xlsx export."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook

from chuangcheng.archives.domain.matrix import build_matrix
from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.archives.domain.review import decide
from chuangcheng.archives.enums import Cell, Decision
from chuangcheng.archives.models import Attachment
from tests.agenda.conftest import queries_before_and_after
from tests.archives.conftest import Arch, docx_upload, file_for
from tests.archives.test_pages import login


def approve_fully(arch: Arch, a: Attachment) -> None:
    decide(
        actor=arch.world.office,
        attachment=Attachment.objects.get(pk=a.pk),
        decision=Decision.APPROVE,
    )
    decide(
        actor=arch.office2, attachment=Attachment.objects.get(pk=a.pk), decision=Decision.APPROVE
    )


def setup_states(arch: Arch) -> None:
    """line_cg: ledger approved; unit_s1: ledger returned; unit_s2: plan in review."""
    w = arch.world
    cg = Attachment.objects.get(
        material=file_for(arch, w.user_line, arch.req(arch.ledger, w.line_cg))
    )
    approve_fully(arch, cg)
    s1 = Attachment.objects.get(
        material=file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    )
    decide(actor=w.office, attachment=s1, decision=Decision.RETURN, comment="缺页")
    file_for(arch, w.user_s2, arch.req(arch.plan, w.unit_s2), title="方案", upload=docx_upload())


def test_cells_and_counts(arch: Arch) -> None:
    w = arch.world
    setup_states(arch)
    m = build_matrix(w.office, 2026)
    assert [c.number for c in m.clauses] == ["1.", "2."]
    assert [u.code for u in m.units] == sorted(
        [u.code for u in m.units],
        key=lambda c: {"S001": w.unit_s1.path, "S002": w.unit_s2.path, "L001": w.line_cg.path}[c],
    )
    cells = {(c, u): state for (c, u), (_r, state) in m.cells.items()}
    assert cells == {
        (arch.ledger.pk, w.line_cg.pk): Cell.APPROVED,
        (arch.ledger.pk, w.unit_s1.pk): Cell.RETURNED,
        (arch.plan.pk, w.unit_s2.pk): Cell.SUBMITTED,
    }
    assert (m.by_clause[arch.ledger.pk].approved, m.by_clause[arch.ledger.pk].owed) == (1, 2)
    assert m.by_clause[arch.ledger.pk].percent == Decimal("50.0")
    assert m.by_clause[arch.plan.pk].percent == Decimal("0.0")
    assert m.by_unit[w.line_cg.pk].percent == Decimal("100.0")
    assert (m.total.approved, m.total.owed, m.total.percent) == (1, 3, Decimal("33.3"))
    # A unit's matrix holds only its own row.
    mine = build_matrix(w.user_s1, 2026)
    assert [u.pk for u in mine.units] == [w.unit_s1.pk]


def test_matrix_page_allowed_denied_and_constant_queries(arch: Arch) -> None:
    w = arch.world
    assert login(w.user_s1).get("/archives/matrix/").status_code == 403
    assert login(w.leader).get("/archives/matrix/?year=2026").status_code == 200

    def grow() -> None:
        setup_states(arch)
        for unit in (w.unit_s2, w.unit_c1, w.line_sj):
            arch.ledger.partner_units.add(unit)
        sync_requirements(2026)

    small, large, response = queries_before_and_after(
        login(w.office), "/archives/matrix/?year=2026", grow
    )
    assert small == large
    body = response.content.decode()
    assert "2026 年：应报 6 项，已通过 1 项（16.7%）" in body
    assert body.count("ar-cell ar-c-missing") == 3


def test_matrix_xlsx(arch: Arch) -> None:
    w = arch.world
    setup_states(arch)
    response = login(w.office).get("/archives/matrix.xlsx?year=2026")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    units = rows[0][2:-3]
    assert rows[0][:2] == ["序号", "条款"] and rows[0][-3:] == ["已通过", "应报", "通过率 %"]
    ledger = dict(zip(units, rows[1][2:-3], strict=True))
    assert sorted(v for v in ledger.values() if v) == sorted(["已通过", "已退回"])
    assert rows[1][-3:] == [1, 2, "50.0%"]
    by_unit = [list(r) for r in book.worksheets[1].iter_rows(values_only=True)]
    assert by_unit[0] == ["单位", "应报", "未报送", "审核中", "已退回", "已通过", "通过率 %"]
    assert login(w.user_s1).get("/archives/matrix.xlsx").status_code == 403
