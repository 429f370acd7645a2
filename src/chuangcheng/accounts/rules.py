"""Permissions on people and grants: the three separated administrators (ADR 0014).

The office keeps delegated administration of business accounts and roles in its region.
"""

import rules

from chuangcheng.accounts.predicates import (
    is_audit_admin,
    is_office_over,
    is_secadmin_over,
    is_sysadmin_over,
)

# Accounts' lifecycle: create, edit, activate, reset the password.
rules.add_perm("accounts.manage_users", is_office_over | is_sysadmin_over)
# The same, on accounts holding an administrator role.
rules.add_perm("accounts.manage_admin_accounts", is_sysadmin_over)
# Role grants: add and remove.
rules.add_perm("accounts.manage_grants", is_office_over | is_secadmin_over)
# Grants of the three administrator roles (sysadmin, secadmin, auditor).
rules.add_perm("accounts.grant_admin_roles", is_secadmin_over)
rules.add_perm("accounts.reset_second_factor", is_secadmin_over)
# The user pages: whoever manages accounts or grants.
rules.add_perm("accounts.view_users", is_office_over | is_sysadmin_over | is_secadmin_over)
rules.add_perm("accounts.view_audit", is_audit_admin)
