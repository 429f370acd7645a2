"""The dashboards as JSON under /api/v1/dashboard/: the same panels and figures as the pages.

``leader``, ``office`` and ``unit`` answer each registered panel of the board with its figures
(numbers as numbers, dates as ISO text, each figure's link as on the page); ``screen`` answers
the big screen's aggregated figures of the user's region (``region``: its code) and the
screen's registered panels. A board the user may not see answers 404.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from chuangcheng.command.domain import boards
from chuangcheng.command.domain.boards_screen import screen_figures
from chuangcheng.command.domain.plain import plain
from chuangcheng.command.panels import now_of, score_period
from chuangcheng.command.panels import render as panels
from chuangcheng.core.api_support import Error
from chuangcheng.core.dashboards import LEADER, OFFICE, SCREEN, UNIT

router = Router(tags=["dashboard"])
SCREEN_PANEL = "command.screen"


class BoardParams(Schema):
    period: str = Field(
        "", description="Score period: 2026-10, 2026-Q4 or 2026; default: the latest month measured"
    )
    region: str = Field("", description="screen only: region code; default: the broadest")


class PanelOut(Schema):
    code: str
    data: dict[str, Any]


class BoardOut(Schema):
    board: str
    panels: list[PanelOut]


@router.get(
    "/{board}",
    response={200: BoardOut, 401: Error, 404: Error},
    summary="One dashboard's panels with their figures (leader, office, unit or screen)",
)
def dashboard(request: HttpRequest, board: str, params: Query[BoardParams]) -> BoardOut:
    if board not in (LEADER, OFFICE, UNIT, SCREEN) or not boards.may_see(request.user, board):
        raise Http404
    found: list[PanelOut] = []
    if board == SCREEN:
        region = boards.board_region(request.user, SCREEN, params.region)
        if region is None:
            raise Http404
        figures = screen_figures(region, score_period(request, region), now_of(request))
        found.append(PanelOut(code=SCREEN_PANEL, data=plain(figures)))
    for built in panels.build(request, board):
        found.append(PanelOut(code=built.panel.code, data=plain(built.context)))
    return BoardOut(board=board, panels=found)
