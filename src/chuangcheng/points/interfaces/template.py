"""The blank points workbook offered on the import page, with drop-downs of valid names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.core.workbook import template_workbook
from chuangcheng.points import queries
from chuangcheng.points.interfaces.tables import HEADERS


def points_template(user: Any) -> bytes:
    """Names the user may use: all point types, the streets and units visible to them."""
    options = queries.filter_options(user)
    types = [t.name for t in options["types"]]
    streets = [s.name for s in options["streets"]]
    units = [u.name for u in options["units"]]
    example = [
        _("Dongsi North Street"),
        types[0] if types else "",
        _("No. 1 Dongsi North Street, Dongcheng District"),
        "116.417500",
        "39.932100",
        streets[0] if streets else "",
        units[0] if units else "",
        "",
        "",
    ]
    return template_workbook(
        title=_("Points"),
        columns=HEADERS,
        examples=[example],
        choices={
            1: (_("Point types"), types),
            5: (_("Streets"), streets),
            6: (_("Units"), units),
            7: (_("Units"), units),
        },
        widths={0: 24, 2: 36, 6: 26, 7: 26},
        notes=[
            _("One row per point. Replace the example row with your own points."),
            _(
                "类型, 街道, 属地单位 and 行业单位 must be names the platform knows: pick them from the "
                "drop-down lists (sheet 选项)."
            ),
            _(
                "Coordinates are WGS-84 (GPS, 天地图). Coordinates copied from 高德 are GCJ-02: choose "
                "GCJ-02 when importing and they are converted."
            ),
            _(
                "Leave 编码 empty for new points; a row with the code of an existing point updates it."
            ),
            _(
                "If any row has a problem, nothing is imported and every problem is listed with its "
                "row and column."
            ),
        ],
    )
