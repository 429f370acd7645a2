"""Who may do what with the calendar. Pages, API and domain ask these.

- Offices, leaders and units read the calendar (each the rows ``visible_to`` gives them).
- The office over a region creates and changes its events and task series.
- A unit marks its own task occurrences done; an office or leader reads the completion overview.
- A unit's users, or the office over it, issue its .ics subscription link.
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over
from chuangcheng.accounts.scope import scope_of


def _acts_for_its_unit(user: Any, obj: Any = None) -> bool:
    """The user holds the unit role over the object's own unit (not merely its region: a
    task belongs to the unit it was assigned to)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.has_role(Role.UNIT):
        return False
    return obj is None or scope.covers_unit(obj.unit_id, Role.UNIT)


acts_for_its_unit = rules.predicate(_acts_for_its_unit)

rules.add_perm("agenda.view_calendar", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("agenda.manage_calendar", is_office_over)
rules.add_perm("agenda.do_tasks", is_unit_over)
rules.add_perm("agenda.complete_task", acts_for_its_unit)
rules.add_perm("agenda.view_completion", is_office_over | is_leader_over)
rules.add_perm("agenda.issue_feed", is_unit_over | is_office_over)
