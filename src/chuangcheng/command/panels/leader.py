"""Panels of the leader's view: score against target, open and overdue cases, trends."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chuangcheng.cases.models import Case
from chuangcheng.command.domain.boards import board_region
from chuangcheng.command.domain.boards_cases import (
    by_street,
    open_and_overdue,
    per_month,
    streets_under,
)
from chuangcheng.command.domain.boards_scores import score_figures, score_trend
from chuangcheng.command.panels import now_of, score_period
from chuangcheng.core.dashboards import LEADER, register_panel


@register_panel(
    "command.leader_score", boards=(LEADER,), order=10, template="command/panels/score.html"
)
def leader_score(request: Any, board: str) -> dict[str, Any] | None:
    region = board_region(request.user, board)
    if region is None:
        return None
    figures = score_figures(region, score_period(request, region))
    if figures is None:
        return {"score": None}
    can_set = request.user.has_perm("command.set_board_target", region)
    return {"score": figures, "target_url": reverse("command:target") if can_set else ""}


@register_panel(
    "command.leader_cases", boards=(LEADER,), order=20, template="command/panels/cases.html"
)
def leader_cases(request: Any, board: str) -> dict[str, Any] | None:
    region = board_region(request.user, board)
    if region is None:
        return None
    now = now_of(request)
    cases = Case.objects.visible_to(request.user)
    return {
        "totals": open_and_overdue(cases, now),
        "streets": by_street(cases, streets_under(region), now),
    }


def _optional_url(name: str) -> str:
    """A page built in another part of the command centre, linked once it exists."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@register_panel(
    "command.leader_trends",
    boards=(LEADER,),
    order=30,
    template="command/panels/trends.html",
    wide=True,
)
def leader_trends(request: Any, board: str) -> dict[str, Any] | None:
    region = board_region(request.user, board)
    if region is None:
        return None
    today = timezone.localdate(now_of(request))
    return {
        "cases_per_month": per_month(Case.objects.visible_to(request.user), today),
        "score_by_month": score_trend(region, today),
        "score_trends_url": f"{reverse('scoring_analysis:trends')}?region={region.pk}",
        "case_trends_url": _optional_url("command:trends"),
    }
