"""The map, its JSON data, QR codes and printable cards."""

from __future__ import annotations

import io
from urllib.parse import urlencode

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from chuangcheng.points import queries
from chuangcheng.points.map_config import map_config
from chuangcheng.points.models import Point
from chuangcheng.points.views import visible_point

PRINT_SHEET_LIMIT = 400


@login_required
@require_GET
def point_map(request: HttpRequest) -> HttpResponse:
    f = queries.Filters.from_query(request.GET)
    config = map_config(request)
    config["dataUrl"] = reverse("points:map_data")
    return render(
        request,
        "points/map.html",
        {"config": config, "f": f, **queries.filter_options(request.user)},
    )


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    f = queries.Filters.from_query(request.GET)
    payload = queries.map_payload(request.user, f)
    return JsonResponse(
        payload, json_dumps_params={"ensure_ascii": False, "separators": (",", ":")}
    )


def point_url(request: HttpRequest, point: Point) -> str:
    """What a point's QR code opens: the 随手拍 report form for this point."""
    query = urlencode({"point": point.code})
    return request.build_absolute_uri(f"{reverse('report:new')}?{query}")


def qr_svg(url: str, *, scale: int = 4, inline: bool = False) -> str:
    """An SVG QR code of ``url``; the URL is also the SVG's title, for people and tests.
    Inline codes carry only a viewBox so CSS sizes them for print."""
    buf = io.BytesIO()
    segno.make(url, error="m").save(
        buf,
        kind="svg",
        scale=scale,
        border=2,
        xmldecl=False,
        svgns=not inline,
        omitsize=inline,
        title=url,
        svgclass="qr",
    )
    return buf.getvalue().decode("utf-8")


@login_required
@require_GET
def point_qr(request: HttpRequest, code: str) -> HttpResponse:
    point = visible_point(request, code)
    return HttpResponse(qr_svg(point_url(request, point)), content_type="image/svg+xml")


@login_required
@require_GET
def point_print(request: HttpRequest, code: str) -> HttpResponse:
    point = visible_point(request, code)
    cards = [{"point": point, "qr": qr_svg(point_url(request, point), scale=8, inline=True)}]
    return render(request, "points/print.html", {"cards": cards, "single": True})


@login_required
@require_GET
def print_sheet(request: HttpRequest) -> HttpResponse:
    f = queries.Filters.from_query(request.GET)
    points = list(queries.points_for(request.user, f).filter(active=True)[:PRINT_SHEET_LIMIT])
    cards = [
        {"point": p, "qr": qr_svg(point_url(request, p), scale=8, inline=True)} for p in points
    ]
    return render(
        request,
        "points/print.html",
        {"cards": cards, "single": False, "limit": PRINT_SHEET_LIMIT, "f": f},
    )
