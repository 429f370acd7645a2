"""Which scope an analysis page (gap list, what-if, trends) answers for, checked against the
user's rights in :mod:`chuangcheng.scoring.domain.access`.

A region scope (the district or one street) needs ``scoring.view_region_scores`` over it; a unit
scope needs the unit to be the user's own or to lie in a region the user oversees. Anything else
is answered with ``None`` here and 404 by the caller.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain import access
from chuangcheng.scoring.domain.evidence import ScopeKey
from chuangcheng.scoring.domain.reading import campaign_region, region_key, run_region, unit_key
from chuangcheng.scoring.domain.scopes import default_scope
from chuangcheng.scoring.enums import ScopeKind


@dataclass
class Scope:
    """The scope shown and the region its run is computed over."""

    key: ScopeKey
    run_region: Region
    name: str
    region: Region | None = None
    unit: Unit | None = None
    # The scopes whose rows a gap list shows: each street for a district, else the scope itself.
    row_keys: list[ScopeKey] = field(default_factory=list)
    row_names: dict[ScopeKey, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """The GET parameters naming this scope."""
        if self.unit is not None:
            return {"unit": str(self.unit.pk)}
        assert self.region is not None
        return {"region": str(self.region.pk)}


def _int(value: Any) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _bad(raw: Any, parsed: int | None) -> bool:
    return raw not in (None, "") and parsed is None


def region_scope(region: Region) -> Scope:
    """A district's rows are its streets; a street's rows are its own."""
    scope = Scope(region_key(region), run_region(region), region.name, region=region)
    if scope.run_region.pk == region.pk:
        streets = list(Region.objects.filter(parent=region).order_by("seq", "code"))
        scope.row_keys = [region_key(s) for s in streets]
        scope.row_names = {region_key(s): s.name for s in streets}
    else:
        scope.row_keys = [scope.key]
        scope.row_names = {scope.key: region.name}
    return scope


def unit_scope(unit: Unit) -> Scope:
    key = unit_key(unit)
    scope = Scope(key, campaign_region(), unit.name, unit=unit)
    scope.row_keys = [key]
    scope.row_names = {key: unit.short_name or unit.name}
    return scope


def _unit_scope_for(user: Any, unit_id: int) -> Scope | None:
    found = Unit.objects.filter(pk=unit_id).first()
    if found is None:
        return None
    scope = unit_scope(found)
    if not access.may_see_scope(user, (ScopeKind.UNIT, found.pk), scope.run_region):
        return None
    return scope


def resolve_scope(user: Any, region: Any = None, unit: Any = None) -> Scope | None:
    """The scope asked for (``region`` or ``unit`` id), or the user's broadest one by default;
    None when the user may not see it (or it does not exist)."""
    if not access.may_view(user):
        return None
    region_id, unit_id = _int(region), _int(unit)
    if _bad(region, region_id) or _bad(unit, unit_id):
        return None
    if unit_id is not None:
        return _unit_scope_for(user, unit_id)
    if region_id is not None:
        overview = access.overview_regions(user)
        chosen = next((r for r in overview if r.pk == region_id), None)
        return region_scope(chosen) if chosen is not None else None
    region, own = default_scope(user)
    if region is not None:
        return region_scope(region)
    return unit_scope(own) if own is not None else None


def scope_choices(user: Any) -> tuple[list[Region], list[Unit]]:
    """The regions and units a user may pick on the analysis pages."""
    return access.overview_regions(user), list(access.own_units(user).order_by("path"))
