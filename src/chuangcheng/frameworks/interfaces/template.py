"""The blank framework workbook offered on the import page, with drop-downs of valid names."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chuangcheng.core.workbook import template_workbook
from chuangcheng.frameworks.enums import METHOD_LABELS_ZH, Method
from chuangcheng.frameworks.interfaces.sheet import COLUMNS
from chuangcheng.frameworks.models import point_type_model
from chuangcheng.orgs.models import Unit


def framework_template() -> bytes:
    methods = list(METHOD_LABELS_ZH.values())
    units = list(
        Unit.objects.filter(active=True).order_by("kind", "name").values_list("short_name", "name")
    )
    unit_names = [short or name for short, name in units]
    point_types = list(point_type_model().objects.order_by("seq").values_list("name", flat=True))
    field, material = METHOD_LABELS_ZH[Method.FIELD], METHOD_LABELS_ZH[Method.MATERIAL]
    examples = [
        [
            "公共环境",
            "市容环境",
            "主次干道、背街小巷环境整洁",
            "路面平整，无垃圾、无积存污水、无乱堆乱放",
            field,
            "2",
            unit_names[0] if unit_names else "",
            "",
            "背街小巷",
        ],
        [
            "",
            "",
            "",
            "沿街立面整洁，无乱贴乱画、无违规广告",
            field,
            "1",
            unit_names[0] if unit_names else "",
            "",
            "主次干道/商业大街",
        ],
        [
            "",
            "",
            "工作机制",
            "建立门前三包责任制度并有检查记录",
            material,
            "1",
            unit_names[0] if unit_names else "",
            "",
            "",
        ],
    ]
    return template_workbook(
        title=_("Framework"),
        columns=COLUMNS,
        examples=examples,
        choices={
            4: (_("Methods"), methods),
            6: (_("Units"), unit_names),
            8: (_("Point types"), point_types),
        },
        widths={0: 16, 1: 16, 2: 28, 3: 48, 4: 14, 5: 8, 6: 16, 7: 20, 8: 24},
        notes=[
            _("Each row is one 测评标准. Replace the example rows with your framework."),
            _(
                "A blank 测评项目, 指标 or 测评内容 cell repeats the value above; merged cells work too."
            ),
            _(
                "Several methods, partner units or point types go in one cell separated by 、 or a comma."
            ),
            _(
                "分值 on every row of a 测评内容: each standard has its own score; only on the first row: "
                "the score belongs to the 测评内容."
            ),
            _(
                "Units by full or short name; point types by name (drop-downs in sheet 选项). Unknown "
                "names are listed when importing."
            ),
        ],
    )
