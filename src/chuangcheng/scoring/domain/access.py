"""Which scores a user may see. Pages, API and exports all ask here.

- ``scoring.view_region_scores`` on a region (leaders and offices over it): the region's tree,
  each street's and each unit's scored there.
- A unit user: the tree of each unit visible to them (``Unit.objects.visible_to``), and for the
  clauses their units lead, those clauses' region figures; nothing else.
Objects outside scope are answered with 404 by the caller (None here).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.enums import ScopeKind

OVERVIEW_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


def may_view(user: Any) -> bool:
    return bool(user.has_perm("scoring.view_scores"))


def overview_regions(user: Any) -> list[Region]:
    """Districts and streets whose full scores ``user`` may see, broadest first."""
    if not may_view(user):
        return []
    candidates = Region.objects.visible_to(user).filter(level__in=OVERVIEW_LEVELS)
    return [
        r for r in candidates.order_by("path") if user.has_perm("scoring.view_region_scores", r)
    ]


def own_units(user: Any) -> QuerySet[Unit]:
    """The units whose own scores a user without an overview may see."""
    if not may_view(user):
        return Unit.objects.none()
    return Unit.objects.visible_to(user)


def may_see_scope(user: Any, key: ScopeKey, run_region: Region) -> bool:
    """Whether ``user`` may see a scope of a run over ``run_region``: a region scope when they
    oversee that region; a unit scope when they oversee the run's region or the unit is theirs."""
    kind, pk = key
    regions = overview_regions(user)
    if kind == ScopeKind.REGION:
        return any(r.pk == pk for r in regions)
    if any(run_region.path.startswith(r.path) for r in regions):
        return True
    return own_units(user).filter(pk=pk).exists()


def led_units(user: Any) -> set[int]:
    """Units of the user whose led clauses' region figures they may see."""
    return set(own_units(user).values_list("pk", flat=True))
