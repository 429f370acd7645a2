"""Who may do what to a case. Pages, API and domain ask these, never role names.

The office covering the case's region runs the workflow; a unit the case is dispatched to
handles it and may ask for more time; anyone who may see a case may comment on it.
"""

import rules

from chuangcheng.accounts.predicates import (
    has_any_grant,
    is_leader_over,
    is_office_over,
    is_unit_over,
)

rules.add_perm("cases.view_case", has_any_grant)
rules.add_perm("cases.manage_case", is_office_over)
rules.add_perm("cases.handle_case", is_unit_over | is_office_over)
rules.add_perm("cases.manage_categories", is_office_over)
# Reports from people (随手拍): anyone with a grant; hotline calls and moderation: the office.
rules.add_perm("cases.report_problem", has_any_grant)
rules.add_perm("cases.take_hotline", is_office_over)
rules.add_perm("cases.moderate", is_office_over)

# Unit figures and bulletins: offices and leaders see a region's figures (every unit there);
# a unit sees its own row; the office issues bulletins.
rules.add_perm("cases.view_figures", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("cases.view_region_figures", is_office_over | is_leader_over)
rules.add_perm("cases.issue_bulletin", is_office_over)
