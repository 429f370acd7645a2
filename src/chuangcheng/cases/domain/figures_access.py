"""Who sees which figures. Pages, API, exports and bulletins all ask here.

- A user who may see a region's figures (``cases.view_region_figures`` on it: an office or a
  leader over it) sees every unit leading cases located there, the sub-region table and the total.
- Any other user with figures access (a unit) sees only the rows of the units visible to them
  (``Unit.objects.visible_to``), each with its rank among all units, and no totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from chuangcheng.cases.domain.figures import FigureTable, figure_table
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.models_appraisal import AppraisalScheme
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit

OVERVIEW_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


def may_view_figures(user: Any) -> bool:
    return bool(user.has_perm("cases.view_figures"))


def overview_regions(user: Any) -> list[Region]:
    """The districts and streets whose full figures ``user`` may see, broadest first."""
    candidates = Region.objects.visible_to(user).filter(level__in=OVERVIEW_LEVELS)
    return [r for r in candidates.order_by("path") if user.has_perm("cases.view_region_figures", r)]


def home_region(user: Any) -> Region | None:
    """The region a unit user's ranking is computed over: the broadest district or city visible
    (every unit of the district is ranked together)."""
    return (
        Region.objects.visible_to(user)
        .filter(level__in=(RegionLevel.CITY, RegionLevel.DISTRICT))
        .order_by("path")
        .first()
    )


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user)


@dataclass
class ScopedTable:
    """A figure table cut to what one user may see."""

    table: FigureTable
    overview: bool  # all units, sub-regions and totals are the user's to see
    regions: list[Region]  # the regions the user may choose
    ranked: int  # how many units are ranked in the whole table, before any cut


def scoped_table(
    user: Any,
    period: Period,
    region: Region | None = None,
    *,
    now: dt.datetime | None = None,
    scheme: AppraisalScheme | None = None,
) -> ScopedTable | None:
    """The table ``user`` may see for ``region`` (None: the broadest allowed). None when the
    user has no figures access or asks for a region outside their overview."""
    if not may_view_figures(user):
        return None
    choices = overview_regions(user)
    if region is not None and region not in choices:
        return None
    chosen = region or (choices[0] if choices else None)
    if chosen is not None:
        table = figure_table(period, chosen, now=now, scheme=scheme)
        return ScopedTable(table=table, overview=True, regions=choices, ranked=table.ranked)
    table = figure_table(period, home_region(user), now=now, scheme=scheme)
    ranked = table.ranked
    own = set(visible_units(user).values_list("pk", flat=True))
    table.units = [r for r in table.units if r.unit.pk in own]
    table.regions = []
    return ScopedTable(table=table, overview=False, regions=[], ranked=ranked)


def unit_in_scope(user: Any, unit_id: int) -> Unit | None:
    """The unit if ``user`` may see its figures; None otherwise (the caller answers 404)."""
    if not may_view_figures(user):
        return None
    return visible_units(user).filter(pk=unit_id).select_related("region").first()


def unit_for_drilldown(user: Any, unit_id: int | str, region: Region | None) -> Unit | None:
    """A unit whose cases the user may list: any unit within a region the user oversees (the
    cases stay limited to that region), else only a unit in the user's scope."""
    try:
        pk = int(unit_id)
    except (TypeError, ValueError):
        return None
    if region is not None:
        return Unit.objects.filter(pk=pk).first()
    return unit_in_scope(user, pk)


def region_in_scope(user: Any, region_id: int | str | None) -> Region | None:
    """The overview region by id if the user may see it; None when absent or not allowed."""
    if not region_id:
        return None
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        return None
    found = Region.objects.filter(pk=pk).first()
    if found is None or not user.has_perm("cases.view_region_figures", found):
        return None
    return found


def record_export(
    *, actor: Any, what: str, period: Period, region: Region | None, rows: int
) -> None:
    """Every figures export or bulletin is audited: who took which period and region out."""
    audit.record(
        actor,
        AuditAction.EXPORT,
        region,
        object_type="cases.figures",
        object_repr=f"{what} · {period.key} · {region.name if region else '-'} · {rows}",
        note=what,
    )
