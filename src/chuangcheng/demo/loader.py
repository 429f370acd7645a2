"""Build the demo district (北京市东城区) into the database: regions, units, point types, points,
the 2026 framework, one account per role, the case categories and six months of cases.

Guarantees:
- One transaction: a failure anywhere leaves the database as it was.
- Idempotent: when the district (code 110101) exists, nothing is written and ``created`` is
  False. (A district loaded before the case history existed gets it with ``chuangcheng demo
  cases``: :func:`chuangcheng.demo.cases.load_demo_cases`.)
- Deterministic: fixed seeds, so every load builds the same district, points and people.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from chuangcheng.accounts.models import User
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.demo import catalog, places
from chuangcheng.demo.accounts import ACCOUNTS, create_accounts
from chuangcheng.demo.areas import Area, stem
from chuangcheng.demo.cases import load_demo_cases
from chuangcheng.demo.geometry import (
    load_outline,
    nudge_inside,
    partition,
    spread_points,
    to_geojson,
)
from chuangcheng.demo.names import People
from chuangcheng.demo.points import build_points
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType

DATA = Path(__file__).resolve().parent / "data"
SEED = "chuangcheng-demo-110101"

# Communities that have their own 居委会 unit in the demo (the others answer through their street).
COMMUNITY_UNITS = (
    "110101001001",  # 多福巷社区 (东华门)
    "110101002002",  # 吉祥社区 (景山)
    "110101003009",  # 南锣鼓巷社区 (交道口)
    "110101007001",  # 史家社区 (朝阳门)
    "110101011010",  # 草厂社区 (前门)
    "110101010027",  # 和平里社区 (和平里)
)


class DemoError(Exception):
    """The demo cannot be loaded into this database (the message says why)."""


@dataclass
class LoadResult:
    created: bool
    counts: dict[str, int]
    cases: int = 0  # demo cases created by this load


def is_loaded() -> bool:
    return Region.objects.filter(code=catalog.DISTRICT_CODE).exists()


def counts() -> dict[str, int]:
    """What the demo consists of, as now in the database."""
    regions = {
        level: Region.objects.filter(
            path__startswith=f"{catalog.DISTRICT_CODE}/", level=level
        ).count()
        for level in (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
    }
    return {
        "districts": regions[RegionLevel.DISTRICT],
        "streets": regions[RegionLevel.STREET],
        "communities": regions[RegionLevel.COMMUNITY],
        "grid_cells": Region.objects.filter(
            path__startswith=f"{catalog.DISTRICT_CODE}/", level=RegionLevel.GRID
        ).count(),
        "units": Unit.objects.count(),
        "point_types": PointType.objects.count(),
        "points": Point.objects.count(),
        "accounts": User.objects.filter(username__in=[a.username for a in ACCOUNTS]).count(),
    }


@transaction.atomic
def load_demo(
    *, include_framework: bool = True, include_cases: bool = True, stdout: Any = None
) -> LoadResult:
    """Build the demo district with its case history, or do nothing when it is already there.

    ``include_framework=False`` skips importing the indicator framework (tests of this app run
    without the framework importer); ``include_cases=False`` skips the case history.
    """
    if is_loaded():
        return LoadResult(created=False, counts=counts())
    _build(include_framework=include_framework, stdout=stdout)
    cases = load_demo_cases(stdout) if include_cases else 0
    return LoadResult(created=True, counts=counts(), cases=cases)


def _build(*, include_framework: bool, stdout: Any) -> None:
    _check_free()
    district = _build_regions(random.Random(f"{SEED}-regions"))
    units = _build_units(district, People(random.Random(f"{SEED}-units")))
    types = _build_point_types(units)
    build_points(district, types, random.Random(f"{SEED}-points"))
    if include_framework:
        call_command(
            "framework",
            "import",
            str(DATA / "framework-dongcheng-2026.csv"),
            "--code",
            catalog.FRAMEWORK_CODE,
            "--name",
            catalog.FRAMEWORK_NAME,
            "--activate",
            # The framework command reports what it imported; it goes where our caller prints.
            **({"stdout": stdout} if stdout is not None else {}),
        )
    regions = {r.code: r for r in Region.objects.filter(code__in=_account_region_codes())}
    create_accounts(regions=regions, units=units, now=timezone.now())
    audit.record(
        "demo",
        AuditAction.IMPORT,
        district.region,
        after=counts(),
        note="demo district loaded",
    )


def _account_region_codes() -> set[str]:
    return {a.scope_code for a in ACCOUNTS if a.scope_is_region}


def _read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _check_free() -> None:
    """Refuse (before writing anything) when demo names are taken by other data."""
    taken: list[str] = []
    usernames = [a.username for a in ACCOUNTS]
    taken += [
        f"user {u}"
        for u in User.objects.filter(username__in=usernames).values_list("username", flat=True)
    ]
    line_names = [u.name for u in catalog.LINE_UNITS]
    taken += [
        f"unit {n}" for n in Unit.objects.filter(name__in=line_names).values_list("name", flat=True)
    ]
    if Point.objects.filter(code__startswith="P0").exists():
        taken.append("point codes P0xxxx")
    if taken:
        raise DemoError("cannot load the demo district, already in use: " + ", ".join(taken))


def _center(geom: BaseGeometry) -> tuple[Decimal, Decimal]:
    p = geom.representative_point()
    return Decimal(f"{p.x:.6f}"), Decimal(f"{p.y:.6f}")


def _region(
    code: str, name: str, level: str, parent: Region | None, *, geom: BaseGeometry, seq: int
) -> tuple[Region, BaseGeometry]:
    """An unsaved Region and its shape parsed back from the GeoJSON stored in it."""
    boundary = to_geojson(geom)
    stored = shape(boundary)
    lng, lat = _center(stored)
    region = Region(
        code=code,
        name=name,
        level=level,
        parent=parent,
        path=(parent.path if parent else "") + f"{code}/",
        boundary=boundary,
        boundary_approximate=parent is not None,
        center_lng=lng,
        center_lat=lat,
        seq=seq,
    )
    return region, stored


def _build_regions(rng: random.Random) -> Area:
    """District (real outline) → 17 streets → 169 communities → 2–4 grid cells each."""
    outline = load_outline(DATA / "dongcheng-outline.geojson")
    region, geom = _region(
        catalog.DISTRICT_CODE,
        catalog.DISTRICT_NAME,
        RegionLevel.DISTRICT,
        None,
        geom=outline,
        seq=0,
    )
    Region.objects.bulk_create([region])
    district = Area(region, geom)

    streets = _read_csv("streets.csv")
    sites = [nudge_inside(geom, *catalog.STREET_CENTRES[row["code"]]) for row in streets]
    for seq, (row, cell) in enumerate(zip(streets, partition(geom, sites), strict=True), 1):
        r, g = _region(row["code"], row["name"], RegionLevel.STREET, region, geom=cell, seq=seq)
        district.children.append(Area(r, g))
    Region.objects.bulk_create([a.region for a in district.children])

    by_street: dict[str, list[dict[str, str]]] = {}
    for row in _read_csv("communities.csv"):
        by_street.setdefault(row["streetCode"], []).append(row)
    communities: list[Area] = []
    for street in district.children:
        rows = by_street[street.region.code]
        cells = partition(street.geom, spread_points(street.geom, len(rows), rng))
        for seq, (row, cell) in enumerate(zip(rows, cells, strict=True), 1):
            name = row["name"].removesuffix("居委会")
            r, g = _region(
                row["code"], name, RegionLevel.COMMUNITY, street.region, geom=cell, seq=seq
            )
            area = Area(r, g)
            street.children.append(area)
            communities.append(area)
    Region.objects.bulk_create([a.region for a in communities])

    grids: list[Region] = []
    for community in communities:
        n = rng.randint(2, 4)
        cells = partition(community.geom, spread_points(community.geom, n, rng))
        for i, cell in enumerate(cells, 1):
            code = f"{community.region.code}{i:02d}"
            name = f"{community.region.name}第{i}网格"
            r, g = _region(code, name, RegionLevel.GRID, community.region, geom=cell, seq=i)
            community.children.append(Area(r, g))
            grids.append(r)
    Region.objects.bulk_create(grids)
    return district


def _unit(
    spec: tuple[str, str, str],
    kind: str,
    region: Region,
    parent: Unit | None,
    *,
    people: People,
    address: str,
) -> Unit:
    code, name, short_name = spec
    return Unit(
        code=code,
        name=name,
        short_name=short_name,
        kind=kind,
        region=region,
        parent=parent,
        path=(parent.path if parent else "") + f"{code}/",
        head_name=people.name(),
        head_phone=people.phone(),
        contact_name=people.name(),
        contact_phone=people.phone(),
        address=address,
    )


def _build_units(district: Area, people: People) -> dict[str, Unit]:
    """Street offices, six community 居委会 and the line departments, keyed by code.

    Each street office and community with its own unit gets ``Area.unit`` set.
    """
    rng = random.Random(f"{SEED}-addresses")

    def address(key: str) -> str:
        return f"北京市东城区{rng.choice(places.ALLEYS[key])}{rng.randint(1, 99)}号"

    offices: list[Unit] = []
    for street in district.children:
        name = street.region.name
        spec = (street.region.code, catalog.street_unit_name(name), name)
        street.unit = _unit(
            spec,
            UnitKind.TERRITORIAL,
            street.region,
            None,
            people=people,
            address=address(stem(name)),
        )
        offices.append(street.unit)
    Unit.objects.bulk_create(offices)

    residents: list[Unit] = []
    for street in district.children:
        for community in street.children:
            if community.region.code in COMMUNITY_UNITS:
                name = community.region.name
                spec = (community.region.code, f"{name}居委会", name)
                community.unit = _unit(
                    spec,
                    UnitKind.TERRITORIAL,
                    community.region,
                    street.unit,
                    people=people,
                    address=address(stem(street.region.name)),
                )
                residents.append(community.unit)
    Unit.objects.bulk_create(residents)

    roads = [name for _, name in places.REAL["main_road"]]
    lines = [
        _unit(
            (u.code, u.name, u.short_name),
            UnitKind.LINE,
            district.region,
            None,
            people=people,
            address=f"北京市东城区{rng.choice(roads)}{rng.randint(1, 199)}号",
        )
        for u in catalog.LINE_UNITS
    ]
    Unit.objects.bulk_create(lines)
    return {u.code: u for u in (*offices, *residents, *lines)}


def _build_point_types(units: dict[str, Unit]) -> dict[str, PointType]:
    """The 29 catalogue types with their usual line department; types that already exist (by
    code) are kept and only get a missing line department filled in."""
    by_short = {u.short_name: u for u in units.values() if u.kind == UnitKind.LINE}
    existing = {t.code: t for t in PointType.objects.all()}
    new: list[PointType] = []
    for seq, spec in enumerate(catalog.POINT_TYPES, 1):
        line_unit = by_short.get(spec.line_unit)
        if spec.code in existing:
            known = existing[spec.code]
            if known.line_unit_id is None and line_unit is not None:
                known.line_unit = line_unit
                known.save(update_fields=["line_unit"])
            continue
        new.append(PointType(code=spec.code, name=spec.name, seq=seq, line_unit=line_unit))
    PointType.objects.bulk_create(new)
    return {t.code: t for t in PointType.objects.select_related("line_unit")}
