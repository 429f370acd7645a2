"""Reading the spreadsheets offices send: .xlsx and .csv into rows of plain text.

Shared by every import (frameworks, points, and later surveys and archives) so that all of them
treat Excel the same way: the first sheet, merged cells blank below their first row, numbers as
the text Excel shows, and CSV in UTF-8 (with or without BOM) or GB18030, which Excel on Chinese
Windows writes.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _


class UnreadableFileError(Exception):
    """The file is not a readable .xlsx or .csv; the message says why."""


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel labels columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def cell_text(value: Any) -> str:
    """A cell as the text a person typed: 3.0 → "3", 116.40 → "116.4", full-width spaces trimmed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).replace("\u3000", " ").strip()


def read_rows(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet as ``(row number as Excel shows it, cells as text)``."""
    lower = filename.lower()
    if lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data)
    if lower.endswith((".csv", ".txt")):
        return _read_csv(data)
    raise UnreadableFileError(_("Only .xlsx and .csv files can be read."))


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFileError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM optional), else GB18030; anything else is refused rather than garbled."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(_("The file is neither UTF-8 nor GB18030 text.")) from exc


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(decode_text(data), newline=""))
    # Count records, not physical lines: a quoted cell may hold line breaks, and Excel shows
    # one row per record.
    return [(n, [cell_text(v) for v in values]) for n, values in enumerate(reader, start=1)]
