"""What a user's grants cover, computed once per request.

Every ``visible_to(user)`` queryset method and every rule predicate reads this one object, so
pages, API and templates answer "which rows may this user see" the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from chuangcheng.accounts.enums import Role

_CACHE_ATTR = "_chuangcheng_scope"


@dataclass(frozen=True)
class Scope:
    roles: frozenset[str] = frozenset()
    # Materialized region paths ("110101/110101001/"): the user sees these subtrees.
    region_prefixes: tuple[str, ...] = ()
    # Units granted directly, plus the units below them.
    unit_ids: frozenset[int] = frozenset()
    # Region prefixes per role, for "may this user do X there" questions.
    role_prefixes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    role_units: dict[str, frozenset[int]] = field(default_factory=dict)
    everything: bool = False
    # Granted a unit with no region of its own to answer for (a line department, a company).
    has_sector_unit: bool = False

    def has_role(self, role: Role | str) -> bool:
        return str(role) in self.roles

    def covers_path(self, path: str, role: Role | str | None = None) -> bool:
        prefixes = self.region_prefixes if role is None else self.role_prefixes.get(str(role), ())
        return any(path.startswith(p) for p in prefixes)

    def prefixes_for(self, *roles: Role | str) -> tuple[str, ...]:
        """The region prefixes the user holds in any of ``roles``."""
        return tuple(p for role in roles for p in self.role_prefixes.get(str(role), ()))

    def subtree_q(self, field: str, *roles: Role | str) -> Q:
        """Rows whose region path (at ``field``) lies in a subtree the user holds in one of
        ``roles`` — in any role when none are named; matches nothing without such a grant."""
        prefixes = self.prefixes_for(*roles) if roles else self.region_prefixes
        cond = Q(pk__in=[])
        for prefix in prefixes:
            cond |= Q(**{f"{field}__startswith": prefix})
        return cond

    def covers_unit(self, unit_id: int | None, role: Role | str | None = None) -> bool:
        if unit_id is None:
            return False
        ids = self.unit_ids if role is None else self.role_units.get(str(role), frozenset())
        return unit_id in ids


EMPTY = Scope()


def scope_of(user: Any) -> Scope:
    """The scope of ``user``; two queries the first time per user object, none after."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return EMPTY
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    from chuangcheng.accounts.models import Grant
    from chuangcheng.orgs.models import Unit

    grants = list(Grant.objects.filter(user=user).select_related("region", "unit", "unit__region"))
    roles = frozenset(g.role for g in grants)
    role_prefixes: dict[str, set[str]] = {}
    unit_paths: dict[str, list[str]] = {}
    for g in grants:
        if g.region is not None:
            role_prefixes.setdefault(g.role, set()).add(g.region.path)
        elif g.unit is not None:
            unit_paths.setdefault(g.role, []).append(g.unit.path)
            # A territorial unit (街道办, 社区居委会) answers for its whole region subtree.
            if g.unit.is_territorial and g.unit.region is not None:
                role_prefixes.setdefault(g.role, set()).add(g.unit.region.path)
    role_units: dict[str, frozenset[int]] = {}
    all_unit_paths = sorted({p for paths in unit_paths.values() for p in paths})
    if all_unit_paths:
        from django.db.models import Q

        cond = Q()
        for p in all_unit_paths:
            cond |= Q(path__startswith=p)
        units = list(Unit.objects.filter(cond).values_list("pk", "path"))
        for role, paths in unit_paths.items():
            role_units[role] = frozenset(
                pk for pk, upath in units if any(upath.startswith(p) for p in paths)
            )
    prefixes = _minimal({p for ps in role_prefixes.values() for p in ps})
    scope = Scope(
        roles=roles,
        region_prefixes=prefixes,
        unit_ids=frozenset().union(*role_units.values()) if role_units else frozenset(),
        role_prefixes={r: _minimal(ps) for r, ps in role_prefixes.items()},
        role_units=role_units,
        everything=bool(user.is_superuser),
        has_sector_unit=any(g.unit is not None and not g.unit.is_territorial for g in grants),
    )
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget(user: Any) -> None:
    """Drop the cached scope after the user's grants change."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _minimal(prefixes: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one, so queries stay small."""
    kept: list[str] = []
    for p in sorted(prefixes, key=len):
        if not any(p.startswith(k) for k in kept):
            kept.append(p)
    return tuple(sorted(kept))
