"""Who sees which appraisal rows. Pages, API and exports all ask here.

- ``appraisal.view_region_appraisal`` on a district (an office or a leader over it): every
  unit's row, the units listed apart, the 红黑榜.
- Any other user with ``appraisal.view_appraisal`` (a unit): only the rows of the units
  visible to them (``Unit.objects.visible_to``), each with its rank among all units, as the
  figures page does. A unit or region outside scope answers 404 (None here).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chuangcheng.appraisal.domain.ranking import Ranking, rank_units
from chuangcheng.appraisal.models import AppraisalFormula
from chuangcheng.cases.domain.figures_access import home_region
from chuangcheng.cases.domain.periods import Period
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit

RANKING_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT)


def may_view(user: Any) -> bool:
    return bool(user.has_perm("appraisal.view_appraisal"))


def overview_regions(user: Any) -> list[Region]:
    """The districts (or cities) whose whole ranking ``user`` may see, broadest first."""
    if not may_view(user):
        return []
    candidates = Region.objects.visible_to(user).filter(level__in=RANKING_LEVELS)
    return [
        r
        for r in candidates.order_by("path")
        if user.has_perm("appraisal.view_region_appraisal", r)
    ]


@dataclass
class ScopedRanking:
    """A ranking cut to what one user may see."""

    ranking: Ranking
    overview: bool  # every row is the user's to see
    regions: list[Region]  # regions the user may choose
    ranked: int  # units ranked in the whole ranking, before any cut


def scoped_ranking(
    user: Any,
    period: Period,
    region: Region | None = None,
    *,
    formula: AppraisalFormula | None = None,
    now: dt.datetime | None = None,
) -> ScopedRanking | None:
    """The ranking ``user`` may see over ``region`` (None: the broadest allowed); None without
    access or for a region outside the user's overview."""
    if not may_view(user):
        return None
    choices = overview_regions(user)
    if region is not None and region not in choices:
        return None
    chosen = region or (choices[0] if choices else None)
    if chosen is not None:
        ranking = rank_units(period, chosen, formula=formula, now=now)
        return ScopedRanking(ranking, overview=True, regions=choices, ranked=ranking.ranked)
    home = home_region(user)
    if home is None:
        return None
    ranking = rank_units(period, home, formula=formula, now=now)
    ranked = ranking.ranked
    own = set(Unit.objects.visible_to(user).values_list("pk", flat=True))
    ranking.rows = [r for r in ranking.rows if r.unit.pk in own]
    ranking.apart = [r for r in ranking.apart if r.unit.pk in own]
    return ScopedRanking(ranking, overview=False, regions=[], ranked=ranked)


def unit_in_scope(user: Any, unit_id: int) -> Unit | None:
    """The unit if ``user`` may see its appraisal; None otherwise (the caller answers 404)."""
    if not may_view(user):
        return None
    return Unit.objects.visible_to(user).filter(pk=unit_id).first()


def region_in_scope(user: Any, region_id: int | str | None) -> Region | None:
    if not region_id:
        return None
    try:
        pk = int(region_id)
    except (TypeError, ValueError):
        return None
    return next((r for r in overview_regions(user) if r.pk == pk), None)


def record_export(*, actor: Any, what: str, ranking: Ranking, rows: int) -> None:
    """Every appraisal export is audited: who took which period, region and formula out."""
    audit.record(
        actor,
        AuditAction.EXPORT,
        ranking.region,
        object_type="appraisal.ranking",
        object_repr=(
            f"{what} · {ranking.period.key} · {ranking.region.name} · "
            f"{ranking.formula.code} · {rows}"
        ),
        note=what,
    )
