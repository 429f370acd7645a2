"""Panels of the office's view: work queues, today's rounds, the basic data of the region."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from chuangcheng.command.domain.boards_office import basic_data, todays_rounds, work_queues
from chuangcheng.command.panels import now_of
from chuangcheng.core.dashboards import OFFICE, register_panel


@register_panel(
    "command.office_queues",
    boards=(OFFICE,),
    order=10,
    template="command/panels/queues.html",
    wide=True,
)
def office_queues(request: Any, board: str) -> dict[str, Any] | None:
    return {"queues": work_queues(request.user, now_of(request))}


@register_panel(
    "command.office_rounds", boards=(OFFICE,), order=20, template="command/panels/rounds.html"
)
def office_rounds(request: Any, board: str) -> dict[str, Any] | None:
    if not request.user.has_perm("inspections.view_rounds"):
        return None
    return todays_rounds(request.user, timezone.localdate(now_of(request)))


@register_panel(
    "command.basic_data",
    boards=(OFFICE,),
    order=90,
    template="command/panels/basic_data.html",
    wide=True,
)
def office_basic_data(request: Any, board: str) -> dict[str, Any] | None:
    return basic_data(request.user)
