"""Reading a key area's outline from pasted GeoJSON, with a message that says what is wrong.

Accepted: a Polygon or MultiPolygon geometry, a Feature holding one, or a FeatureCollection of
exactly one such Feature. Positions are ``[lng, lat]`` in WGS-84 (or GCJ-02 when copied from a
高德 map, converted here). Unclosed rings are closed; a self-crossing outline is refused.
"""

from __future__ import annotations

import json
import math
from typing import Any

from django.utils.translation import gettext as _
from shapely.geometry import shape
from shapely.validation import explain_validity

from chuangcheng.core import geo
from chuangcheng.points.geometry import lat_in_range, lng_in_range

MAX_TEXT = 200_000
MAX_POSITIONS = 20_000
POLYGONAL = ("Polygon", "MultiPolygon")


class OutlineError(ValueError):
    """The text is not a usable outline; the message says why, for the person who pasted it."""


def _geometry_of(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise OutlineError(_("The outline must be a GeoJSON object, not a list or a value."))
    kind = data.get("type")
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or len(features) != 1:
            raise OutlineError(_("A FeatureCollection must hold exactly one feature."))
        return _geometry_of(features[0])
    if kind == "Feature":
        return _geometry_of(data.get("geometry"))
    if kind not in POLYGONAL:
        raise OutlineError(
            _("The outline must be a Polygon or MultiPolygon, not “%(t)s”.") % {"t": kind}
        )
    return data


def _position(value: Any) -> list[float]:
    if (
        not isinstance(value, list)
        or len(value) < 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value[:2])
        or not all(math.isfinite(v) for v in value[:2])
    ):
        raise OutlineError(_("Every position must be a pair of numbers [longitude, latitude]."))
    lng, lat = float(value[0]), float(value[1])
    if not (lng_in_range(lng) and lat_in_range(lat)):
        raise OutlineError(
            _(
                "The position [%(lng)s, %(lat)s] is outside China: "
                "positions are [longitude, latitude], longitude first."
            )
            % {"lng": value[0], "lat": value[1]}
        )
    return [lng, lat]


def _ring(value: Any) -> list[list[float]]:
    if not isinstance(value, list):
        raise OutlineError(_("A ring must be a list of positions."))
    ring = [_position(p) for p in value]
    if ring and ring[0] != ring[-1]:
        ring.append(list(ring[0]))
    if len(ring) < 4:
        raise OutlineError(_("A ring needs at least three different corners."))
    return ring


def _polygon(value: Any) -> list[list[list[float]]]:
    if not isinstance(value, list) or not value:
        raise OutlineError(_("A polygon must be a non-empty list of rings."))
    return [_ring(r) for r in value]


def _count(coords: Any) -> int:
    """How many positions a nested coordinate list holds."""
    if coords and isinstance(coords[0], (int, float)):
        return 1
    return sum(_count(c) for c in coords)


def parse_outline(text: str, *, crs: str = "wgs84") -> dict[str, Any]:
    """The WGS-84 geometry (rounded to 6 places) described by ``text``; OutlineError if none."""
    if not text.strip():
        raise OutlineError(_("Paste the outline as GeoJSON, or choose a region's boundary."))
    if len(text) > MAX_TEXT:
        raise OutlineError(_("The outline is too long (at most 200,000 characters)."))
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise OutlineError(
            _("This is not valid JSON (line %(line)s, column %(col)s).")
            % {"line": getattr(exc, "lineno", "?"), "col": getattr(exc, "colno", "?")}
        ) from exc
    found = _geometry_of(data)
    coords = found.get("coordinates")
    if found["type"] == "Polygon":
        geometry: dict[str, Any] = {"type": "Polygon", "coordinates": _polygon(coords)}
    else:
        if not isinstance(coords, list) or not coords:
            raise OutlineError(_("A MultiPolygon must be a non-empty list of polygons."))
        geometry = {"type": "MultiPolygon", "coordinates": [_polygon(p) for p in coords]}
    if _count(geometry["coordinates"]) > MAX_POSITIONS:
        raise OutlineError(_("The outline has too many corners (at most 20,000)."))
    if crs == "gcj02":
        geometry = geo.map_coordinates(geometry, geo.gcj02_to_wgs84)
    else:
        geometry = geo.map_coordinates(geometry, lambda lng, lat: (lng, lat))
    return checked(geometry)


def checked(geometry: dict[str, Any]) -> dict[str, Any]:
    """``geometry`` when it is a valid, non-empty polygon (a region's boundary is checked too)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in POLYGONAL:
        raise OutlineError(_("The outline must be a Polygon or MultiPolygon."))
    try:
        found = shape(geometry)
    except (ValueError, TypeError, IndexError) as exc:
        raise OutlineError(_("The outline cannot be read as a polygon.")) from exc
    if not found.is_empty and not found.is_valid:
        raise OutlineError(
            _("The outline crosses itself or overlaps (%(why)s).")
            % {"why": explain_validity(found)}
        )
    if found.is_empty or found.area == 0:
        raise OutlineError(_("The outline encloses no area."))
    return geometry
