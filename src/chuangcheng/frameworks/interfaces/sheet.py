"""The sheet layout shared by import and export, and reading a file into rows of text.

Offices keep their frameworks as Excel sheets (or CSV saved from Excel, in UTF-8 or, on Chinese
Windows, GB18030). Both are read into plain rows of stripped strings with their sheet row numbers.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

# The columns of an import or export file, in this order.
COLUMNS: tuple[str, ...] = (
    "测评项目",
    "指标",
    "测评内容",
    "测评标准",
    "测评方法",
    "分值",
    "牵头单位",
    "配合单位",
    "点位类型",
)
COL_PROJECT, COL_INDICATOR, COL_CONTENT, COL_TEXT, COL_METHODS = 0, 1, 2, 3, 4
COL_SCORE, COL_LEAD, COL_PARTNERS, COL_POINT_TYPES = 5, 6, 7, 8

# Lists inside one cell: the separators people actually type (Chinese and Western punctuation).
_SEPARATORS = re.compile(r"[、，,;；\n]+")
# A title row may sit above the header in the offices' sheets; look this far for the header.
HEADER_SEARCH_ROWS = 5


def split_list(value: str) -> list[str]:
    """``"区城管委、区住建委"`` → ``["区城管委", "区住建委"]``, blanks and repeats dropped."""
    seen: list[str] = []
    for raw in _SEPARATORS.split(value):
        part = raw.strip()
        if part and part not in seen:
            seen.append(part)
    return seen


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA (as Excel labels columns)."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def format_score(value: Decimal | None) -> str:
    """2.00 → "2", 1.50 → "1.5", None → "" (how the offices write scores)."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an import file. ``row`` is the sheet row as Excel shows it (0 when
    the problem concerns the whole file); ``column`` is the 0-based column index or None."""

    row: int
    column: int | None
    message: str

    @property
    def letter(self) -> str:
        return column_letter(self.column) if self.column is not None else ""

    @property
    def header(self) -> str:
        if self.column is None:
            return ""
        return COLUMNS[self.column] if self.column < len(COLUMNS) else ""

    def __str__(self) -> str:
        if self.row and self.column is not None:
            return _("Row %(row)s, column %(letter)s (%(header)s): %(message)s") % {
                "row": self.row,
                "letter": self.letter,
                "header": self.header,
                "message": self.message,
            }
        if self.row:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return self.message


class UnreadableFileError(Exception):
    """The file is not a readable .xlsx or .csv; the message says why."""


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    return str(value).replace("\u3000", " ").strip()


def read_rows(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet as ``(sheet row number, cells as text)``; merged cells read
    as blank below their first row, exactly as openpyxl and Excel's CSV export give them."""
    lower = filename.lower()
    if lower.endswith(".xlsx") or lower.endswith(".xlsm"):
        return _read_xlsx(data)
    if lower.endswith(".csv") or lower.endswith(".txt"):
        return _read_csv(data)
    raise UnreadableFileError(_("Only .xlsx and .csv files can be imported."))


def _read_xlsx(data: bytes) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise UnreadableFileError(_("The file is not a readable .xlsx workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        return [
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        workbook.close()


def _read_csv(data: bytes) -> list[tuple[int, list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Excel on Chinese Windows saves "CSV" in the ANSI code page, i.e. GBK/GB18030.
            text = data.decode("gb18030")
        except UnicodeDecodeError as exc:
            raise UnreadableFileError(_("The CSV file is neither UTF-8 nor GB18030 text.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    # Count records, not physical lines: a quoted cell may hold line breaks, and Excel shows
    # one row per record.
    return [(n, [_cell_text(v) for v in values]) for n, values in enumerate(reader, start=1)]
