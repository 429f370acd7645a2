"""Coordinates and shapes. The product stores WGS-84 (../shared/domain.md §10).

高德 and most Chinese web maps use GCJ-02, an obfuscated datum offset by a few hundred metres;
天地图 uses CGCS2000, which equals WGS-84 at map scale. The GCJ-02 formulas are the published
public-domain approximation; GCJ-02 → WGS-84 is inverted by fixed-point iteration (< 1e-7°).
"""

from __future__ import annotations

import math
from typing import Any

from shapely.geometry import Point as ShapelyPoint
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

_A = 6378245.0
_EE = 0.00669342162296594323


def in_china(lng: float, lat: float) -> bool:
    return 72.004 <= lng <= 137.8347 and 0.8293 <= lat <= 55.8271


def _delta_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _delta_lng(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def wgs84_to_gcj02(lng: float, lat: float) -> tuple[float, float]:
    """WGS-84 → GCJ-02 (for drawing on 高德 tiles). Outside China nothing changes."""
    if not in_china(lng, lat):
        return lng, lat
    d_lat = _delta_lat(lng - 105.0, lat - 35.0)
    d_lng = _delta_lng(lng - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lng = (d_lng * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return lng + d_lng, lat + d_lat


def gcj02_to_wgs84(lng: float, lat: float) -> tuple[float, float]:
    """GCJ-02 → WGS-84 (for coordinates copied from 高德 or a phone's Chinese map app)."""
    if not in_china(lng, lat):
        return lng, lat
    w_lng, w_lat = lng, lat
    for _ in range(30):
        g_lng, g_lat = wgs84_to_gcj02(w_lng, w_lat)
        d_lng, d_lat = g_lng - lng, g_lat - lat
        w_lng, w_lat = w_lng - d_lng, w_lat - d_lat
        if abs(d_lng) < 1e-9 and abs(d_lat) < 1e-9:
            break
    return w_lng, w_lat


def map_coordinates(geometry: dict[str, Any], fn: Any) -> dict[str, Any]:
    """Apply ``fn(lng, lat) -> (lng, lat)`` to every position of a GeoJSON geometry."""

    def walk(coords: Any) -> Any:
        if coords and isinstance(coords[0], (int, float)):
            lng, lat = fn(float(coords[0]), float(coords[1]))
            return [round(lng, 6), round(lat, 6)]
        return [walk(c) for c in coords]

    return {"type": geometry["type"], "coordinates": walk(geometry["coordinates"])}


def to_shape(geometry: dict[str, Any]) -> BaseGeometry:
    return shape(geometry)


def contains(geometry: dict[str, Any] | None, lng: float, lat: float) -> bool:
    """Whether a GeoJSON polygon holds the point (on the border counts as inside)."""
    if not geometry:
        return False
    return bool(shape(geometry).covers(ShapelyPoint(lng, lat)))
