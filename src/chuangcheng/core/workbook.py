"""Blank import templates that offices fill in Excel: header, example rows, drop-down lists.

Drop-downs come from a second sheet of valid values (point types, streets, units …), so people
pick names instead of typing them and the import finds what they meant. The validation is a
warning, not a stop: pasting from an old sheet still works and the import reports any mismatch.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from chuangcheng.core.tabular import column_letter

HEADER_FILL = PatternFill("solid", fgColor="FDECEE")


def template_workbook(
    *,
    title: str,
    columns: Sequence[str],
    examples: Sequence[Sequence[str]] = (),
    choices: dict[int, tuple[str, Sequence[str]]] | None = None,
    notes: Sequence[str] = (),
    widths: dict[int, int] | None = None,
    rows: int = 500,
) -> bytes:
    """An .xlsx whose first sheet is the one the importer reads."""
    wb = Workbook()
    sheet = wb.active
    assert sheet is not None
    sheet.title = title
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center")
    for example in examples:
        sheet.append(list(example))
    sheet.freeze_panes = "A2"
    for index, header in enumerate(columns):
        width = (widths or {}).get(index, max(10, len(header) * 2 + 4))
        sheet.column_dimensions[column_letter(index)].width = width
    if choices:
        lists = wb.create_sheet("选项")
        for list_col, (col_index, (name, values)) in enumerate(sorted(choices.items())):
            letter = column_letter(list_col)
            lists.cell(row=1, column=list_col + 1, value=name).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                lists.cell(row=row, column=list_col + 1, value=value)
            lists.column_dimensions[letter].width = 24
            if values:
                target = column_letter(col_index)
                validation = DataValidation(
                    type="list",
                    formula1=f"'选项'!${letter}$2:${letter}${len(values) + 1}",
                    allow_blank=True,
                    errorStyle="warning",
                    showErrorMessage=True,
                    error="不在选项列表中，导入时将核对。",
                )
                validation.add(f"{target}2:{target}{rows + 1}")
                sheet.add_data_validation(validation)
    if notes:
        help_sheet = wb.create_sheet("填写说明")
        help_sheet.column_dimensions["A"].width = 100
        for note in notes:
            help_sheet.append([note])
            help_sheet.cell(row=help_sheet.max_row, column=1).alignment = Alignment(wrap_text=True)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def data_workbook(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """An .xlsx of figures: one sheet per ``(title, headers, rows)``, each with the same bold
    shaded header row as the templates, frozen, filterable, columns sized to the header."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for title, headers, rows in sheets:
        sheet = wb.create_sheet(title[:31])
        sheet.append(list(headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(vertical="center", wrap_text=True)
        for row in rows:
            sheet.append(list(row))
        sheet.freeze_panes = "A2"
        for index, header in enumerate(headers):
            sheet.column_dimensions[column_letter(index)].width = max(10, len(header) * 2 + 4)
        sheet.auto_filter.ref = f"A1:{column_letter(len(headers) - 1)}{max(sheet.max_row, 1)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
