"""Write points in the import format, so an export edited in Excel imports back as updates."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from chuangcheng.points.interfaces.tables import HEADERS
from chuangcheng.points.models import Point

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "geojson": "application/geo+json",
}


def export_queryset(qs: Any) -> Any:
    """The related rows every exported line needs, fetched in the same query."""
    return qs.select_related("type", "region", "region__parent", "territorial_unit", "line_unit")


def row(point: Point) -> list[Any]:
    region = point.region
    street = region.parent if region.level != "street" and region.parent else region
    return [
        point.name,
        point.type.name,
        point.address,
        float(point.lng),
        float(point.lat),
        street.name,
        point.territorial_unit.name,
        point.line_unit.name if point.line_unit else "",
        point.code,
    ]


def to_csv(points: Iterable[Point]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for p in points:
        writer.writerow(row(p))
    # A BOM so Excel on Windows opens the Chinese text as UTF-8.
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_xlsx(points: Iterable[Point]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "点位"
    ws.append(list(HEADERS))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in points:
        ws.append(row(p))
    for letter, width in zip("ABCDEFGHI", (24, 16, 30, 12, 12, 14, 22, 22, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_geojson(points: Iterable[Point]) -> bytes:
    features = []
    for p in points:
        values = row(p)
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [values[3], values[4]]},
                "properties": dict(zip(HEADERS, values, strict=True)),
            }
        )
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def export(points: Iterable[Point], fmt: str) -> bytes:
    writers = {"csv": to_csv, "xlsx": to_xlsx, "geojson": to_geojson}
    return writers[fmt](points)
