"""Figures for the overview page, each scoped to what the user may see; constant query count."""

from __future__ import annotations

from typing import Any

from django.db.models import Count

from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point


def overview_for(user: Any) -> dict[str, Any]:
    points = Point.objects.visible_to(user).filter(active=True)
    by_type = list(points.values("type__name").annotate(n=Count("id")).order_by("-n", "type__name"))
    by_street = list(
        points.values("region__parent__name", "region__name", "region__level")
        .annotate(n=Count("id"))
        .order_by("region__name")
    )
    streets: dict[str, int] = {}
    for row in by_street:
        name = (
            row["region__name"]
            if row["region__level"] == RegionLevel.STREET
            else row["region__parent__name"]
        )
        streets[name] = streets.get(name, 0) + row["n"]
    units = Unit.objects.visible_to(user).values("kind").annotate(n=Count("id"))
    unit_counts = {row["kind"]: row["n"] for row in units}
    regions = Region.objects.visible_to(user).values("level").annotate(n=Count("id"))
    region_counts = {row["level"]: row["n"] for row in regions}
    frameworks = list(Framework.objects.visible_to(user).filter(status="active"))
    top = max((n for n in streets.values()), default=0)
    return {
        "point_total": sum(r["n"] for r in by_type),
        "points_by_type": by_type[:12],
        "type_count": len(by_type),
        "points_by_street": sorted(
            (
                {"name": k, "n": v, "pct": round(100 * v / top) if top else 0}
                for k, v in streets.items()
            ),
            key=lambda r: -r["n"],
        ),
        "unit_territorial": unit_counts.get(UnitKind.TERRITORIAL, 0),
        "unit_line": unit_counts.get(UnitKind.LINE, 0) + unit_counts.get(UnitKind.ENTERPRISE, 0),
        "street_count": region_counts.get(RegionLevel.STREET, 0),
        "community_count": region_counts.get(RegionLevel.COMMUNITY, 0),
        "grid_count": region_counts.get(RegionLevel.GRID, 0),
        "frameworks": frameworks,
    }
