"""Who sees which targets, ratings and awards. Pages and API ask here.

- An office or a leader over a region sees every target there, its ratings and standings.
- A unit sees the targets it answers for (its points, its own unit row, and for a territorial
  unit everything in its region), and the award list of its district.
- An inspector sees the ratings they gave; they rate targets in their region.
Everything outside answers 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import Scope, scope_of
from chuangcheng.awards.enums import TargetKind
from chuangcheng.awards.models import RedFlagAward, RedFlagRating, RedFlagScheme
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

READERS = (Role.OFFICE, Role.LEADER, Role.UNIT)
RATERS = (Role.INSPECTOR, Role.OFFICE)
OVERVIEW_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)
AWARD_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT)


def _prefixes(scope: Scope, roles: tuple[Role, ...]) -> list[str]:
    return sorted({p for r in roles for p in scope.role_prefixes.get(str(r), ())})


def _units(scope: Scope, roles: tuple[Role, ...]) -> set[int]:
    return {u for r in roles for u in scope.role_units.get(str(r), frozenset())}


def target_q(user: Any, *, point: str | None = "point__", unit: str | None = "unit__") -> Q:
    """Rows whose target the user may read: a point at ``point`` or a unit at ``unit`` (None
    leaves that kind out; ``""`` means the queryset's own rows)."""
    scope = scope_of(user)
    if scope.everything:
        return Q()
    cond = Q(pk__in=[])
    ids = _units(scope, (Role.UNIT,))
    for prefix in _prefixes(scope, READERS):
        if point is not None:
            cond |= Q(**{f"{point}region__path__startswith": prefix})
        if unit is not None:
            cond |= Q(**{f"{unit}region__path__startswith": prefix})
    if ids and point is not None:
        cond |= Q(**{f"{point}territorial_unit_id__in": ids})
        cond |= Q(**{f"{point}line_unit_id__in": ids})
    if ids and unit is not None:
        cond |= Q(**{f"{unit}pk__in": ids})
    return cond


def ratings_visible_to(user: Any) -> QuerySet[RedFlagRating]:
    """Ratings of targets the user reads, plus the ratings the user gave."""
    if not user.has_perm("awards.view_awards"):
        return RedFlagRating.objects.none()
    return RedFlagRating.objects.filter(target_q(user) | Q(inspector_id=user.pk))


def scheme_targets(scheme: RedFlagScheme) -> QuerySet[Any]:
    """Every active target the scheme rates."""
    if scheme.target == TargetKind.POINTS:
        return Point.objects.filter(
            active=True, type__in=scheme.point_types.values("pk")
        ).select_related("type", "region")
    units = Unit.objects.filter(active=True).select_related("region")
    return units.filter(kind=scheme.unit_kind) if scheme.unit_kind else units


def ratable_targets(user: Any, scheme: RedFlagScheme) -> QuerySet[Any]:
    """The scheme's targets in the regions where the user rates (inspector or office)."""
    targets = scheme_targets(scheme)
    scope = scope_of(user)
    if scope.everything:
        return targets
    cond = Q(pk__in=[])
    for prefix in _prefixes(scope, RATERS):
        cond |= Q(region__path__startswith=prefix)
    return targets.filter(cond)


def readable_targets(user: Any, scheme: RedFlagScheme) -> QuerySet[Any]:
    """The scheme's targets whose standings and stars the user may read."""
    if not user.has_perm("awards.view_awards"):
        return scheme_targets(scheme).none()
    if scheme.rates_points:
        return scheme_targets(scheme).filter(target_q(user, point="", unit=None))
    return scheme_targets(scheme).filter(target_q(user, point=None, unit=""))


def overview_regions(user: Any) -> list[Region]:
    """Districts and streets whose full standings the user may see, broadest first."""
    candidates = Region.objects.visible_to(user).filter(level__in=OVERVIEW_LEVELS)
    return [r for r in candidates.order_by("path") if user.has_perm("awards.view_region_awards", r)]


def region_choice(user: Any, region_id: Any) -> tuple[Region | None, list[Region]]:
    """The overview region asked for (or the broadest one) and the choices; the region is None
    for a user without an overview (a unit) and raises LookupError for one outside the choices."""
    choices = overview_regions(user)
    if region_id in (None, ""):
        return (choices[0] if choices else None), choices
    for region in choices:
        if str(region.pk) == str(region_id):
            return region, choices
    raise LookupError(region_id)


def award_regions(user: Any) -> list[Region]:
    """Regions (districts) where the user confirms flags."""
    return [
        r
        for r in overview_regions(user)
        if r.level in AWARD_LEVELS and user.has_perm("awards.confirm_award", r)
    ]


def awards_visible_to(user: Any) -> QuerySet[RedFlagAward]:
    """The public award list of the user's regions: awards made over a region the user reads,
    or over a region that contains the user's own region or units (a unit sees its district's
    list)."""
    if not user.has_perm("awards.view_awards"):
        return RedFlagAward.objects.none()
    scope = scope_of(user)
    if scope.everything:
        return RedFlagAward.objects.all()
    paths = set(scope.region_prefixes)
    paths |= set(
        Unit.objects.filter(pk__in=scope.unit_ids, region__isnull=False).values_list(
            "region__path", flat=True
        )
    )
    containing = {p[: i + 1] for p in paths for i, ch in enumerate(p) if ch == "/"}
    cond = Q(region__path__in=containing)
    for prefix in scope.region_prefixes:
        cond |= Q(region__path__startswith=prefix)
    return RedFlagAward.objects.filter(cond)


def target_keys(user: Any, scheme: RedFlagScheme) -> set[str]:
    """Keys (``p12``, ``u3``) of the scheme's targets the user may read, as in Standing.key."""
    prefix = "p" if scheme.rates_points else "u"
    return {f"{prefix}{pk}" for pk in readable_targets(user, scheme).values_list("pk", flat=True)}
