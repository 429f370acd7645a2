"""Who may see and do what with scores. Pages, API and domain ask these, never role names.

Leaders and offices see the scores of the regions they oversee (every street and unit there);
a unit sees its own tree and the clauses it leads; the office recomputes, publishes snapshots,
records negative-list events and edits the clauses' scoring rules.
"""

import rules

from chuangcheng.accounts.predicates import is_leader_over, is_office_over, is_unit_over

rules.add_perm("scoring.view_scores", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("scoring.view_region_scores", is_office_over | is_leader_over)
rules.add_perm("scoring.compute_scores", is_office_over)
rules.add_perm("scoring.manage_rules", is_office_over)
