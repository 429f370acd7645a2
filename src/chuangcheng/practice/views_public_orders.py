"""Public order pages, no account needed (the token in the link is the key):

- ``/p/o/<token>/``: 点单 at a station's or a household's QR code. A phone form: the service as
  big buttons, a short description, when, the name and phone (the household's own at its door),
  the privacy notice. Limited per network address and hour (a friendly 429 page beyond).
- ``/p/order/<token>/``: the order's own link, given after ordering: its status and timeline;
  评单 (1–5 stars and a comment) once completed; cancelling until a volunteer takes it.

Unknown or inactive tokens answer 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.practice.domain import orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import (
    IP_PURPOSE,
    NOT_TAKEN,
    NOTICE_VERSION,
    OrderRateLimitedError,
    place_order,
    station_for,
)
from chuangcheng.practice.enums import OrderChannel, OrderStatus
from chuangcheng.practice.forms_orders import CancelForm, PublicOrderForm, RateForm
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import Household, PracticeSite, ServiceOrder

PAGE = "practice/orders/public_page.html"


def _holder(token: str) -> tuple[PracticeSite | None, Household | None]:
    site = PracticeSite.objects.filter(public_token=token, active=True).first()
    if site is not None:
        return site, None
    household = (
        Household.objects.filter(public_token=token, active=True).select_related("region").first()
    )
    if household is None:
        raise Http404
    return station_for(household), household


@require_http_methods(["GET", "POST"])
def order_at(request: HttpRequest, token: str) -> HttpResponse:
    """点单 by QR code: a station's (anyone) or a household's (ordering for that household)."""
    site, household = _holder(token)
    form = PublicOrderForm(request.POST or None, household=household)
    context: dict[str, Any] = {
        "inner": "practice/orders/public_order.html",
        "form": form,
        "site": site,
        "household": household,
        "notice_version": NOTICE_VERSION,
    }
    if site is None:
        context["inner"] = "practice/orders/public_closed.html"
        return render(request, PAGE, context)
    if request.method == "POST" and form.is_valid():
        ip = str(request.META.get("REMOTE_ADDR") or "")
        data = form.order_input(site=site, household=household)
        channel = OrderChannel.HOUSEHOLD_QR if household is not None else OrderChannel.SITE_QR
        try:
            order = place_order(
                data,
                actor=request.user,
                channel=channel,
                ip_hash=keyed_hash(ip, IP_PURPOSE) if ip else "",
            )
        except OrderRateLimitedError:
            context["inner"] = "practice/orders/public_busy.html"
            return render(request, PAGE, context, status=429)
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Order %(code)s received. Keep this page's link to follow and rate it.")
                % {"code": order.code},
            )
            return redirect("practice_public:order_follow", token=order.public_token)
    return render(request, PAGE, context)


def _follow_context(order: ServiceOrder, **extra: Any) -> dict[str, Any]:
    volunteer = order.accepted_by
    return {
        "inner": "practice/orders/public_follow.html",
        "order": order,
        "events": list(order.events.all()),
        "volunteer_name": (volunteer.name[:1] + "**") if volunteer is not None else "",
        "may_rate": order.status == OrderStatus.COMPLETED,
        "may_cancel": order.status in NOT_TAKEN,
        "rate_form": extra.pop("rate_form", None) or RateForm(),
        "cancel_form": extra.pop("cancel_form", None) or CancelForm(),
        **extra,
    }


@require_http_methods(["GET", "POST"])
def order_follow(request: HttpRequest, token: str) -> HttpResponse:
    """The order's status and timeline; rate it once done, cancel it until it is taken."""
    order = (
        ServiceOrder.objects.filter(public_token=token)
        .select_related("site", "region", "category", "accepted_by")
        .first()
    )
    if order is None:
        raise Http404
    if request.method == "GET":
        return render(request, PAGE, _follow_context(order))
    action = request.POST.get("action")
    try:
        if action == "rate":
            rate_form = RateForm(request.POST)
            if not rate_form.is_valid():
                return render(request, PAGE, _follow_context(order, rate_form=rate_form))
            orders_flow.rate(
                order,
                actor=request.user,
                rating=rate_form.cleaned_data["rating"],
                comment=rate_form.cleaned_data.get("comment", ""),
                by_link=True,
            )
            messages.success(request, _("Thank you for your rating."))
        elif action == "cancel":
            cancel_form = CancelForm(request.POST)
            if not cancel_form.is_valid():
                return render(request, PAGE, _follow_context(order, cancel_form=cancel_form))
            orders_flow.cancel(
                order, actor=request.user, reason=cancel_form.cleaned_data["reason"], by_link=True
            )
            messages.success(request, _("The order is cancelled."))
    except PracticeError as exc:
        for msgs in exc.errors.values():
            for msg in msgs:
                messages.error(request, msg)
    return redirect("practice_public:order_follow", token=order.public_token)
