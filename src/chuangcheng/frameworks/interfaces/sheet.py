"""The sheet layout shared by import and export, and reading a file into rows of text.

Offices keep their frameworks as Excel sheets (or CSV saved from Excel, in UTF-8 or, on Chinese
Windows, GB18030). Both are read into plain rows of stripped strings with their sheet row numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from chuangcheng.core import tabular
from chuangcheng.core.tabular import UnreadableFileError, column_letter

__all__ = ["COLUMNS", "Problem", "UnreadableFileError", "column_letter", "read_rows", "split_list"]

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


def read_rows(filename: str, data: bytes) -> list[tuple[int, list[str]]]:
    """Every row of the first sheet as ``(sheet row number, cells as text)``; merged cells read
    as blank below their first row, exactly as openpyxl and Excel's CSV export give them."""
    lower = filename.lower()
    if not lower.endswith((".xlsx", ".xlsm", ".csv", ".txt")):
        raise UnreadableFileError(_("Only .xlsx and .csv files can be imported."))
    return tabular.read_rows(filename, data)
