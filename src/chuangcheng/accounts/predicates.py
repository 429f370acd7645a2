"""Rule predicates shared by every app's ``rules.py``.

An object answers ``scope_path()`` (its region path) and optionally ``scope_unit_ids()``
(the units answerable for it); a predicate asks whether the user's grants for a role cover it.
"""

from __future__ import annotations

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of


def _covers(user: Any, obj: Any, role: Role) -> bool:
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.has_role(role):
        return False
    if obj is None:
        return True
    path = obj.scope_path() if hasattr(obj, "scope_path") else ""
    if path and scope.covers_path(path, role):
        return True
    unit_ids = obj.scope_unit_ids() if hasattr(obj, "scope_unit_ids") else ()
    return any(scope.covers_unit(uid, role) for uid in unit_ids)


def _is_office_over(user: Any, obj: Any = None) -> bool:
    """The user works in a civilization office whose region covers ``obj``."""
    return _covers(user, obj, Role.OFFICE)


def _is_unit_over(user: Any, obj: Any = None) -> bool:
    """The user acts for a unit answerable for ``obj``."""
    return _covers(user, obj, Role.UNIT)


def _is_leader_over(user: Any, obj: Any = None) -> bool:
    """The user is a leader whose region covers ``obj`` (reads everything there, edits nothing)."""
    return _covers(user, obj, Role.LEADER)


def _is_auditor(user: Any) -> bool:
    scope = scope_of(user)
    return scope.everything or scope.has_role(Role.AUDITOR)


def _is_sysadmin_over(user: Any, obj: Any = None) -> bool:
    """The user is a system administrator whose region covers ``obj``."""
    return _covers(user, obj, Role.SYSADMIN)


def _is_secadmin_over(user: Any, obj: Any = None) -> bool:
    """The user is a security administrator whose region covers ``obj``."""
    return _covers(user, obj, Role.SECADMIN)


def _is_audit_admin(user: Any) -> bool:
    """The user holds the audit administrator role. Deliberately not ``scope.everything``:
    the audit log is the audit administrator's alone (三员分立), not a superuser's."""
    return scope_of(user).has_role(Role.AUDITOR)


def _has_any_grant(user: Any) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles)


# rules.predicate inspects the signature (how many arguments to pass), so wrap, don't decorate:
# the decorated forms would be untyped for mypy.
is_office_over = rules.predicate(_is_office_over)
is_unit_over = rules.predicate(_is_unit_over)
is_leader_over = rules.predicate(_is_leader_over)
is_auditor = rules.predicate(_is_auditor)
has_any_grant = rules.predicate(_has_any_grant)
is_sysadmin_over = rules.predicate(_is_sysadmin_over)
is_secadmin_over = rules.predicate(_is_secadmin_over)
is_audit_admin = rules.predicate(_is_audit_admin)
