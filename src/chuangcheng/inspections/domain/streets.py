"""Which street a place belongs to, from the materialized region paths (no query per point)."""

from __future__ import annotations

from dataclasses import dataclass

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region


@dataclass(frozen=True)
class StreetIndex:
    """The streets under (or equal to) one region, looked up by any path below them."""

    by_path: dict[str, Region]

    @classmethod
    def under(cls, region: Region) -> StreetIndex:
        """The streets of ``region``'s subtree (``region`` itself when it is a street): 1 query."""
        streets = Region.objects.filter(level=RegionLevel.STREET, path__startswith=region.path)
        return cls({s.path: s for s in streets})

    def street_of(self, path: str) -> Region | None:
        """The street whose subtree holds ``path``, or None when no street of the index does."""
        parts = path.strip("/").split("/")
        for i in range(len(parts), 0, -1):
            found = self.by_path.get("/".join(parts[:i]) + "/")
            if found is not None:
                return found
        return None

    def code_of(self, path: str) -> str:
        street = self.street_of(path)
        return street.code if street is not None else ""
