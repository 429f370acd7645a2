"""Permissions on the pages of this app: the outbound messages, the role dashboards and the big
screen. Which dashboards a user sees is decided here, never by a role name in a view."""

import rules

from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over

# The text messages and e-mails the platform sent (or keeps in its outbox) about the region.
rules.add_perm("command.view_outbound_messages", is_office_over)

# The dashboards (ADR 0010). The office reads the leader's view of its region as well; a unit's
# view shows the cases and scores of the user's own units.
rules.add_perm("command.view_leader_board", is_leader_over | is_office_over)
rules.add_perm("command.view_office_board", is_office_over)
rules.add_perm("command.view_unit_board", is_unit_over)
# The big screen shows aggregated figures of a region; the office issues read-only links to it
# for the control room and sets the score target the leader's view measures against.
rules.add_perm("command.view_screen", is_leader_over | is_office_over)
rules.add_perm("command.issue_screen_link", is_office_over)
rules.add_perm("command.set_board_target", is_office_over)
# The map (挂图指挥) and the trend analysis (动态分析): what each reader sees is narrowed by
# visible_to; these only say who has the pages at all.
rules.add_perm("command.view_map", is_leader_over | is_office_over | is_unit_over)
rules.add_perm("command.view_trends", is_leader_over | is_office_over | is_unit_over)
# Key areas (重点区域) are drawn by the civilization office over its region.
rules.add_perm("command.manage_key_areas", is_office_over)
