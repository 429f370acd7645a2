"""Data for the map and trend tests: cases with positions and exact times in the `world`, and
inspections with chosen results (the scoring tests' helpers)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, Category
from chuangcheng.orgs.models import Region, Unit
from tests.cases.figures_fixtures import TZ, make_case
from tests.conftest import World

# 2026-11-20 12:00 Beijing, a Friday: "now" of the map tests.
NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=TZ)
# Near 多福巷 (p1, in 东华门) and near 景山市场 (p2, in 景山).
S1_LNG, S1_LAT = Decimal("116.405000"), Decimal("39.925000")
S2_LNG, S2_LAT = Decimal("116.396000"), Decimal("39.928000")


def open_case(
    region: Region,
    unit: Unit | None,
    due: dt.datetime | None,
    *,
    status: str = CaseStatus.DISPATCHED,
    lng: Decimal | None = S1_LNG,
    lat: Decimal | None = S1_LAT,
    category: Category | None = None,
    **extra: Any,
) -> Case:
    """A case at a position (by default next to 多福巷) whose deadline is ``due``."""
    return make_case(
        region,
        unit,
        status=status,
        due=due,
        dispatched=(due - dt.timedelta(days=3)) if due else None,
        reported=extra.pop("reported", None) or (NOW - dt.timedelta(days=5)),
        lng=lng,
        lat=lat,
        category=category,
        **extra,
    )


def s1_case(world: World, due: dt.datetime | None, **kw: Any) -> Case:
    return open_case(world.c1, world.unit_c1, due, **kw)


def s2_case(world: World, due: dt.datetime | None, **kw: Any) -> Case:
    kw.setdefault("lng", S2_LNG)
    kw.setdefault("lat", S2_LAT)
    return open_case(kw.pop("region", world.c2), world.unit_s2, due, **kw)


def square(lng: float, lat: float, half: float = 0.002) -> dict[str, Any]:
    """A GeoJSON Polygon: a square around a position (6 decimals, as stored)."""
    ring = [
        [round(x, 6), round(y, 6)]
        for x, y in (
            (lng - half, lat - half),
            (lng + half, lat - half),
            (lng + half, lat + half),
            (lng - half, lat + half),
            (lng - half, lat - half),
        )
    ]
    return {"type": "Polygon", "coordinates": [ring]}
