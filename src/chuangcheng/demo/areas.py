"""The region tree of the demo as it is being built, with each region's stored shape."""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

from chuangcheng.orgs.models import Region, Unit


@dataclass
class Area:
    """A region with its shape exactly as stored (parsed back from the stored GeoJSON), so
    containment decided here is what ``core.geo.contains`` says about the database later."""

    region: Region
    geom: BaseGeometry
    children: list[Area] = field(default_factory=list)
    unit: Unit | None = None  # its own territorial unit, when it has one
    _prepared: PreparedGeometry | None = None

    @property
    def prepared(self) -> PreparedGeometry:
        if self._prepared is None:
            self._prepared = prep(self.geom)
        return self._prepared


def stem(street_name: str) -> str:
    """东华门街道 → 东华门 (the key of ``places.ALLEYS``)."""
    return street_name.removesuffix("街道")
