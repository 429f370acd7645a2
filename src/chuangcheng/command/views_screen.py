"""The big screen (大屏): a full-screen 16:9 view of a region's aggregated figures that
refreshes itself, for a signed-in leader or office, or through a read-only link the office
issues for the control room (ADR 0010, "Dashboards and big screen").

The screen's refresh sends ``X-Idle-Passive: 1``, so it never moves a session's idle clock
(accounts.middleware); a link needs no session at all.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.command.domain import boards, screen_links
from chuangcheng.command.domain.boards_screen import outlines, screen_figures
from chuangcheng.command.domain.plain import plain
from chuangcheng.command.panels import render as panels
from chuangcheng.command.panels import score_period
from chuangcheng.core.dashboards import SCREEN
from chuangcheng.orgs.models import Region


def _region(request: HttpRequest) -> Region:
    region = boards.board_region(request.user, SCREEN, str(request.GET.get("region", "")))
    if region is None:
        raise Http404
    return region


def _ticker(request: HttpRequest) -> str:
    """The panels registered for the screen (warnings), as HTML for the ticker."""
    built = panels.build(request, SCREEN)
    return "".join(str(p["html"]) for p in panels.render(request, built, SCREEN))


def figures_for(request: HttpRequest, region: Region, *, with_panels: bool) -> dict[str, Any]:
    data = plain(screen_figures(region, score_period(request, region), timezone.now()))
    data["ticker"] = _ticker(request) if with_panels else ""
    return data  # type: ignore[no-any-return]


def _json(data: dict[str, Any]) -> JsonResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response


def _page(
    request: HttpRequest, region: Region, data: dict[str, Any], data_url: str, **extra: Any
) -> HttpResponse:
    return render(
        request,
        "command/screen.html",
        {
            "region": region,
            "figures": data,
            "outlines": outlines(region),
            "data_url": data_url,
            "refresh": settings.SCREEN_REFRESH_SECONDS,
            "labels": _labels(),
            **extra,
        },
    )


def _labels() -> dict[str, str]:
    return {
        "rate": _("Score rate"),
        "target": pgettext("score", "Target"),
        "cases": _("Cases"),
        "overdue": pgettext("board", "Overdue"),
        "open": pgettext("board", "Open"),
        "stale": _("The figures could not be refreshed; showing those of %(at)s."),
        "ended": _("The session has ended; sign in again or use a screen link."),
        "notMeasured": _("not measured"),
    }


@login_required
@require_GET
def screen(request: HttpRequest) -> HttpResponse:
    region = _region(request)
    query = request.GET.urlencode()
    data_url = reverse("command:screen_data") + (f"?{query}" if query else "")
    return _page(
        request,
        region,
        figures_for(request, region, with_panels=True),
        data_url,
        regions=boards.overseen_regions(request.user, SCREEN),
        can_link=request.user.has_perm("command.issue_screen_link", region),
    )


@login_required
@require_GET
def screen_data(request: HttpRequest) -> JsonResponse:
    return _json(figures_for(request, _region(request), with_panels=True))


def _link(token: str) -> screen_links.ScreenLink:
    link = screen_links.read(token)
    if link is None:
        raise Http404
    return link


@require_GET
def link_screen(request: HttpRequest, token: str) -> HttpResponse:
    """The screen opened with a read-only link: no session, aggregated figures only."""
    link = _link(token)
    screen_links.record_opening(link)
    data_url = reverse("command:link_screen_data", args=[token])
    return _page(
        request,
        link.region,
        figures_for(request, link.region, with_panels=False),
        data_url,
        expires=link.expires,
    )


@require_GET
def link_screen_data(request: HttpRequest, token: str) -> JsonResponse:
    link = _link(token)
    return _json(figures_for(request, link.region, with_panels=False))


@login_required
@require_http_methods(["GET", "POST"])
def links(request: HttpRequest) -> HttpResponse:
    """The office issues a read-only screen link for a region it covers."""
    regions = [
        r
        for r in boards.overseen_regions(request.user, SCREEN)
        if request.user.has_perm("command.issue_screen_link", r)
    ]
    if not regions:
        raise Http404
    issued = None
    error = ""
    hours: Any = request.POST.get("hours", "24")
    if request.method == "POST":
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), None)
        if region is None:
            raise Http404
        try:
            issued = screen_links.issue(actor=request.user, region=region, hours=hours)
        except screen_links.LinkError as exc:
            error = str(exc)
    return render(
        request,
        "command/screen_links.html",
        {
            "regions": regions,
            "issued": issued,
            "issued_url": (
                request.build_absolute_uri(reverse("command:link_screen", args=[issued.token]))
                if issued
                else ""
            ),
            "hours": hours,
            "max_days": settings.SCREEN_LINK_MAX_DAYS,
            "error": error,
        },
        status=422 if error else 200,
    )
