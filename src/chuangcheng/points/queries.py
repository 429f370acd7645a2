"""Read-side queries for point pages, the map and the API: always scoped by ``visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType

MAP_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


@dataclass(frozen=True)
class Filters:
    """What a list, map, export or API call narrows to. Codes, not ids, so URLs read well."""

    type: str = ""
    street: str = ""
    unit: str = ""
    q: str = ""
    active: str = ""  # "1", "0" or "" for both

    @classmethod
    def from_query(cls, params: Any) -> Filters:
        def get(name: str) -> str:
            return str(params.get(name) or "").strip()[:100]

        active = get("active")
        return cls(
            get("type"),
            get("street"),
            get("unit"),
            get("q"),
            active if active in {"1", "0"} else "",
        )

    def as_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.__dict__.items() if v)


def apply(qs: QuerySet[Point], f: Filters) -> QuerySet[Point]:
    if f.type:
        qs = qs.filter(type__code=f.type)
    if f.street:
        qs = qs.filter(Q(region__code=f.street) | Q(region__parent__code=f.street))
    if f.unit:
        qs = qs.filter(Q(territorial_unit__code=f.unit) | Q(line_unit__code=f.unit))
    if f.q:
        qs = qs.filter(Q(name__icontains=f.q) | Q(address__icontains=f.q) | Q(code__icontains=f.q))
    if f.active:
        qs = qs.filter(active=f.active == "1")
    return qs


def points_for(user: Any, f: Filters) -> QuerySet[Point]:
    """Visible points matching ``f`` with everything a row shows, in one query."""
    return apply(Point.objects.visible_to(user), f).select_related(
        "type", "region", "region__parent", "territorial_unit", "line_unit"
    )


def filter_options(user: Any) -> dict[str, Any]:
    """Choices for the filter selects: one query each."""
    return {
        "types": list(PointType.objects.all()),
        "streets": list(Region.objects.visible_to(user).filter(level=RegionLevel.STREET)),
        "units": list(Unit.objects.visible_to(user).filter(active=True).order_by("kind", "name")),
    }


def types_with_counts(user: Any) -> QuerySet[PointType]:
    visible = Point.objects.visible_to(user).values("pk")
    return PointType.objects.select_related("line_unit").annotate(
        n_points=Count("points", filter=Q(points__pk__in=visible)),
        n_active=Count("points", filter=Q(points__pk__in=visible, points__active=True)),
    )


def type_color(index: int) -> str:
    """A distinct colour per point type: hues a golden angle apart, so 29 types stay apart."""
    hue = (index * 137.508) % 360
    return f"hsl({hue:.0f}, 70%, 42%)"


def map_payload(user: Any, f: Filters) -> dict[str, Any]:
    """Compact map data: one query for the points, one for the region outlines.

    ``points`` rows are ``[code, name, type_index, lng, lat, address, territorial, line]``.
    """
    rows = list(
        apply(Point.objects.visible_to(user), f)
        .order_by("code")
        .values_list(
            "code",
            "name",
            "type_id",
            "type__name",
            "type__seq",
            "lng",
            "lat",
            "address",
            "territorial_unit__name",
            "line_unit__name",
        )
    )
    types: dict[int, dict[str, Any]] = {}
    points = []
    for code, name, type_id, type_name, seq, lng, lat, address, tu, lu in rows:
        if type_id not in types:
            types[type_id] = {
                "name": type_name,
                "color": type_color(seq or type_id),
                "seq": seq,
            }
        points.append([code, name, type_id, float(lng), float(lat), address, tu, lu or ""])
    regions = region_outlines(user)
    legend = sorted(types.items(), key=lambda kv: (kv[1]["seq"], kv[1]["name"]))
    return {
        "types": {str(k): {"name": v["name"], "color": v["color"]} for k, v in legend},
        "points": points,
        "regions": regions,
        "approximate": any(ft["properties"]["approximate"] for ft in regions["features"]),
    }


def region_outlines(user: Any, levels: tuple[str, ...] = MAP_LEVELS) -> dict[str, Any]:
    """The visible district, street and community boundaries as a GeoJSON FeatureCollection
    (1 query); ``mapkit.js`` ``ccMap.outlines`` draws it. Also used by the command map."""
    regions = Region.objects.visible_to(user).filter(level__in=levels, boundary__isnull=False)
    features: list[dict[str, Any]] = [
        {
            "type": "Feature",
            "geometry": r.boundary,
            "properties": {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "approximate": r.boundary_approximate,
            },
        }
        for r in regions.only("code", "name", "level", "boundary", "boundary_approximate")
    ]
    return {"type": "FeatureCollection", "features": features}
