"""QR codes for ordering (/practice/orders/qr/): every station's code (residents scan it at the
station or on a notice board) and every household's code (on the door: scanning it orders for
that household, name and phone already known), as PNG, SVG and a printable A4 poster. They all
point at the public order page /p/o/<token>/."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from chuangcheng.practice.models import Household, PracticeSite

PER_PAGE = 50
KINDS = ("site", "household")


def order_url(request: HttpRequest, token: str) -> str:
    path = reverse("practice_public:order_at", args=[token])
    base = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _need(request: HttpRequest) -> None:
    if not request.user.has_perm("practice.manage_network"):
        raise PermissionDenied


def _holder(request: HttpRequest, kind: str, pk: int) -> PracticeSite | Household:
    """The site or household ``pk`` if the user runs it (visible and manage_network), else 404."""
    qs: Any
    if kind == "site":
        qs = PracticeSite.objects.visible_to(request.user).select_related("region")
    elif kind == "household":
        qs = Household.objects.visible_to(request.user).select_related("region")
    else:
        raise Http404
    found = qs.filter(pk=pk, active=True).first()
    if found is None or not request.user.has_perm("practice.manage_network", found):
        raise Http404
    return found  # type: ignore[no-any-return]


@login_required
@require_GET
def qr_codes(request: HttpRequest) -> HttpResponse:
    """The sites' and households' order codes the user may print."""
    _need(request)
    user = request.user
    sites = [
        s
        for s in PracticeSite.objects.visible_to(user)
        .filter(active=True)
        .select_related("region")
        .order_by("region__path", "kind")
        if user.has_perm("practice.manage_network", s)
    ]
    households = Household.objects.visible_to(user).filter(active=True).select_related("region")
    q = request.GET.get("q", "").strip()[:40]
    if q:
        households = households.filter(code__icontains=q) | households.filter(address__icontains=q)
    page = Paginator(households.order_by("region__path", "code"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "practice/orders/qr_codes.html",
        {"sites": sites, "page": page, "households": page.object_list, "q": q},
    )


@login_required
@require_GET
def order_qr(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    """The order link of a site or household as a QR code, PNG (chat groups) or SVG (print)."""
    import segno

    _need(request)
    holder = _holder(request, kind, pk)
    if fmt not in ("png", "svg"):
        raise Http404
    code = segno.make(order_url(request, holder.public_token), error="m")
    buffer = io.BytesIO()
    if fmt == "png":
        code.save(buffer, kind="png", scale=12, border=4)
        content_type = "image/png"
    else:
        code.save(buffer, kind="svg", scale=10, border=4, title=str(holder))
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    if request.GET.get("download"):
        name = holder.code if isinstance(holder, Household) else f"site-{holder.pk}"
        response["Content-Disposition"] = f'attachment; filename="order-{name}.{fmt}"'
    return response


@login_required
@require_GET
def order_poster(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """An A4 poster: who serves, how to order, and the code."""
    _need(request)
    holder = _holder(request, kind, pk)
    return render(
        request,
        "practice/orders/poster.html",
        {
            "holder": holder,
            "kind": kind,
            "household": holder if isinstance(holder, Household) else None,
            "public_url": order_url(request, holder.public_token),
        },
    )
