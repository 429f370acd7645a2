"""Builders for framework import files used by the tests."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook

HEADER = [
    "测评项目",
    "指标",
    "测评内容",
    "测评标准",
    "测评方法",
    "分值",
    "牵头单位",
    "配合单位",
    "点位类型",
]

# Sheet rows 2..7 as an office would type them, with merged group cells read as None.
GOOD_ROWS: list[list[Any]] = [
    [
        "公共环境",
        "市容环境",
        "道路街巷整洁",
        "路面平整，无垃圾",
        "实地考察",
        2,
        "区城管委",
        "区市场监管局",
        "背街小巷",
    ],
    [
        None,
        None,
        None,
        "无乱贴乱画",
        "实地考察、材料审核",
        1.5,
        "区城管委",
        None,
        "背街小巷、农贸市场",
    ],
    [None, None, "农贸市场环境", "划行归市", "实地考察", 3, "区市场监管局", None, "农贸市场"],
    [
        None,
        None,
        None,
        "有消毒记录",
        "Field inspection, material review",
        None,
        "区市场监管局",
        "区城管委；区市场监管局",
        "农贸市场",
    ],
    [None, "群众评价", "满意度", "市民对市容环境的满意率", "问卷调查", 2, "区城管委", None, None],
    ["公共文明", "交通文明", "文明出行", "机动车礼让斑马线", "实地考察", 1, None, None, "背街小巷"],
]
MERGES = ["A2:A6", "B2:B5", "C2:C3", "C4:C5", "F4:F5"]


def xlsx_bytes(rows: list[list[Any]], merges: list[str] = (), header: list[str] = HEADER) -> bytes:  # type: ignore[assignment]
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for rng in merges:
        sheet.merge_cells(rng)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list[Any]], header: list[str] = HEADER, encoding: str = "utf-8-sig"
) -> bytes:
    lines = [",".join(header)]
    for row in rows:
        lines.append(",".join("" if v is None else f'"{v}"' for v in row))
    return ("\r\n".join(lines) + "\r\n").encode(encoding)
