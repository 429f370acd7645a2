"""Permissions on frameworks: the office configures them."""

import rules

from chuangcheng.accounts.predicates import is_office_over

rules.add_perm("frameworks.manage_framework", is_office_over)
