"""Who may do what with red flags and star ratings. Pages, API and domain ask these.

Offices and leaders read the standings, awards and stars of the regions they oversee; a unit
reads its own rows; inspectors rate targets in their region and the office may rate too; the
office edits schemes and confirms a month's flags.
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over
from chuangcheng.accounts.scope import scope_of


def _is_inspector_over(user: Any, obj: Any = None) -> bool:
    """An inspector whose region covers ``obj`` (a point or a unit); any inspector for None."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.has_role(Role.INSPECTOR):
        return False
    if obj is None:
        return True
    path = obj.scope_path() if hasattr(obj, "scope_path") else ""
    return bool(path) and scope.covers_path(path, Role.INSPECTOR)


is_inspector_over = rules.predicate(_is_inspector_over)

rules.add_perm(
    "awards.view_awards", is_office_over | is_leader_over | is_unit_over | is_inspector_over
)
rules.add_perm("awards.view_region_awards", is_office_over | is_leader_over)
rules.add_perm("awards.rate", is_inspector_over | is_office_over)
rules.add_perm("awards.manage_schemes", is_office_over)
rules.add_perm("awards.confirm_award", is_office_over)
