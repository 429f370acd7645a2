"""Reading an XLSForm workbook: its sheets as rows of named cells, column aliases and language
columns. :mod:`chuangcheng.surveys.domain.xlsform` turns the rows into questions.

Every problem is an :class:`Issue` naming the sheet, the Excel row number and the column, so
that the office can find it in the file.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

MAX_ROWS = 3000

# Column names accepted for the same thing (pyxform's aliases, lower case).
SURVEY_ALIASES = {
    "bind::relevant": "relevant",
    "bind:relevant": "relevant",
    "relevance": "relevant",
    "bind::required": "required",
    "bind:required": "required",
    "caption": "label",
    "command": "type",
    "tag": "name",
    "value": "name",
    "bind::constraint": "constraint",
    "bind:constraint": "constraint",
    "calculate": "calculation",
    "bind::calculate": "calculation",
    "bind:calculate": "calculation",
    "read_only": "readonly",
    "bind::readonly": "readonly",
    "bind:readonly": "readonly",
}
CHOICE_ALIASES = {"list name": "list_name", "value": "name", "caption": "label"}
# Columns whose text is in a language ("label::English (en)").
TRANSLATED = ("label", "hint")

# Language names and codes mapped onto ours; anything else keeps its own code.
LANGUAGE_NAMES = {
    "english": "en",
    "en": "en",
    "chinese": "zh-Hans",
    "中文": "zh-Hans",
    "简体中文": "zh-Hans",
    "汉语": "zh-Hans",
    "zh": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh_cn": "zh-Hans",
    "zh-hans": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-hant": "zh-Hant",
    "繁體中文": "zh-Hant",
}
_CODE_IN_PARENS = re.compile(r"\(([^()]+)\)\s*$")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Issue:
    """One problem of the file, where it is. ``row`` is the Excel row (1 = the header row)."""

    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = [_("sheet %(sheet)s") % {"sheet": self.sheet}]
        if self.row:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column %(column)s") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}"


class XLSFormError(ValueError):
    """The file cannot be imported; ``issues`` lists every problem found. Nothing was written."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("\n".join(str(i) for i in issues))


@dataclass
class Row:
    """A non-empty row of a sheet: its Excel ``number`` and its cells by normalised column."""

    number: int
    cells: dict[str, str]
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # "label" → {lang: text}

    def get(self, column: str) -> str:
        return self.cells.get(column, "")


@dataclass
class Sheet:
    name: str
    columns: dict[str, str]  # normalised → as written in the header
    rows: list[Row]
    languages: list[str]  # language codes of its label columns, in column order
    bare_label: bool  # a "label" column with no language


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a useless ".0", dates in ISO form, booleans as TRUE."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    return str(value).strip()


def language_code(name: str) -> str:
    """``"English (en)"`` → ``"en"``, ``"Chinese (zh)"`` → ``"zh-Hans"``, ``"Swahili(sw)"`` →
    ``"sw"``, ``"English"`` → ``"en"``; an unknown name is kept, lower case."""
    text = name.strip()
    found = _CODE_IN_PARENS.search(text)
    key = (found.group(1) if found else text).strip()
    return LANGUAGE_NAMES.get(key.lower(), key if found else key.lower())


def _split_column(header: str, aliases: dict[str, str]) -> tuple[str, str | None]:
    """``"label::English (en)"`` → ``("label", "en")``; ``"relevant"`` → ``("relevant", None)``."""
    text = " ".join(header.split())
    low = text.lower()
    if low in aliases:
        return aliases[low], None
    for base in TRANSLATED:
        for sep in ("::", ":"):
            if low.startswith(base + sep):
                return base, language_code(text[len(base) + len(sep) :])
    return low, None


def read_workbook(stream: IO[bytes]) -> dict[str, list[tuple[int, list[str]]]]:
    """The workbook's sheets (lower-case names) as (Excel row number, cell texts) of non-empty
    rows; :class:`XLSFormError` when the file is not an .xlsx workbook."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(stream, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise XLSFormError(
            [Issue("", 0, "", _("This is not an Excel .xlsx workbook (%(e)s).") % {"e": exc})]
        ) from exc
    sheets: dict[str, list[tuple[int, list[str]]]] = {}
    try:
        for ws in book.worksheets:
            rows: list[tuple[int, list[str]]] = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                texts = [cell_text(v) for v in values]
                while texts and not texts[-1]:
                    texts.pop()
                if texts:
                    rows.append((number, texts))
                if len(rows) > MAX_ROWS:
                    raise XLSFormError(
                        [
                            Issue(
                                ws.title,
                                number,
                                "",
                                _("More than %(n)d rows: split the questionnaire.")
                                % {"n": MAX_ROWS},
                            )
                        ]
                    )
            sheets.setdefault(ws.title.strip().lower(), rows)
    finally:
        book.close()
    return sheets


def _header(
    name: str, number: int, header: list[str], aliases: dict[str, str], issues: list[Issue]
) -> tuple[Sheet, list[tuple[int, str, str | None]]]:
    sheet = Sheet(name, {}, [], [], False)
    index: list[tuple[int, str, str | None]] = []
    seen: set[tuple[str, str | None]] = set()
    for i, title in enumerate(header):
        if not title:
            continue
        base, lang = _split_column(title, aliases)
        if (base, lang) in seen:
            issues.append(Issue(name, number, title, _("This column appears twice.")))
            continue
        seen.add((base, lang))
        index.append((i, base, lang))
        sheet.columns.setdefault(base if lang is None else f"{base}::{lang}", title)
        if base == "label" and lang is None:
            sheet.bare_label = True
        elif base == "label" and lang not in sheet.languages:
            sheet.languages.append(str(lang))
    return sheet, index


def sheet_rows(
    name: str, raw: list[tuple[int, list[str]]], aliases: dict[str, str], issues: list[Issue]
) -> Sheet:
    """A sheet's rows as named cells; the first non-empty row is the header."""
    if not raw:
        return Sheet(name, {}, [], [], False)
    sheet, index = _header(name, raw[0][0], raw[0][1], aliases, issues)
    for number, texts in raw[1:]:
        cells: dict[str, str] = {}
        translated: dict[str, dict[str, str]] = {}
        for i, base, lang in index:
            value = texts[i] if i < len(texts) else ""
            if value and base in TRANSLATED:
                translated.setdefault(base, {})[lang or ""] = value
            elif value:
                cells[base] = value
        if cells or translated:
            sheet.rows.append(Row(number, cells, translated))
    return sheet


def bare_language(settings_language: str, sheets: list[Sheet]) -> str:
    """The language of a "label" column written without one: the settings' default_language;
    else the only language the label columns name; else Chinese when the texts hold Chinese
    characters, English otherwise."""
    if settings_language:
        return language_code(settings_language)
    named = {lang for sheet in sheets for lang in sheet.languages}
    if len(named) == 1:
        return next(iter(named))
    for sheet in sheets:
        for row in sheet.rows:
            if _CJK.search(row.texts.get("label", {}).get("", "")):
                return "zh-Hans"
    return "en"


def place_bare(texts: dict[str, str], language: str) -> dict[str, str]:
    """``texts`` with the text of the language-less column under ``language`` (a text in that
    language's own column wins)."""
    out = {k: v for k, v in texts.items() if k}
    if "" in texts:
        out.setdefault(language, texts[""])
    return out
