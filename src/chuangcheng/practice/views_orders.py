"""The station's order pages: the board (/practice/orders/) and one order with its timeline and
the actions the user may take on it (派单, open, reassign, cancel; 接单, 圆单 and 评单 for the
volunteer and the requester are in views_orders_tasks).

Orders are found in ``ServiceOrder.objects.visible_to`` (outside it: 404); every action asks a
``rules`` permission or the domain's own check (refused: 403)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.domain import orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders_complete import may_complete
from chuangcheng.practice.domain.orders_queries import (
    BoardFilters,
    board,
    suggest_volunteers,
    teams_for,
)
from chuangcheng.practice.enums import ORDER_TRANSITIONS, OrderFlag, OrderStatus
from chuangcheng.practice.forms_orders import CancelForm, DispatchForm, RateForm
from chuangcheng.practice.interfaces import photos
from chuangcheng.practice.models import (
    OrderPhoto,
    PracticeSite,
    ServiceCategory,
    ServiceOrder,
    Volunteer,
)

PER_PAGE = 25
# Statuses in which the station may still give the order to someone (else than who has it).
ASSIGNABLE = (OrderStatus.ORDERED, OrderStatus.DISPATCHED, OrderStatus.OPEN, OrderStatus.ACCEPTED)
BADGES: dict[str, str] = {
    OrderStatus.ORDERED: "badge-gold",
    OrderStatus.DISPATCHED: "badge-blue",
    OrderStatus.OPEN: "badge-blue",
    OrderStatus.ACCEPTED: "badge-blue",
    OrderStatus.COMPLETED: "badge-green",
    OrderStatus.RATED: "badge-green",
    OrderStatus.CANCELLED: "",
}


class TelRedirect(HttpResponseRedirect):
    allowed_schemes = ["tel"]


def visible_order(request: HttpRequest, pk: int) -> ServiceOrder:
    """The order ``pk`` if the user sees it, else 404."""
    found = (
        ServiceOrder.objects.visible_to(request.user)
        .select_related(
            "site__region",
            "region",
            "category",
            "assignee",
            "team",
            "accepted_by",
            "paid_by",
            "household",
            "requester_user",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def decorate(orders: Any) -> list[ServiceOrder]:
    for order in orders:
        order.badge = BADGES.get(order.status, "")
    return list(orders)


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


def board_filters(get: Any) -> BoardFilters:
    flag = get.get("flag", "")
    status = get.get("status", "")
    return BoardFilters(
        status=status if status in OrderStatus.values else "",
        flag=flag if flag in (*OrderFlag.values, "any") else "",
        category=_int(get.get("category")),
        site=_int(get.get("site")),
        q=get.get("q", "")[:40],
    )


@login_required
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    """The station board: every visible order, late ones first, with filters and pages."""
    user = request.user
    if not (user.has_perm("practice.view_network") or user.has_perm("practice.dispatch_order")):
        raise PermissionDenied
    f = board_filters(request.GET)
    page = Paginator(board(user, f), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/orders/list.html",
        {
            "page": page,
            "orders": decorate(page.object_list),
            "f": f,
            "statuses": OrderStatus.choices,
            "flags": OrderFlag.choices,
            "categories": ServiceCategory.objects.order_by("seq", "code"),
            "sites": PracticeSite.objects.visible_to(user)
            .filter(active=True)
            .select_related("region"),
            "may_order": user.has_perm("practice.dispatch_order"),
            "now": timezone.now(),
        },
    )


def is_insider(order: ServiceOrder, user: Any) -> bool:
    """Station readers and the volunteer who took the order see its photos as taken."""
    return user.has_perm("practice.view_network", order) or (
        order.accepted_by is not None and order.accepted_by.user_id == user.pk
    )


def detail_context(request: HttpRequest, order: ServiceOrder) -> dict[str, Any]:
    user = request.user
    staff = user.has_perm("practice.dispatch_order", order)
    volunteer = getattr(user, "volunteer", None)
    requester = orders_flow.is_requester(order, user)
    assignable = staff and order.status in ASSIGNABLE
    order.badge = BADGES.get(order.status, "")  # type: ignore[attr-defined]
    return {
        "order": order,
        "events": list(order.events.select_related("actor")),
        "photos": list(order.photos.select_related("photo")),
        "insider": is_insider(order, user),
        "can_moderate": user.has_perm("practice.manage_network", order),
        "staff": staff,
        "assignable": assignable,
        "suggestions": suggest_volunteers(order, user) if assignable else [],
        "teams": list(teams_for(order, user)) if assignable else [],
        "reassigning": order.status != OrderStatus.ORDERED,
        "may_accept": volunteer is not None
        and user.has_perm("practice.take_orders")
        and order.paid_by_id != volunteer.pk
        and orders_flow.may_accept(order, volunteer, user),
        "may_complete": order.status == OrderStatus.ACCEPTED and may_complete(order, user),
        "may_rate": requester and order.status == OrderStatus.COMPLETED,
        "may_cancel": (staff or requester)
        and OrderStatus.CANCELLED in ORDER_TRANSITIONS[order.status],
        "may_call": bool(order.requester_phone)
        and (staff or (order.accepted_by is not None and order.accepted_by.user_id == user.pk)),
        "cancel_form": CancelForm(),
        "rate_form": RateForm(),
    }


@login_required
@require_GET
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One order: its details, timeline, evidence and the actions open to the user."""
    order = visible_order(request, pk)
    return render(request, "practice/orders/detail.html", detail_context(request, order))


def refused(request: HttpRequest, exc: PracticeError) -> None:
    for msgs in exc.errors.values():
        for msg in msgs:
            messages.error(request, msg)


def _dispatch_target(
    request: HttpRequest, order: ServiceOrder, form: DispatchForm
) -> tuple[Volunteer | None, Any]:
    """The volunteer or team chosen, from what the user may dispatch to (else 404)."""
    volunteer = team = None
    if form.cleaned_data.get("volunteer"):
        volunteer = (
            Volunteer.objects.visible_to(request.user)
            .filter(pk=form.cleaned_data["volunteer"])
            .first()
        )
        if volunteer is None:
            raise Http404
    if form.cleaned_data.get("team"):
        team = teams_for(order, request.user).filter(pk=form.cleaned_data["team"]).first()
        if team is None:
            raise Http404
    return volunteer, team


@login_required
@require_POST
def order_dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    """派单 to a volunteer or a team, or open to volunteers; on an order already given to
    someone, the same with a reason (reassign)."""
    order = visible_order(request, pk)
    if not request.user.has_perm("practice.dispatch_order", order):
        raise PermissionDenied
    form = DispatchForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a volunteer or a team."))
        return redirect("practice:order_detail", pk=order.pk)
    volunteer, team = _dispatch_target(request, order, form)
    to_open = bool(form.cleaned_data.get("open"))
    reason = form.cleaned_data.get("reason", "")
    try:
        if order.status == OrderStatus.ORDERED and to_open:
            orders_flow.open_to_volunteers(order, actor=request.user)
        elif order.status == OrderStatus.ORDERED:
            orders_flow.dispatch(order, actor=request.user, volunteer=volunteer, team=team)
        else:
            orders_flow.reassign(
                order,
                actor=request.user,
                reason=reason,
                volunteer=volunteer,
                team=team,
                to_open=to_open,
            )
    except PracticeError as exc:
        refused(request, exc)
    else:
        messages.success(
            request,
            _("Opened to volunteers.") if to_open else _("Dispatched."),
        )
    return redirect("practice:order_detail", pk=order.pk)


@login_required
@require_POST
def order_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the order is cancelled."))
        return redirect("practice:order_detail", pk=order.pk)
    try:
        orders_flow.cancel(order, actor=request.user, reason=form.cleaned_data["reason"])
    except PracticeError as exc:
        refused(request, exc)
    else:
        messages.success(request, _("The order is cancelled."))
    return redirect("practice:order_detail", pk=order.pk)


@login_required
@require_GET
def order_call(request: HttpRequest, pk: int) -> HttpResponse:
    """Call the requester: the number is read here, audited, and handed to the phone's dialer
    (it never appears in a page)."""
    order = visible_order(request, pk)
    context = detail_context(request, order)
    if not context["may_call"]:
        raise PermissionDenied
    audit.record(request.user, AuditAction.VIEW_PERSONAL, order, note="requester phone (call)")
    return TelRedirect("tel:" + "".join(ch for ch in order.requester_phone if ch.isdigit()))


@login_required
@require_GET
def order_photo(request: HttpRequest, pk: int, photo_pk: int, size: str) -> HttpResponse:
    """An evidence photo of a visible order: staff and the volunteer who took it get the
    original or the thumbnail; anyone else who sees the order the face-blurred copy."""
    order = visible_order(request, pk)
    link = OrderPhoto.objects.filter(order=order, photo_id=photo_pk).select_related("photo").first()
    if link is None or size not in ("thumb", "full", "public"):
        raise Http404
    user = request.user
    if size == "public":  # the copy station staff decide on, or anyone once it is approved
        preview = user.has_perm("practice.manage_network", order)
        public = photos.public_response(link.photo, preview=preview)
        if public is None:
            raise Http404
        return public  # type: ignore[return-value]
    if is_insider(order, user):
        if size == "thumb":
            return photos.thumb_response(link.photo)  # type: ignore[return-value]
        return photos.original_response(link.photo, viewer=user)  # type: ignore[return-value]
    public = photos.public_response(link.photo)
    if public is None:
        raise Http404
    return public  # type: ignore[return-value]
