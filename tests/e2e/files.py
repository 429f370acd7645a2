"""Small builders of upload files for the browser tests."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

POINT_HEADER = ["名称", "类型", "地址", "经度", "纬度", "街道", "属地单位", "行业单位", "编码"]


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    path.write_bytes(buf.getvalue().encode("utf-8-sig"))
    return path
