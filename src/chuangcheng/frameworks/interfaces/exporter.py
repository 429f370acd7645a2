"""Write a framework version in the import layout: .xlsx (merged like the offices' own sheets),
.csv (UTF-8 with BOM, so Excel opens it) or a JSON tree. Importing an export gives back the
same nodes, scores, methods, units and point types."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import Any

from chuangcheng.frameworks.enums import METHOD_LABELS_ZH, Method, NodeLevel
from chuangcheng.frameworks.interfaces.sheet import COL_SCORE, COLUMNS, format_score
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.frameworks.queries import framework_tree

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
}
_SEP = "、"
_WIDTHS = (14, 16, 28, 48, 12, 7, 14, 22, 24)


def unit_label(unit: Any) -> str:
    return str(unit.short_name or unit.name)


def method_labels(methods: list[str]) -> str:
    return _SEP.join(METHOD_LABELS_ZH.get(Method(m), m) for m in methods if m in Method.values)


@dataclass
class _Row:
    cells: list[str]
    # Rows sharing a group are merged vertically in .xlsx: (project, indicator, content) nodes.
    groups: tuple[Node, Node, Node]
    content_scored: bool


def _rows(framework: Framework) -> list[_Row]:
    rows: list[_Row] = []
    for project in framework_tree(framework):
        for indicator in project.kids:  # type: ignore[attr-defined]
            for content in indicator.kids:
                for i, clause in enumerate(content.kids):
                    score = clause.score
                    if content.score is not None:
                        score = content.score if i == 0 else None
                    rows.append(
                        _Row(
                            [
                                project.text,
                                indicator.text,
                                content.text,
                                clause.text,
                                method_labels(clause.methods),
                                format_score(score),
                                unit_label(clause.lead_unit) if clause.lead_unit else "",
                                _SEP.join(unit_label(u) for u in clause.partner_units.all()),
                                _SEP.join(t.name for t in clause.point_types.all()),
                            ],
                            (project, indicator, content),
                            content.score is not None,
                        )
                    )
    return rows


def export_csv(framework: Framework) -> bytes:
    """Every row filled in (no merged cells in CSV), except 分值 on the rows below a content
    whose score sits on the content, which stays blank as in the import layout."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in _rows(framework):
        writer.writerow(row.cells)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def export_xlsx(framework: Framework) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "测评体系"
    sheet.append(list(COLUMNS))
    for col in range(1, len(COLUMNS) + 1):
        cell = sheet.cell(row=1, column=col)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F2F2F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = _WIDTHS[col - 1]
    rows = _rows(framework)
    wrap = Alignment(vertical="center", wrap_text=True)
    for number, row in enumerate(rows, start=2):
        for col, value in enumerate(row.cells, start=1):
            # Numbers stay numbers so the office can add them up in Excel.
            cell = sheet.cell(row=number, column=col, value=_score_value(value, col - 1))
            cell.alignment = wrap
    for level in range(3):
        _merge_runs(sheet, rows, level, level + 1)
    _merge_runs(sheet, rows, 2, COL_SCORE + 1, only_content_scored=True)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _score_value(value: str, col: int) -> Any:
    if col != COL_SCORE or not value:
        return value
    number = float(value)
    return int(number) if number.is_integer() else number


def _merge_runs(
    sheet: Any, rows: list[_Row], level: int, column: int, *, only_content_scored: bool = False
) -> None:
    start = 0
    for i in range(1, len(rows) + 1):
        if i < len(rows) and rows[i].groups[level] is rows[start].groups[level]:
            continue
        if i - start > 1 and (not only_content_scored or rows[start].content_scored):
            sheet.merge_cells(
                start_row=start + 2, start_column=column, end_row=i + 1, end_column=column
            )
        start = i


def tree_data(framework: Framework) -> dict[str, Any]:
    """The version as a JSON-ready tree."""

    def node_data(node: Node) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": node.number,
            "level": node.level,
            "text": node.text,
            "score": format_score(node.score) or None,
        }
        if node.level == NodeLevel.STANDARD:
            data["methods"] = list(node.methods)
            data["lead_unit"] = unit_label(node.lead_unit) if node.lead_unit else None
            data["partner_units"] = [unit_label(u) for u in node.partner_units.all()]
            data["point_types"] = [t.name for t in node.point_types.all()]
        else:
            data["children"] = [node_data(k) for k in node.kids]  # type: ignore[attr-defined]
        return data

    return {
        "code": framework.code,
        "version": framework.version,
        "name": framework.name,
        "status": framework.status,
        "nodes": [node_data(n) for n in framework_tree(framework)],
    }


def export_json(framework: Framework) -> bytes:
    return json.dumps(tree_data(framework), ensure_ascii=False, indent=2).encode("utf-8")


def export(framework: Framework, fmt: str) -> bytes:
    writers = {"xlsx": export_xlsx, "csv": export_csv, "json": export_json}
    return writers[fmt](framework)


def filename(framework: Framework, fmt: str) -> str:
    return f"{framework.code}-v{framework.version}.{fmt}"
