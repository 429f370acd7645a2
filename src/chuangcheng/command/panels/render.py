"""Building and rendering a board's registered panels, for the pages and the API."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from chuangcheng.core.dashboards import Panel, panels_for


@dataclass
class Built:
    panel: Panel
    context: dict[str, Any]


def build(request: HttpRequest, board: str) -> list[Built]:
    """Each panel of the board with its context, in order; panels with nothing for this user
    (None) are left out."""
    found = []
    for panel in panels_for(board):
        context = panel.build(request, board)
        if context is not None:
            found.append(Built(panel, context))
    return found


def render(request: HttpRequest, built: list[Built], board: str) -> list[dict[str, Any]]:
    """Each built panel as HTML, with whether it spans the grid's width."""
    return [
        {
            "code": b.panel.code,
            "wide": b.panel.wide,
            "html": SafeString(
                render_to_string(
                    b.panel.template, {**b.context, "panel": b.panel, "board": board}, request
                )
            ),
        }
        for b in built
    ]
