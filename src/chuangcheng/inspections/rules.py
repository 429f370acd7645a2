"""Who may do what with inspection rounds. Pages, API and domain ask these, never role names.

The office covering a round's region plans, opens and finishes it; leaders, offices and auditors
read rounds and their results; an inspector inspects the points assigned to them (and the office
may record an inspection for any point of its rounds).
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import is_office_over
from chuangcheng.accounts.scope import scope_of


def _reads_rounds(user: Any) -> bool:
    scope = scope_of(user)
    return scope.everything or bool(scope.roles & {Role.OFFICE, Role.LEADER, Role.AUDITOR})


def _is_inspector(user: Any) -> bool:
    scope = scope_of(user)
    return scope.everything or scope.has_role(Role.INSPECTOR)


def _is_assigned(user: Any, round_point: Any) -> bool:
    """The round point is assigned to ``user``."""
    return (
        round_point is not None
        and getattr(user, "is_authenticated", False)
        and round_point.inspector_id == user.pk
    )


reads_rounds = rules.predicate(_reads_rounds)
is_inspector = rules.predicate(_is_inspector)
is_assigned = rules.predicate(_is_assigned)

rules.add_perm("inspections.view_rounds", reads_rounds)
rules.add_perm("inspections.plan_round", is_office_over)
rules.add_perm("inspections.inspect", is_inspector)
rules.add_perm("inspections.submit_point", is_assigned | is_office_over)
