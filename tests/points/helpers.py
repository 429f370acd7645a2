"""Builders for import files and boundaries used by the points tests."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

HEADER = ["名称", "类型", "地址", "经度", "纬度", "街道", "属地单位", "行业单位", "编码"]


def square(lng0: float, lat0: float, lng1: float, lat1: float) -> dict[str, Any]:
    return {
        "type": "Polygon",
        "coordinates": [[[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]],
    }


def csv_bytes(
    rows: list[list[Any]], *, encoding: str = "utf-8-sig", header: list[str] = HEADER
) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for r in rows:
        writer.writerow(r)
    return buf.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def geojson_bytes(rows: list[list[Any]]) -> bytes:
    features = []
    for r in rows:
        props = dict(zip(HEADER, r, strict=False))
        lng, lat = props.pop("经度"), props.pop("纬度")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lng, lat]},
                "properties": props,
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False
    ).encode()
