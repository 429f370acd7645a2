"""The volunteer's phone pages (/practice/tasks/): orders dispatched to them or their teams,
open orders near them, what they have accepted, and their banked hours; 接单 and 圆单 (each in
at most four taps from the task list), and 评单 by a requester with an account."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangcheng.practice.domain import orders_complete, orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders_queries import banked_hours, tasks
from chuangcheng.practice.enums import OrderStatus
from chuangcheng.practice.forms_orders import HOUR_PRESETS, CompleteForm, RateForm
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.views_orders import decorate, refused, visible_order


def _volunteer(request: HttpRequest) -> object:
    volunteer = getattr(request.user, "volunteer", None)
    if volunteer is None or not request.user.has_perm("practice.take_orders"):
        raise PermissionDenied
    return volunteer


@login_required
@require_GET
def my_tasks(request: HttpRequest) -> HttpResponse:
    """The volunteer's orders in four lists, and their time bank balance."""
    volunteer = _volunteer(request)
    found = tasks(request.user, volunteer)  # type: ignore[arg-type]
    return render(
        request,
        "practice/orders/my_tasks.html",
        {
            "volunteer": volunteer,
            "banked": banked_hours(volunteer),  # type: ignore[arg-type]
            "for_me": decorate(found.for_me),
            "open_near": decorate(found.open_near),
            "doing": decorate(found.doing),
            "done": decorate(found.done),
        },
    )


@login_required
@require_POST
def order_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """接单: on success straight to the order, whose next button is 圆单."""
    order = visible_order(request, pk)
    try:
        orders_flow.accept(order, actor=request.user)
    except PracticeError as exc:
        refused(request, exc)
        return redirect("practice:my_tasks")
    messages.success(request, _("Accepted. Tap 圆单 when the service is done."))
    return redirect("practice:order_detail", pk=order.pk)


@login_required
@require_http_methods(["GET", "POST"])
def order_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """圆单: hours by one tap on a preset (or typed), an optional note and photos."""
    order = visible_order(request, pk)
    if order.status != OrderStatus.ACCEPTED or not orders_complete.may_complete(
        order, request.user
    ):
        raise PermissionDenied
    form = CompleteForm(request.POST or None, initial={"hours": "1"})
    if request.method == "POST" and form.is_valid():
        files = [f for f in request.FILES.getlist("photos") if f.size]
        try:
            orders_complete.complete(
                order,
                actor=request.user,
                hours=form.cleaned_data["hours"],
                note=form.cleaned_data.get("note", ""),
                files=files,
            )
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(
                request,
                _("Completed: %(hours)s hours credited to the time bank.") % {"hours": order.hours},
            )
            return redirect("practice:my_tasks" if order.accepted_by else "practice:order_list")
    return render(
        request,
        "practice/orders/complete.html",
        {"order": order, "form": form, "presets": HOUR_PRESETS},
    )


@login_required
@require_POST
def order_rate(request: HttpRequest, pk: int) -> HttpResponse:
    """评单 by the requester's account."""
    order = visible_order(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tap 1 to 5 stars."))
        return redirect("practice:order_detail", pk=order.pk)
    try:
        orders_flow.rate(
            order,
            actor=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment", ""),
        )
    except PracticeError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("Thank you for your rating."))
    return redirect("practice:order_detail", pk=order.pk)
