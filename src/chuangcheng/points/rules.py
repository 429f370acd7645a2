"""Permissions on points: the office covering the point's region manages it."""

import rules

from chuangcheng.accounts.predicates import is_office_over

rules.add_perm("points.manage_point", is_office_over)
