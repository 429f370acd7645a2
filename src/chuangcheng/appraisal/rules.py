"""Who may see appraisals. Pages, API and exports ask these, never role names.

Leaders and offices over a region see every unit's appraisal there; a unit sees its own row with
its rank among all units. Time online and check-in counts are never appraised (减负).
"""

import rules

from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over

rules.add_perm("appraisal.view_appraisal", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("appraisal.view_region_appraisal", is_office_over | is_leader_over)
