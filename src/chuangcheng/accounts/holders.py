"""Who answers for a unit or a region: the users to tell about it (ADR 0006).

A grant on a unit or region covers everything below it, so the holders of a node are the users
granted the role on the node itself or on any node above it — one query for any number of nodes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.orgs.models import Unit
from chuangcheng.orgs.paths import containing_paths


def _holders[K](role: Role, field: str, paths: Mapping[K, str]) -> dict[K, list[User]]:
    """For each key, the active users granted ``role`` on a ``field`` (unit or region) whose
    path holds the key's path; each user once, in user order."""
    grants = list(
        Grant.objects.filter(
            role=role,
            **{f"{field}__path__in": sorted(containing_paths(paths.values()))},
            user__is_active=True,
        )
        .select_related("user", field)
        .order_by("user_id")
    )
    found: dict[K, list[User]] = {}
    for key, path in paths.items():
        users: dict[int, User] = {}
        for g in grants:
            target = getattr(g, field)
            if target is not None and path.startswith(target.path):
                users.setdefault(g.user_id, g.user)
        found[key] = list(users.values())
    return found


def unit_users(units: Iterable[Unit]) -> dict[int, list[User]]:
    """For each unit, the active users holding the unit role over it: granted the unit itself
    or a unit above it (a street office's account answers for its communities). One query."""
    return _holders(Role.UNIT, "unit", {u.pk: u.path for u in units})


def office_users(paths: Iterable[str]) -> dict[str, list[User]]:
    """For each region path, the active office users whose region covers it (one query)."""
    return _holders(Role.OFFICE, "region", {p: p for p in paths})
