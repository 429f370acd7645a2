"""Outbound messages: the text messages and e-mails sent about the office's region.

Addresses are shown masked; the office sees the messages about its own region subtrees.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangcheng.accounts.scope import scope_of
from chuangcheng.core.models_messages import Channel, Delivery, OutboundMessage

PAGE_SIZE = 50


def outbound_visible_to(user: Any) -> Any:
    """The outbound messages about regions where ``user`` works in the civilization office."""
    scope = scope_of(user)
    prefixes = scope.role_prefixes.get("office", ())
    return OutboundMessage.objects.within(prefixes, everything=scope.everything)


@login_required
@require_GET
def outbox(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("command.view_outbound_messages"):
        raise Http404
    rows = outbound_visible_to(request.user).select_related("unit")
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    if status in Delivery.values:
        rows = rows.filter(status=status)
    if channel in Channel.values:
        rows = rows.filter(channel=channel)
    page = Paginator(rows.order_by("-created_at", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "command/outbox.html",
        {
            "page": page,
            "statuses": Delivery.choices,
            "channels": Channel.choices,
            "q_status": status,
            "q_channel": channel,
            "outbox_only": settings.SMS_BACKEND == "outbox",
        },
    )
