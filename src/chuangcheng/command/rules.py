"""Permissions on the office's pages of this app."""

import rules

from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over

# The text messages and e-mails the platform sent (or keeps in its outbox) about the region.
rules.add_perm("command.view_outbound_messages", is_office_over)
# The map (挂图指挥) and the trend analysis (动态分析): what each reader sees is narrowed by
# visible_to; these only say who has the pages at all.
rules.add_perm("command.view_map", is_leader_over | is_office_over | is_unit_over)
rules.add_perm("command.view_trends", is_leader_over | is_office_over | is_unit_over)
# Key areas (重点区域) are drawn by the civilization office over its region.
rules.add_perm("command.manage_key_areas", is_office_over)
