"""点单 with an account (/practice/orders/new/): station staff for a resident (an elder who
called or came by), or a resident or volunteer for themselves or their family; and the
resident's own orders (/practice/my-orders/)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import NOTICE_VERSION, place_order
from chuangcheng.practice.domain.orders_queries import LIST_RELATED, banked_hours
from chuangcheng.practice.enums import OrderChannel
from chuangcheng.practice.forms_orders import AccountOrderForm, StaffOrderForm, station_sites
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import Household, PracticeSite, ServiceOrder
from chuangcheng.practice.views_orders import decorate


def _staff_sites(user: Any) -> list[int]:
    """The sites where the user runs orders (station staff)."""
    sites = station_sites(PracticeSite.objects.visible_to(user))
    return [s.pk for s in sites if user.has_perm("practice.dispatch_order", s)]


def _form(request: HttpRequest, staff_sites: list[int]) -> Any:
    user = request.user
    data = request.POST if request.method == "POST" else None
    if staff_sites:
        return StaffOrderForm(
            data,
            initial={"site": staff_sites[0]} if len(staff_sites) == 1 else {},
            sites=station_sites(PracticeSite.objects.filter(pk__in=staff_sites)),
            households=Household.objects.visible_to(user),
        )
    household = Household.objects.filter(members=user.pk, active=True).first()
    initial: dict[str, Any] = {"requester_name": getattr(user, "display_name", "") or str(user)}
    sites = station_sites(PracticeSite.objects.visible_to(user))
    if household is not None:
        initial.update(
            requester_name=household.head_name,
            requester_phone=household.phone,
            address=household.address,
        )
        from chuangcheng.practice.domain.orders import station_for

        station = station_for(household)
        if station is not None:
            initial["site"] = station.pk
    elif sites.count() == 1:
        initial["site"] = sites.first().pk
    return AccountOrderForm(
        data,
        initial=initial,
        sites=sites,
        volunteer=getattr(user, "volunteer", None) is not None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def order_new(request: HttpRequest) -> HttpResponse:
    """The order form: staff get the station, household and requester fields; a resident or
    volunteer orders for themselves (their household's name and phone filled in)."""
    user = request.user
    staff_sites = _staff_sites(user)
    if not staff_sites and not user.has_perm("practice.order_service"):
        raise PermissionDenied
    form = _form(request, staff_sites)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if staff_sites:
            data = form.order_input(site=d["site"], household=d.get("household"))
            channel = OrderChannel.STAFF
        else:
            paid_by = getattr(user, "volunteer", None) if d.get("pay_with_hours") else None
            data = form.order_input(site=d["site"], paid_by=paid_by)
            channel = OrderChannel.PHONE
        try:
            order = place_order(data, actor=user, channel=channel)
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Order %(code)s placed. The station will dispatch it.") % {"code": order.code},
            )
            return redirect("practice:order_detail", pk=order.pk)
    volunteer = getattr(user, "volunteer", None)
    return render(
        request,
        "practice/orders/new.html",
        {
            "form": form,
            "staff": bool(staff_sites),
            "notice_version": NOTICE_VERSION,
            "banked": banked_hours(volunteer) if volunteer is not None else None,
        },
    )


@login_required
@require_GET
def my_orders(request: HttpRequest) -> HttpResponse:
    """The orders the user placed for themselves or their family, newest first."""
    if not request.user.has_perm("practice.order_service"):
        raise PermissionDenied
    orders = (
        ServiceOrder.objects.visible_to(request.user)
        .filter(requester_user=request.user.pk)
        .select_related(*LIST_RELATED)
        .order_by("-ordered_at", "-pk")[:50]
    )
    return render(request, "practice/orders/my_orders.html", {"orders": decorate(orders)})
