"""Shapes of the demo district: the real outline and generated (approximate) subdivisions.

No public data set holds the boundaries of 东城区's streets, communities or grid cells, so the demo
draws them as Voronoi cells around seed points, clipped to the parent shape. Every shape this
module returns is valid and already snapped to the 6-decimal grid the database stores, so a point
tested against the in-memory shape gives the same answer against the stored GeoJSON.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPoint, MultiPolygon, Point, Polygon, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points, voronoi_diagram
from shapely.prepared import prep

from chuangcheng.core.geo import gcj02_to_wgs84, map_coordinates

GRID = 1e-6  # 6 decimals: about 0.1 m, the precision of Region/Point coordinates


def polygonal(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """The polygonal part of ``geom`` (a clip or make_valid may add stray lines and points)."""
    if isinstance(geom, (Polygon, MultiPolygon)):
        return geom
    parts: list[Polygon] = []
    for part in getattr(geom, "geoms", ()):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    parts = [p for p in parts if not p.is_empty]
    if len(parts) == 1:
        return parts[0]
    return MultiPolygon(parts)


def snap(geom: BaseGeometry) -> Polygon | MultiPolygon:
    """Valid, on the 6-decimal grid, polygonal. ``set_precision`` keeps validity while rounding,
    which plain rounding of coordinates does not (slivers collapse into self-touching rings)."""
    fixed = geom if geom.is_valid else shapely.make_valid(geom)
    return polygonal(shapely.set_precision(polygonal(fixed), GRID))


def to_geojson(geom: BaseGeometry) -> dict[str, Any]:
    """A GeoJSON geometry with coordinates rounded to 6 decimals (the shape is already snapped,
    so rounding only removes binary noise such as 116.40850000000001)."""
    return map_coordinates(dict(mapping(geom)), lambda lng, lat: (lng, lat))


def load_outline(path: Path) -> Polygon | MultiPolygon:
    """The district outline from the GeoJSON file, converted from GCJ-02 to WGS-84.

    The source polygon touches itself at one vertex (invalid as it stands); it is repaired.
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    geometry = data["features"][0]["geometry"] if data.get("type") == "FeatureCollection" else data
    return snap(shape(map_coordinates(geometry, gcj02_to_wgs84)))


def spread_points(area: BaseGeometry, n: int, rng: random.Random) -> list[Point]:
    """``n`` points inside ``area``, spread out (best of several candidates, Mitchell's
    algorithm) so that no Voronoi cell becomes a sliver."""
    inner = area.buffer(-0.0003)  # keep seeds ~30 m off the edge
    if inner.is_empty or inner.area < area.area * 0.2:
        inner = area
    prepared = prep(inner)
    minx, miny, maxx, maxy = inner.bounds
    chosen: list[Point] = []
    while len(chosen) < n:
        best: Point | None = None
        best_dist = -1.0
        tries = 0
        while tries < 12:
            candidate = Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
            if not prepared.contains(candidate):
                continue
            tries += 1
            dist = min((candidate.distance(c) for c in chosen), default=1.0)
            if dist > best_dist:
                best, best_dist = candidate, dist
        assert best is not None
        chosen.append(best)
    return chosen


def partition(area: BaseGeometry, sites: list[Point]) -> list[Polygon | MultiPolygon]:
    """Split ``area`` into one cell per site (Voronoi), in the order of ``sites``.

    Cells are snapped to the grid; together they cover ``area`` up to that rounding. A cell may
    be a MultiPolygon when a concave outline cuts it in two.
    """
    if len(sites) == 1:
        return [snap(area)]
    cells = voronoi_diagram(MultiPoint(sites), envelope=area.envelope.buffer(0.01))
    by_site: list[Polygon | MultiPolygon | None] = [None] * len(sites)
    for cell in cells.geoms:
        for i, site in enumerate(sites):
            if by_site[i] is None and cell.covers(site):
                by_site[i] = snap(cell.intersection(area))
                break
    if any(c is None or c.is_empty for c in by_site):
        raise ValueError("a Voronoi cell has no site or is empty")
    return [c for c in by_site if c is not None]


def nudge_inside(area: BaseGeometry, lng: float, lat: float) -> Point:
    """The site itself when inside ``area``, else the nearest point ~200 m inside the edge.

    The catalogue's street centres are office positions; a few of them lie just outside the
    coarse (≈100 m) outline of the source data.
    """
    site = Point(lng, lat)
    if area.contains(site):
        return site
    inner = area.buffer(-0.002)
    return nearest_points(inner, site)[0]


def random_point_in(area: BaseGeometry, rng: random.Random) -> tuple[float, float]:
    """A uniformly random position inside ``area``, rounded to 6 decimals."""
    minx, miny, maxx, maxy = area.bounds
    while True:
        lng = round(rng.uniform(minx, maxx), 6)
        lat = round(rng.uniform(miny, maxy), 6)
        if area.contains(Point(lng, lat)):
            return lng, lat
