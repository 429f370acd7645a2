"""The role dashboards at / (the leader's, the office's and the unit's view) and the form where
the office sets the score target. Thin: the rules decide the boards, the panels their figures."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.command.domain import boards
from chuangcheng.command.domain.targets import TargetError, set_target, target_rate
from chuangcheng.command.panels import render as panels
from chuangcheng.core.dashboards import LEADER, SCREEN
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.reading import default_framework


def _board_page(request: HttpRequest, board: str | None) -> HttpResponse:
    built = panels.build(request, board) if board else []
    return render(
        request,
        "command/board.html",
        {
            "board": board,
            "tabs": boards.boards_for(request.user),
            "default": boards.default_board(request.user),
            "panels": panels.render(request, built, board or ""),
            "screen": boards.may_see(request.user, SCREEN),
        },
    )


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The board the user works in first; a welcome without figures for users with none."""
    return _board_page(request, boards.default_board(request.user))


@login_required
@require_GET
def board(request: HttpRequest, board: str) -> HttpResponse:
    if board == SCREEN or not boards.may_see(request.user, board):
        raise Http404
    return _board_page(request, board)


def _target_regions(request: HttpRequest) -> list[Any]:
    return [
        r
        for r in boards.overseen_regions(request.user, LEADER)
        if request.user.has_perm("command.set_board_target", r)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def target(request: HttpRequest) -> HttpResponse:
    """The office sets the target 得分率 of the framework in force for a region it covers."""
    if not request.user.has_perm("command.set_board_target"):
        raise PermissionDenied
    regions = _target_regions(request)
    if not regions:
        raise Http404
    try:
        framework = default_framework()
    except ScoringError as exc:
        messages.error(request, str(exc))
        return redirect("command:board", board=LEADER)
    asked = request.POST.get("region") or request.GET.get("region") or ""
    region = next((r for r in regions if str(r.pk) == asked), regions[0])
    error = ""
    value: Any = request.POST.get("rate", "")
    if request.method == "POST":
        if str(region.pk) != asked:
            raise Http404
        try:
            set_target(actor=request.user, framework=framework, region=region, rate=value)
        except TargetError as exc:
            error = str(exc)
        else:
            messages.success(request, _("The target was saved."))
            return redirect(reverse("command:board", args=[LEADER]))
    current = target_rate(framework, region)
    return render(
        request,
        "command/target.html",
        {
            "framework": framework,
            "regions": regions,
            "region": region,
            "current": current,
            "value": value if request.method == "POST" else (current or ""),
            "error": error,
        },
        status=422 if error else 200,
    )
