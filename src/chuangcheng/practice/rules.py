"""Who may do what on the practice side. Pages, API and domain functions ask these.

- The office over a region, and a territorial unit (街道办, 社区居委会: the staff of its practice
  institute or station), run its network: sites, teams, volunteers, households, dispatching
  orders, publishing wishes, awarding points and redeeming goods. Leaders and auditors read.
- The office alone defines the 居民公约 items and corrects ledger transactions.
- A volunteer takes and completes orders dispatched to them, their teams, or open at their
  sites, and claims wishes; a unit claims wishes too. Residents order, publish wishes and rate
  what they ordered or wished for (through their account or the public link).
"""

from __future__ import annotations

from typing import Any

import rules

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.predicates import (
    is_auditor,
    is_leader_over,
    is_office_over,
    is_unit_over,
)
from chuangcheng.accounts.scope import scope_of


def _is_territorial_unit_over(user: Any, obj: Any = None) -> bool:
    """A unit grant whose region subtree covers ``obj`` (a street office over its street)."""
    scope = scope_of(user)
    if scope.everything:
        return True
    if obj is None:
        return bool(scope.prefixes_for(Role.UNIT))
    path = obj.scope_path() if hasattr(obj, "scope_path") else ""
    return bool(path) and scope.covers_path(path, Role.UNIT)


def _is_volunteer(user: Any, obj: Any = None) -> bool:
    """The user holds a volunteer grant and a registered, active volunteer record."""
    scope = scope_of(user)
    if not (scope.everything or scope.has_role(Role.VOLUNTEER)):
        return False
    volunteer = getattr(user, "volunteer", None)
    return volunteer is not None and volunteer.active


def _has_region_role(user: Any, obj: Any = None) -> bool:
    """Any grant over a region (residents and volunteers included): may order and wish."""
    scope = scope_of(user)
    return scope.everything or bool(scope.region_prefixes)


def _has_unit_grant(user: Any, obj: Any = None) -> bool:
    """The user acts for a unit (territorial or line). Which wishes it may claim is decided by
    ``Wish.visible_to``: the wall of the unit's region."""
    scope = scope_of(user)
    return scope.everything or bool(scope.role_units.get(Role.UNIT))


is_station_staff_over = is_office_over | rules.predicate(_is_territorial_unit_over)
is_volunteer = rules.predicate(_is_volunteer)
has_region_role = rules.predicate(_has_region_role)
has_unit_grant = rules.predicate(_has_unit_grant)
is_reader_over = is_station_staff_over | is_leader_over | is_auditor

rules.add_perm("practice.view_network", is_reader_over)
rules.add_perm("practice.manage_network", is_station_staff_over)
rules.add_perm("practice.manage_convention", is_office_over)
rules.add_perm("practice.manage_categories", is_office_over)
rules.add_perm("practice.correct_ledger", is_office_over)
rules.add_perm("practice.view_figures", is_office_over | is_leader_over | is_unit_over)
rules.add_perm("practice.dispatch_order", is_station_staff_over)
rules.add_perm("practice.take_orders", is_volunteer)
rules.add_perm("practice.order_service", has_region_role | is_station_staff_over)
rules.add_perm("practice.publish_wish", has_region_role | is_station_staff_over)
rules.add_perm("practice.claim_wish", is_volunteer | has_unit_grant)
rules.add_perm("practice.award_points", is_station_staff_over)
rules.add_perm("practice.redeem", is_station_staff_over)


# 微心愿: the claimer (the user, or anyone acting for the claiming unit) gives a wish back or
# fulfils it; the publisher or a member of the beneficiary's household rates it; staff over the
# wish's community do all of these, and the publisher may also cancel it.
def _is_wish_claimer(user: Any, wish: Any = None) -> bool:
    if wish is None or not getattr(user, "is_authenticated", False):
        return False
    if wish.claimed_by_id is not None and wish.claimed_by_id == user.pk:
        return True
    return scope_of(user).covers_unit(wish.claimed_unit_id, Role.UNIT)


def _is_wish_publisher(user: Any, wish: Any = None) -> bool:
    if wish is None or not getattr(user, "is_authenticated", False):
        return False
    return wish.published_by_id is not None and wish.published_by_id == user.pk


def _is_wish_beneficiary(user: Any, wish: Any = None) -> bool:
    if wish is None or not getattr(user, "is_authenticated", False):
        return False
    if _is_wish_publisher(user, wish):
        return True
    return wish.household_id is not None and wish.household.members.filter(pk=user.pk).exists()


is_wish_claimer = rules.predicate(_is_wish_claimer)
is_wish_publisher = rules.predicate(_is_wish_publisher)
is_wish_beneficiary = rules.predicate(_is_wish_beneficiary)

rules.add_perm("practice.fulfil_wish", is_wish_claimer | is_station_staff_over)
rules.add_perm("practice.release_wish", is_wish_claimer | is_station_staff_over)
rules.add_perm("practice.rate_wish", is_wish_beneficiary)
rules.add_perm("practice.cancel_wish", is_wish_publisher | is_station_staff_over)
# Who opens the wish pages at all (the wall, my wishes): anyone who may wish, claim or read.
rules.add_perm("practice.view_wishes", has_region_role | has_unit_grant | is_reader_over)
