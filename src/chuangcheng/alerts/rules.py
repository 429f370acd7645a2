"""Who may do what with warnings. Pages, API and domain functions ask these.

Offices and leaders read the warnings located in their regions, a unit those addressed to it
(or to a unit below it). The office over a warning's region and the unit it is addressed to
acknowledge and resolve it; leaders only read. The office edits the rules and group robots of
its region and runs an evaluation on demand.
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over
from chuangcheng.accounts.scope import scope_of


def _is_warning_unit(user: Any, warning: Any = None) -> bool:
    """The user acts for the unit the warning is addressed to, or a unit above it."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if warning is None:
        return scope.has_role(Role.UNIT)
    return scope.covers_unit(getattr(warning, "unit_id", None), Role.UNIT)


is_warning_unit = rules.predicate(_is_warning_unit)

rules.add_perm("alerts.view_warnings", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("alerts.act_on_warning", is_office_over | is_warning_unit)
rules.add_perm("alerts.manage_rules", is_office_over)
rules.add_perm("alerts.manage_webhooks", is_office_over)
rules.add_perm("alerts.evaluate", is_office_over)
