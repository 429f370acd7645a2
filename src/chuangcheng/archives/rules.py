"""Who may do what with the archives. Pages, API and domain functions ask these.

- Offices, leaders, auditors over a region and units read the archives (each the rows
  ``visible_to`` gives them); offices, leaders and auditors read the completeness matrix.
- A unit's users file materials for it (upload, new version, attach, withdraw).
- The reviewers of a level (data: :class:`~chuangcheng.archives.models.ReviewLevel`) approve or
  return what waits at it; ``archives.review`` opens the review queue to them.
- The office over a region synchronises the owed materials, configures the review levels and
  exports the declaration package.
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import (
    is_auditor,
    is_leader_over,
    is_office_over,
    is_unit_over,
)
from chuangcheng.accounts.scope import scope_of


def _acts_for_unit(user: Any, obj: Any = None) -> bool:
    """The user holds the unit role over the object's unit (a Unit, or a row with ``unit_id``)
    — its own unit or a unit above it, not merely its region."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.has_role(Role.UNIT):
        return False
    if obj is None:
        return True
    unit_id = obj.unit_id if hasattr(obj, "unit_id") else obj.pk
    return scope.covers_unit(unit_id, Role.UNIT)


def _reviews_any_level(user: Any, obj: Any = None) -> bool:
    from chuangcheng.archives.domain.review import levels_of

    return bool(levels_of(user))


acts_for_unit = rules.predicate(_acts_for_unit)
reviews_any_level = rules.predicate(_reviews_any_level)

rules.add_perm(
    "archives.view_archives", is_office_over | is_leader_over | is_auditor | is_unit_over
)
rules.add_perm("archives.view_matrix", is_office_over | is_leader_over | is_auditor)
rules.add_perm("archives.file_material", acts_for_unit)
rules.add_perm("archives.review", reviews_any_level)
rules.add_perm("archives.manage", is_office_over)
