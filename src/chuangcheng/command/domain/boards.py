"""Which dashboards a user sees, which one opens first, and the region a board is about.

Asked of the rules in ``command/rules.py`` (``command.view_leader_board`` …), never of role
names. A board the user may not see answers 404 on pages and in the API.
"""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chuangcheng.core.dashboards import LEADER, OFFICE, SCREEN, UNIT
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region

# Tabs in this order; the permission that opens each.
BOARDS: tuple[tuple[str, Promise, str], ...] = (
    (LEADER, _("Leader's view"), "command.view_leader_board"),
    (OFFICE, _("Office's view"), "command.view_office_board"),
    (UNIT, _("Unit's view"), "command.view_unit_board"),
)
PERMS = {code: perm for code, _label, perm in BOARDS} | {SCREEN: "command.view_screen"}
# The board opened at / when several are allowed: the one the user works in first.
DEFAULT_ORDER = (OFFICE, UNIT, LEADER)
OVERSEEN_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


def may_see(user: Any, board: str) -> bool:
    perm = PERMS.get(board)
    return perm is not None and bool(user.has_perm(perm))


def boards_for(user: Any) -> list[tuple[str, Promise]]:
    """The tabs ``user`` may open, in display order."""
    return [(code, label) for code, label, perm in BOARDS if user.has_perm(perm)]


def default_board(user: Any) -> str | None:
    allowed = {code for code, _label in boards_for(user)}
    return next((b for b in DEFAULT_ORDER if b in allowed), None)


def overseen_regions(user: Any, board: str) -> list[Region]:
    """The city, district or streets the board may show for ``user`` (the rule holds over
    them), broadest first; one query."""
    perm = PERMS[board]
    candidates = Region.objects.visible_to(user).filter(level__in=OVERSEEN_LEVELS)
    return [r for r in candidates.order_by("path") if user.has_perm(perm, r)]


def board_region(user: Any, board: str, code: str = "") -> Region | None:
    """The region asked for by code among those overseen (the broadest when ``code`` is
    empty); None when there is none or the code names one outside the user's."""
    regions = overseen_regions(user, board)
    if code:
        return next((r for r in regions if r.code == code), None)
    return regions[0] if regions else None
