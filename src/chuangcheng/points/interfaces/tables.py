"""Reading point files (.xlsx, .csv, GeoJSON) into rows of named cells.

The column names are fixed Chinese headers, the same in every language, because the files are
filled in by hand in Excel or exported from other systems in the district.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from chuangcheng.core.tabular import UnreadableFileError, cell_text, column_letter, read_rows

NAME, TYPE, ADDRESS, LNG, LAT, STREET, TERRITORIAL, LINE, CODE = (
    "名称",
    "类型",
    "地址",
    "经度",
    "纬度",
    "街道",
    "属地单位",
    "行业单位",
    "编码",
)
HEADERS = (NAME, TYPE, ADDRESS, LNG, LAT, STREET, TERRITORIAL, LINE, CODE)
REQUIRED_HEADERS = (NAME, TYPE, LNG, LAT, STREET, TERRITORIAL)
FORMATS = ("xlsx", "csv", "geojson")


@dataclass(frozen=True)
class Problem:
    """One bad cell. ``where`` is the spreadsheet row number (header = 1) or, for GeoJSON, the
    1-based position of the feature in ``features``."""

    where: int
    header: str
    message: str
    column: str = ""  # spreadsheet column letter; "" for GeoJSON
    geojson: bool = False

    def __str__(self) -> str:
        if self.geojson:
            return _("Feature %(n)s, property %(prop)s: %(message)s") % {
                "n": self.where,
                "prop": self.header,
                "message": self.message,
            }
        return _("Row %(row)s, column %(col)s (%(header)s): %(message)s") % {
            "row": self.where,
            "col": self.column or "?",
            "header": self.header,
            "message": self.message,
        }


@dataclass
class Table:
    """Rows of ``header → text`` with where each came from."""

    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)
    geojson: bool = False
    problems: list[Problem] = field(default_factory=list)

    def problem(self, where: int, header: str, message: str) -> Problem:
        return Problem(where, header, message, self.letters.get(header, ""), self.geojson)


def detect_format(filename: str) -> str:
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix in {"json", "geojson"}:
        return "geojson"
    return suffix


def read_table(filename: str, data: bytes) -> Table:
    """Parse a file by its extension. Structural problems (no header, bad JSON) go into
    ``Table.problems``; cell values are checked later."""
    fmt = detect_format(filename)
    if fmt in {"csv", "xlsx"}:
        try:
            rows = read_rows(filename, data)
        except UnreadableFileError as exc:
            table = Table()
            table.problems.append(Problem(1, "-", str(exc)))
            return table
        return _from_grid([cells for _number, cells in rows])
    if fmt == "geojson":
        return _from_geojson(data)
    table = Table()
    table.problems.append(Problem(1, "-", _("Unsupported file type: use .xlsx, .csv or .geojson.")))
    return table


def _from_grid(grid: list[list[str]]) -> Table:
    table = Table()
    if not grid:
        table.problems.append(Problem(1, "-", _("The file is empty.")))
        return table
    header = [h.strip() for h in grid[0]]
    positions = {h: i for i, h in enumerate(header) if h in HEADERS}
    table.letters = {h: column_letter(i) for h, i in positions.items()}
    for h in REQUIRED_HEADERS:
        if h not in positions:
            table.problems.append(
                Problem(1, h, _("The column is missing from the header row."), "-")
            )
    for number, raw in enumerate(grid[1:], start=2):
        if not any(c.strip() for c in raw):
            continue
        values = {h: (raw[i].strip() if i < len(raw) else "") for h, i in positions.items()}
        table.rows.append((number, values))
    return table


def _from_geojson(data: bytes) -> Table:
    table = Table(geojson=True)
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        table.problems.append(Problem(0, "-", _("The file is not valid JSON."), geojson=True))
        return table
    features = doc.get("features") if isinstance(doc, dict) else None
    if (
        not isinstance(doc, dict)
        or doc.get("type") != "FeatureCollection"
        or not isinstance(features, list)
    ):
        table.problems.append(
            Problem(0, "type", _("The file is not a GeoJSON FeatureCollection."), geojson=True)
        )
        return table
    for n, feature in enumerate(features, start=1):
        props = feature.get("properties") if isinstance(feature, dict) else None
        props = props if isinstance(props, dict) else {}
        values = {h: cell_text(props.get(h)) for h in HEADERS}
        geom = feature.get("geometry") if isinstance(feature, dict) else None
        if isinstance(geom, dict) and geom.get("type") == "Point":
            coords = geom.get("coordinates") or []
            # The geometry is the position; properties may repeat it for spreadsheet users.
            if len(coords) >= 2 and not values[LNG] and not values[LAT]:
                values[LNG], values[LAT] = cell_text(coords[0]), cell_text(coords[1])
        elif not (values[LNG] and values[LAT]):
            table.problems.append(
                Problem(n, "geometry", _("The feature has no Point geometry."), geojson=True)
            )
        table.rows.append((n, values))
    return table
