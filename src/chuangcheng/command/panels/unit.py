"""Panels of the unit's view: my cases and deadlines, my score and rank."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from chuangcheng.command.domain.boards_unit import deadlines, my_units, unit_cases, unit_standing
from chuangcheng.command.panels import asked_period, now_of, score_period
from chuangcheng.core.dashboards import UNIT, register_panel
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.reading import campaign_region


@register_panel(
    "command.unit_cases", boards=(UNIT,), order=10, template="command/panels/unit_cases.html"
)
def unit_cases_panel(request: Any, board: str) -> dict[str, Any] | None:
    units = my_units(request.user)
    if not units:
        return None
    now = now_of(request)
    return {
        "units": unit_cases(request.user, units, now),
        "deadlines": deadlines(request.user, now),
        "todo_url": reverse("cases:list"),
    }


@register_panel(
    "command.unit_standing",
    boards=(UNIT,),
    order=20,
    template="command/panels/unit_standing.html",
)
def unit_standing_panel(request: Any, board: str) -> dict[str, Any] | None:
    units = my_units(request.user)
    if not units:
        return None
    try:
        period = score_period(request, campaign_region())
    except ScoringError:  # no region tree yet
        period = asked_period(request)
    return {
        "period": period.key,
        "period_label": str(period.label),
        "standing": unit_standing(request.user, units, period),
    }
