"""Who may do what with surveys. Pages, API and domain functions ask these.

The office over a survey's region designs it, plans its fieldwork, opens and closes it, voids
responses and exports results; leaders over the region read it and its results, auditors the
survey only (its design and fieldwork, not the residents' answers).
Inspectors over the region interview for an open survey. Anyone with the public link answers
an open survey that allows self-answering (no permission: the link is the key).
"""

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import is_leader_over, is_office_over
from chuangcheng.accounts.scope import scope_of


def _is_interviewer_over(user: Any, survey: Any = None) -> bool:
    """The user inspects in a region over or under the survey's (a street's inspector
    interviews for the district's survey)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if survey is None:
        return scope.has_role(Role.INSPECTOR)
    path = survey.scope_path()
    return any(p.startswith(path) or path.startswith(p) for p in scope.prefixes_for(Role.INSPECTOR))


def _is_auditor_over(user: Any, survey: Any = None) -> bool:
    """The user audits a region covering the survey's (reads it and its results)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if not scope.has_role(Role.AUDITOR):
        return False
    return survey is None or scope.covers_path(survey.scope_path(), Role.AUDITOR)


is_interviewer_over = rules.predicate(_is_interviewer_over)
is_auditor_over = rules.predicate(_is_auditor_over)

rules.add_perm("surveys.view_survey", is_office_over | is_leader_over | is_auditor_over)
rules.add_perm("surveys.manage_survey", is_office_over)
rules.add_perm("surveys.view_results", is_office_over | is_leader_over)
rules.add_perm("surveys.interview", is_office_over | is_interviewer_over)
