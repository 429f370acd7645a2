"""The ranking as a workbook: one row per unit (ranked first, then those listed apart), each
component as a percentage and the figures behind rectification. Reads only the ranking."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from chuangcheng.appraisal.domain.providers import ClauseDetail, unit_row
from chuangcheng.appraisal.domain.ranking import BELOW_VOLUME, Ranking, RankRow
from chuangcheng.cases.interfaces.figures_xlsx import PERCENT, finish, prepare, save


def reason_text(row: RankRow, ranking: Ranking) -> str:
    if row.reason == BELOW_VOLUME:
        return _("Fewer than %(n)d cases due") % {"n": ranking.formula.min_due}
    if row.reason:
        return _("No data for any component")
    return ""


def _row(r: RankRow, ranking: Ranking) -> list[Any]:
    cells: list[Any] = [r.rank or "—", r.unit.name, r.unit.code, r.due]
    for part in r.parts:
        cells.append("—" if part.value is None else float(part.value))
    cells.append("—" if r.composite is None else float(r.composite))
    cells.append("—" if r.change is None else r.change)
    figures = unit_row(p.component) if (p := r.part("rectification")) else None
    cells += [
        "" if figures is None else str(figures.counts.closed_rate),
        "" if figures is None else figures.counts.overdue,
    ]
    clauses = r.part("clauses")
    detail = clauses.detail if clauses else None
    cells.append(
        f"{detail.score:.2f} / {detail.measured_max:.2f}"
        if isinstance(detail, ClauseDetail) and detail.measured
        else ""
    )
    cells.append(reason_text(r, ranking))
    return cells


def ranking_workbook(ranking: Ranking) -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Appraisal")
    headers = [_("Rank"), _("Responsible unit"), _("Code"), pgettext("figure", "Due")]
    headers += ranking.used_labels
    headers += [
        _("Composite"),
        pgettext("rank", "Change"),
        _("Closure rate"),
        pgettext("figure", "Overdue"),
        _("Led clauses: score / measured"),
        _("Not ranked because"),
    ]
    prepare(ws, headers, [7, 28, 10, 9, *[12] * len(ranking.used), 10, 8, 10, 9, 18, 22])
    for r in ranking.every_row:
        ws.append(_row(r, ranking))
        for offset in range(len(ranking.used)):
            ws.cell(row=ws.max_row, column=5 + offset).number_format = PERCENT
    finish(ws)
    notes = [_("Formula: %(f)s") % {"f": ranking.formula.name}, ranking.period.label]
    if ranking.left_out:
        notes.append(
            _("Left out (not available yet): %(parts)s")
            % {"parts": "、".join(ranking.left_out_labels)}
        )
    ws.append([])
    for note in notes:
        ws.append([note])
    return save(wb)
