from __future__ import annotations

from pathlib import Path

import pytest

from chuangcheng.demo.catalog import LINE_UNITS, POINT_TYPES
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit
from chuangcheng.points.models import PointType


@pytest.fixture
def catalog(db: None) -> None:
    """The demo vocabulary: 23 line departments and 29 point types."""
    for spec in LINE_UNITS:
        unit = Unit(code=spec.code, name=spec.name, short_name=spec.short_name, kind=UnitKind.LINE)
        unit.path = unit.compute_path()
        unit.save()
    PointType.objects.bulk_create(
        PointType(code=p.code, name=p.name, seq=i) for i, p in enumerate(POINT_TYPES)
    )


@pytest.fixture
def write(tmp_path: Path):  # type: ignore[no-untyped-def]
    def _write(name: str, data: bytes) -> str:
        path = tmp_path / name
        path.write_bytes(data)
        return str(path)

    return _write
