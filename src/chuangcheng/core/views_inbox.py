"""The inbox: a user's own notifications, and the unread count in the top bar.

Only the signed-in user's notifications are ever read or changed here; another user's
notification id answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.core import notify
from chuangcheng.core.models_messages import Notification

PAGE_SIZE = 30


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    rows = Notification.objects.filter(recipient_id=request.user.pk)
    if unread_only:
        rows = rows.filter(read_at=None)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "core/inbox.html",
        {"page": page, "unread_only": unread_only, "unread": notify.unread_count(request.user)},
    )


@require_GET
def inbox_badge(request: HttpRequest) -> HttpResponse:
    """The unread count for the bell, fetched by the top bar after the page loads (so pages
    themselves do not pay for the count); empty when nothing is unread."""
    return render(
        request, "core/includes/inbox_badge.html", {"unread": notify.unread_count(request.user)}
    )


def _safe_next(request: HttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@login_required
@require_POST
def inbox_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the user's notifications read; with ``open`` go on to its link."""
    item = Notification.objects.filter(pk=pk, recipient_id=request.user.pk).first()
    if item is None:
        raise Http404
    notify.mark_read(request.user, [item.pk])
    target = _safe_next(request, item.link) if request.POST.get("open") else None
    return redirect(target or _safe_next(request, request.POST.get("next", "")) or "core:inbox")


@login_required
@require_POST
def inbox_read_all(request: HttpRequest) -> HttpResponse:
    notify.mark_read(request.user)
    return redirect("core:inbox")
