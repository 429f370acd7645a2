"""The demo's inspection points: about 700 places of 27 types spread over the 17 streets.

Guarantees: every point lies inside its street's stored polygon and inside the stored polygon
of its ``region`` (the community holding it); names do not repeat within a street; codes run
P00001, P00002, … in a fixed order, so every load gives the same points.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple

from shapely.geometry import Point as ShapelyPoint

from chuangcheng.demo import catalog, places
from chuangcheng.demo.areas import Area, stem
from chuangcheng.demo.geometry import random_point_in
from chuangcheng.points.models import Point, PointType

ROAD_TYPES = frozenset({"main_road", "back_alley"})


class Wanted(NamedTuple):
    """A point to place: its type, street, name and (for community points) its community."""

    type_code: str
    street: Area
    name: str
    community: Area | None = None


# A generated name for a point of some type in a street (and one of its communities).
Namer = Callable[[random.Random, Area, Area], str]


def _alley(rng: random.Random, street: Area) -> str:
    return rng.choice(places.ALLEYS[stem(street.region.name)])


def _community_stem(community: Area) -> str:
    return community.region.name.removesuffix("社区")


NAMERS: dict[str, Namer] = {
    "residential_compound": lambda rng, s, c: (
        _community_stem(c) + rng.choice(places.COMPOUND_SUFFIXES)
    ),
    "square_park": lambda rng, s, c: c.region.name + rng.choice(("小游园", "口袋公园", "文化广场")),
    "public_toilet": lambda rng, s, c: _alley(rng, s) + "公共卫生间",
    "bookstore": lambda rng, s, c: c.region.name + "城市书房",
    "hotel": lambda rng, s, c: _alley(rng, s) + rng.choice(("宾馆", "快捷酒店", "商务酒店")),
    "farmers_market": lambda rng, s, c: _community_stem(c) + "便民菜市场",
    "restaurant": lambda rng, s, c: _alley(rng, s) + rng.choice(places.FOODS),
    "service_window": lambda rng, s, c: s.region.name + "政务服务中心",
    "mall_supermarket": lambda rng, s, c: (
        rng.choice(places.SUPERMARKETS) + f"（{_community_stem(c)}店）"
    ),
    "construction_site": lambda rng, s, c: rng.choice(
        (c.region.name + "老旧小区综合整治工地", _alley(rng, s) + "管线改造工地")
    ),
    "tutoring_institution": lambda rng, s, c: stem(s.region.name) + rng.choice(places.TUTORING),
    "youth_counselling": lambda rng, s, c: s.region.name + "未成年人心理辅导站",
    "internet_cafe": lambda rng, s, c: stem(s.region.name) + rng.choice(places.CAFES) + "网咖",
}


class _Plan:
    """Collects the points to create, refusing a name already used in the same street."""

    def __init__(self, district: Area, rng: random.Random) -> None:
        self.rng = rng
        self.streets = district.children
        self.by_stem = {stem(s.region.name): s for s in self.streets}
        self.communities = [c for s in self.streets for c in s.children]
        self.street_of = {c.region.code: s for s in self.streets for c in s.children}
        self.weights = [s.geom.area for s in self.streets]
        self.wanted: list[Wanted] = []
        self.used: dict[str, set[str]] = {s.region.code: set() for s in self.streets}

    def add(self, type_code: str, street: Area, name: str, community: Area | None = None) -> bool:
        if name in self.used[street.region.code]:
            return False
        self.used[street.region.code].add(name)
        self.wanted.append(Wanted(type_code, street, name, community))
        return True

    def listed(self, code: str, target: int) -> None:
        """The points of a type whose names come from lists (real places, streets, communities)."""
        rng, streets, by_stem = self.rng, self.streets, self.by_stem
        if code == "street_office":
            for s in streets:
                self.add(code, s, catalog.street_unit_name(s.region.name))
        elif code == "street_culture_station":
            for s in streets:
                self.add(code, s, s.region.name + "综合文化站")
        elif code in ("community", "community_service_centre"):
            suffix = "" if code == "community" else "综合文化服务中心"
            for c in rng.sample(self.communities, target):
                self.add(code, self.street_of[c.region.code], c.region.name + suffix, c)
        elif code == "back_alley":
            alleys = [(k, a) for k, names in places.ALLEYS.items() for a in names]
            # Alleys that are also listed as main roads are taken already; skip them.
            free = [(k, a) for k, a in alleys if a not in self.used[by_stem[k].region.code]]
            for key, name in rng.sample(free, target):
                self.add(code, by_stem[key], name)
        else:
            suffix = "周边" if code == "school_surroundings" else ""
            source = places.SCHOOLS if code.startswith("school_") else places.REAL.get(code, ())
            if code == "residential_compound":
                source = places.COMPOUNDS
            for key, name in source[:target]:
                self.add(code, by_stem[key], name + suffix)

    def generated(self, code: str, target: int) -> None:
        """Top a type up to ``target`` with generated names in streets drawn by area (a bigger
        street holds more points)."""
        namer = NAMERS.get(code)
        count = sum(1 for w in self.wanted if w.type_code == code)
        attempts = 0
        # Bounded: a pattern with fewer distinct names than the target stops short, not forever.
        while namer is not None and count < target and attempts < target * 50:
            attempts += 1
            street = self.rng.choices(self.streets, self.weights)[0]
            community = self.rng.choice(street.children)
            if self.add(code, street, namer(self.rng, street, community), community):
                count += 1


def _wanted(district: Area, rng: random.Random) -> list[Wanted]:
    """Every point to create, type by type: listed names first, then generated ones."""
    plan = _Plan(district, rng)
    for spec in catalog.POINT_TYPES:
        target = places.TARGETS[spec.code]
        plan.listed(spec.code, target)
        plan.generated(spec.code, target)
    return plan.wanted


def _locate(w: Wanted, rng: random.Random) -> tuple[float, float, Area]:
    """A random position in the community (if given) or street, and the community holding it,
    both checked against the stored shapes."""
    target = w.community if w.community is not None else w.street
    while True:
        lng, lat = random_point_in(target.geom, rng)
        spot = ShapelyPoint(lng, lat)
        if not w.street.prepared.covers(spot):
            continue  # on the few-micrometre seam between rounded street and community edges
        for community in w.street.children:
            if community.prepared.covers(spot):
                return lng, lat, community


def build_points(district: Area, types: dict[str, PointType], rng: random.Random) -> int:
    """Create the demo points (bulk) and return how many."""
    rows: list[Point] = []
    for n, w in enumerate(_wanted(district, rng), 1):
        lng, lat, community = _locate(w, rng)
        street_unit = w.street.unit
        assert street_unit is not None
        if w.type_code in ROAD_TYPES:
            address = f"北京市东城区{w.street.region.name}{w.name}"
        else:
            # A name made from an alley (东四五条公共卫生间) is addressed in that alley.
            own = [a for a in places.ALLEYS[stem(w.street.region.name)] if w.name.startswith(a)]
            alley = own[0] if own else _alley(rng, w.street)
            address = f"北京市东城区{w.street.region.name}{alley}{rng.randint(1, 120)}号"
        point_type = types[w.type_code]
        rows.append(
            Point(
                code=f"P{n:05d}",
                name=w.name,
                type=point_type,
                address=address,
                lng=Decimal(f"{lng:.6f}"),
                lat=Decimal(f"{lat:.6f}"),
                region=community.region,
                territorial_unit=community.unit or street_unit,
                line_unit=point_type.line_unit,
            )
        )
    Point.objects.bulk_create(rows)
    return len(rows)
