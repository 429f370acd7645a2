"""Where a reported problem is: the community (or street) holding a position, and the
territorial unit that answers for it."""

from __future__ import annotations

from chuangcheng.core import geo
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit


def locate(lng: float, lat: float, within: Region | None = None) -> Region | None:
    """The smallest street or community with a boundary containing the position, inside
    ``within`` when given. Two queries whatever the number of regions."""
    qs = Region.objects.filter(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY]).filter(
        boundary__isnull=False
    )
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    streets = list(qs.only("pk", "path", "level", "boundary", "parent_id"))
    found: Region | None = None
    for level in (RegionLevel.STREET, RegionLevel.COMMUNITY):
        candidates = [r for r in streets if r.level == level]
        if found is not None:
            candidates = [r for r in candidates if r.path.startswith(found.path)]
        for region in candidates:
            if geo.contains(region.boundary, lng, lat):
                found = region
                break
    return Region.objects.get(pk=found.pk) if found else None


def territorial_unit_for(region: Region) -> Unit | None:
    """The territorial unit of the nearest region up the tree that has one (a community's 居委会,
    else its street office)."""
    paths = []
    path = region.path
    while path:
        paths.append(path)
        path = path[: path.rstrip("/").rfind("/") + 1]
    units = {
        u.region.path: u  # type: ignore[union-attr]
        for u in Unit.objects.filter(
            kind=UnitKind.TERRITORIAL, active=True, region__path__in=paths
        ).select_related("region")
    }
    for p in paths:
        if p in units:
            return units[p]
    return None
