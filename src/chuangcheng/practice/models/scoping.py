"""The one place that turns a user's grants into "which practice rows may they see".

Staff (office, leader, auditor, and a territorial unit such as a street office or residents'
committee, which runs the station of its region) see rows whose region lies in their subtrees.
Volunteers and residents see their own rows only; each model's ``visible_to`` adds those."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

# Roles that read (and, for office and unit, run) the practice network of a region subtree.
STAFF_ROLES = ("office", "leader", "auditor", "unit")


def scope(user: Any) -> Any:
    from chuangcheng.accounts.scope import scope_of

    return scope_of(user)


def staff_q(user: Any, region_path_field: str) -> Q:
    """Rows under the user's staff subtrees (matches nothing without a staff grant)."""
    q: Q = scope(user).subtree_q(region_path_field, *STAFF_ROLES)
    return q
