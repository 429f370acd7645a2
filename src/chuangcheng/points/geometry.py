"""Where a point lies: coordinate ranges and the street/community that contains it.

Pure functions over already-loaded regions, so a whole import file is checked without a query
per row. Boundaries are WGS-84 GeoJSON geometries (../shared/domain.md §10).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from chuangcheng.core import geo
from chuangcheng.orgs.models import Region

# Mainland China, generously: a coordinate outside is a typo or swapped columns.
LNG_RANGE = (73, 136)
LAT_RANGE = (3, 54)
SIX_PLACES = Decimal("0.000001")


def lng_in_range(lng: float) -> bool:
    return LNG_RANGE[0] <= lng <= LNG_RANGE[1]


def lat_in_range(lat: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1]


def to_wgs84(lng: float, lat: float, crs: str) -> tuple[Decimal, Decimal]:
    """Stored coordinates: WGS-84 rounded to 6 places (about 0.1 m)."""
    if crs == "gcj02":
        lng, lat = geo.gcj02_to_wgs84(lng, lat)
    return (
        Decimal(repr(lng)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP),
        Decimal(repr(lat)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP),
    )


def inside_street(street: Region, lng: float, lat: float) -> bool:
    """True when the street has no boundary (nothing to check against) or covers the point."""
    if not street.boundary:
        return True
    return geo.contains(street.boundary, lng, lat)


def locate(
    street: Region,
    communities: Iterable[Region],
    lng: float,
    lat: float,
    current: Region | None = None,
) -> Region:
    """The community of ``street`` whose boundary holds the point, else the street itself.

    ``current`` is where an existing point already is: a community of the same street that has
    no boundary (so nothing can place the point elsewhere) is kept, instead of silently moving
    the point up to its street on every edit.
    """
    for community in communities:
        if (
            community.parent_id == street.pk
            and community.boundary
            and geo.contains(community.boundary, lng, lat)
        ):
            return community
    if current is not None and current.parent_id == street.pk and not current.boundary:
        return current
    return street


def street_of(region: Region) -> Region:
    """The street a point's region belongs to (the region itself or its parent community's)."""
    from chuangcheng.orgs.enums import RegionLevel

    if region.level != RegionLevel.STREET and region.parent is not None:
        return region.parent
    return region
