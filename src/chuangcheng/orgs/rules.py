"""Permissions on regions and units."""

import rules

from chuangcheng.accounts.predicates import is_office_over

rules.add_perm("orgs.manage_region", is_office_over)
rules.add_perm("orgs.manage_unit", is_office_over)
