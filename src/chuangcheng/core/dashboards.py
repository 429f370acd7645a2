"""Panels of the role dashboards, registered by the app that owns their data.

The command app renders the dashboards (``/``: the leader's, the office's and the unit's view,
and the big screen); apps below it cannot import it, so each app with something to show
registers a panel here from its ``ready()`` (ADR 0010). A panel's ``build(request, board)``
returns the context of its template, or None when it has nothing for this user (no grant, no
data); it answers in a constant number of queries whatever the data's size, and every figure
it shows links to the rows behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# The views a panel can appear on.
LEADER, OFFICE, UNIT, SCREEN = "leader", "office", "unit", "screen"
BOARDS = (LEADER, OFFICE, UNIT, SCREEN)

Build = Callable[[Any, str], dict[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    code: str
    boards: frozenset[str]
    order: int  # smaller first
    template: str  # rendered with the build's context plus ``panel`` and ``board``
    build: Build
    wide: bool = False  # spans the full width of the grid


PANELS: dict[str, Panel] = {}


def register_panel(
    code: str, *, boards: tuple[str, ...], order: int, template: str, wide: bool = False
) -> Callable[[Build], Build]:
    unknown = set(boards) - set(BOARDS)
    if unknown:
        raise ValueError(f"unknown boards {sorted(unknown)} for panel {code}")

    def deco(fn: Build) -> Build:
        PANELS[code] = Panel(code, frozenset(boards), order, template, fn, wide)
        return fn

    return deco


def panels_for(board: str) -> list[Panel]:
    return sorted(
        (p for p in PANELS.values() if board in p.boards), key=lambda p: (p.order, p.code)
    )
