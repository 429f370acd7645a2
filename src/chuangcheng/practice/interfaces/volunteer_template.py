"""The blank volunteer import template (.xlsx): the Chinese headers of
:mod:`chuangcheng.practice.domain.volunteer_import`, one example row, drop-downs of the user's
communities and the time slots, and the filling instructions."""

from __future__ import annotations

import io
from typing import Any

from django.utils import timezone, translation

from chuangcheng.core.workbook import template_workbook
from chuangcheng.practice.domain.volunteer_import import HEADERS, managed_communities
from chuangcheng.practice.enums import Slot


def template(actor: Any) -> bytes:
    """The blank template: headers, one example row, drop-downs of communities and time slots,
    and the filling instructions; the ID and phone columns are formatted as text so Excel keeps
    all 18 digits."""
    communities = [r.name for r in managed_communities(actor)]
    with translation.override("zh-hans"):
        slots = [str(s.label) for s in Slot]
    data = template_workbook(
        title="志愿者",
        columns=HEADERS,
        examples=[
            (
                "张晓明",
                "11010119900307109X",
                "13800138000",
                communities[0] if communities else "多福巷社区",
                "助餐、助洁",
                f"{slots[0]}、{slots[4]}",
                "周三下午不便",
                "",
                timezone.localdate().isoformat(),
            )
        ],
        choices={3: ("社区", communities), 5: ("可服务时段", slots)},
        notes=[
            "带 * 的列必填：姓名、身份证号、手机号、社区。",
            "身份证号为 18 位（最后一位可为 X），系统按 GB 11643 校验；同一身份证号只能注册一次。",
            "手机号为 11 位手机号码。身份证号、手机号加密保存，页面上只显示部分号码。",
            "服务技能、可服务时段、所属队伍可填多个，用顿号“、”分隔；队伍须属于本社区、所在街道或区。",
            "注册日期格式为 2026-03-01，不填则为导入当天。",
            "导入时先检查全部行：任何一行有问题，所有行都不写入，并列出每个问题所在的行和列。",
            "第 2 行是示例，导入前请删除。",
        ],
        widths={0: 12, 1: 22, 2: 15, 3: 16, 4: 18, 5: 26, 6: 18, 7: 22, 8: 13},
    )
    return _as_text_columns(data, (1, 2))


def _as_text_columns(data: bytes, columns: tuple[int, ...]) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    sheet = wb.worksheets[0]
    for col in columns:
        for row in range(1, 502):
            sheet.cell(row=row, column=col + 1).number_format = "@"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
