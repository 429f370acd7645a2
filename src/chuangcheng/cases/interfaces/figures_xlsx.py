"""Unit and region figures as .xlsx sheets: the figures page's export, and two sheets of the
bulletin workbook. Rates are written as numbers with a percentage format (so Excel can sort and
sum them); no data stays an empty cell with "—"."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from chuangcheng.cases.domain.figures import Counts, FigureTable, Rate
from chuangcheng.core.tabular import column_letter

HEADER_FILL = PatternFill("solid", fgColor="FDECEE")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
PERCENT = "0.00%"


def prepare(ws: Worksheet, headers: Sequence[str], widths: Sequence[int]) -> None:
    """Bold shaded header row, frozen, with filters over the columns and set widths."""
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    for index, width in enumerate(widths):
        ws.column_dimensions[column_letter(index)].width = width


def finish(ws: Worksheet) -> None:
    ws.auto_filter.ref = f"A1:{column_letter(ws.max_column - 1)}{max(ws.max_row, 1)}"


def rate_cell(rate: Rate) -> Any:
    value = rate.value
    return "—" if value is None else float(value)


def figure_headers() -> list[str]:
    return [
        pgettext("figure", "Due"),
        pgettext("figure", "Handled"),
        _("Handling rate"),
        pgettext("figure", "Closed"),
        _("Closure rate"),
        pgettext("figure", "On time"),
        _("On-time rate"),
        pgettext("figure", "Suspended"),
        pgettext("figure", "Rework"),
        _("Rework rate"),
        pgettext("figure", "Overdue"),
        _("Overdue rate"),
        pgettext("figure", "Extended"),
        _("Extension rate"),
        pgettext("figure", "Pending"),
    ]


def figure_values(c: Counts) -> list[Any]:
    return [
        c.due,
        c.handled,
        rate_cell(c.handled_rate),
        c.closed,
        rate_cell(c.closed_rate),
        c.on_time,
        rate_cell(c.on_time_rate),
        c.suspended,
        c.rework,
        rate_cell(c.rework_rate),
        c.overdue,
        rate_cell(c.overdue_rate),
        c.extended,
        rate_cell(c.extension_rate),
        c.pending,
    ]


def _format_row(ws: Worksheet, first_figure_col: int, *, total: bool = False) -> None:
    row = ws.max_row
    for offset in (2, 4, 6, 9, 11, 13):
        ws.cell(row=row, column=first_figure_col + offset).number_format = PERCENT
    if total:
        for cell in ws[row]:
            cell.font = Font(bold=True)
            cell.fill = TOTAL_FILL


def _score(value: Any) -> Any:
    return "—" if value is None else float(value)


def unit_sheet(ws: Worksheet, table: FigureTable, *, with_total: bool) -> None:
    prepare(
        ws,
        [
            _("Rank"),
            _("Responsible unit"),
            _("Code"),
            *figure_headers(),
            pgettext("figure", "Score"),
        ],
        [7, 28, 10, *[9] * 15, 9],
    )
    for r in table.units:
        ws.append(
            [r.rank or "—", r.unit.name, r.unit.code, *figure_values(r.counts), _score(r.score)]
        )
        _format_row(ws, 4)
    if with_total:
        ws.append(["", _("Total"), "", *figure_values(table.total), _score(table.total_score)])
        _format_row(ws, 4, total=True)
    finish(ws)


def region_sheet(ws: Worksheet, table: FigureTable) -> None:
    prepare(
        ws,
        [_("Region"), _("Code"), *figure_headers(), pgettext("figure", "Score")],
        [20, 14, *[9] * 15, 9],
    )
    for r in table.regions:
        ws.append([r.region.name, r.region.code, *figure_values(r.counts), _score(r.score)])
        _format_row(ws, 3)
    ws.append([_("Total"), "", *figure_values(table.total), _score(table.total_score)])
    _format_row(ws, 3, total=True)
    finish(ws)


def region_title(table: FigureTable) -> str:
    """Sheet name of the sub-region table: streets under a district, communities under a street."""
    level = table.region.level if table.region is not None else "city"
    return _("Streets") if level in ("city", "district") else _("Communities")


def save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def figures_workbook(table: FigureTable, *, overview: bool) -> bytes:
    """The figures page as a workbook: units (with the total when the user sees the whole
    region) and, for an overview, the sub-regions."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Units")
    unit_sheet(ws, table, with_total=overview)
    if overview:
        region_sheet(wb.create_sheet(region_title(table)), table)
    return save(wb)
