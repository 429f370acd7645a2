"""Who may issue and revoke Open311 API keys: the office covering the key's region."""

import rules

from chuangcheng.accounts.predicates import is_office_over

rules.add_perm("open311.manage_keys", is_office_over)
