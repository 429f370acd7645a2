"""Permissions on people and grants."""

import rules

from chuangcheng.accounts.predicates import is_auditor, is_office_over

rules.add_perm("accounts.manage_users", is_office_over)
rules.add_perm("accounts.view_audit", is_auditor)
