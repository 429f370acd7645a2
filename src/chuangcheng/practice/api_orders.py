"""Service orders under /api/v1/practice/orders: the list with the board's filters, one order
with its timeline, ordering, and one POST per step (dispatch, accept, complete, rate, cancel).

Every read goes through ``ServiceOrder.objects.visible_to`` (outside it: 404). A step the user
may not take on an order they see answers 403; a move the workflow refuses answers 409; bad
input answers 422 naming the field — all in the shared error shape."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.responses import Status

from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.practice.domain import orders_complete, orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import OrderInput, place_order
from chuangcheng.practice.domain.orders_queries import BoardFilters, board, teams_for
from chuangcheng.practice.enums import OrderChannel, OrderStatus
from chuangcheng.practice.models import (
    Household,
    PracticeSite,
    ServiceCategory,
    ServiceOrder,
    Volunteer,
)

router = Router(tags=["practice"])
MAX_LIMIT = 200


class OrderListParams(Schema):
    status: str = Field("", description=" | ".join(OrderStatus.values))
    flag: str = Field("", description='untaken | unfinished | "any"')
    category: int | None = None
    site: int | None = None
    q: str = ""
    limit: PageLimit = 50
    offset: PageOffset = 0


class NamedOut(Schema):
    id: int
    name: str


class OrderOut(Schema):
    id: int
    code: str
    status: str
    flag: str
    site: NamedOut
    region: str = Field(..., description="Code of the community or street served")
    category: str = Field(..., description="Code of the service category")
    description: str
    address: str
    wanted_on: dt.date | None
    wanted_time: str = Field(..., description='am | pm | eve | "" (any time)')
    channel: str
    requester_name: str
    requester_phone: str = Field(..., description="Masked")
    assignee: NamedOut | None
    team: NamedOut | None
    accepted_by: NamedOut | None
    paid_by: NamedOut | None
    hours: Decimal | None
    rating: int | None
    rating_comment: str
    cancel_reason: str
    ordered_at: dt.datetime
    dispatched_at: dt.datetime | None
    accepted_at: dt.datetime | None
    completed_at: dt.datetime | None


class OrderEventOut(Schema):
    from_status: str
    to_status: str
    actor: str | None
    note: str
    at: dt.datetime


class OrderDetailOut(OrderOut):
    events: list[OrderEventOut]


STEP: dict[int, Any] = {200: OrderDetailOut, 403: Error, 404: Error, 409: Error, 422: Error}


class OrderPage(Schema):
    count: int
    items: list[OrderOut]


class OrderIn(Schema):
    category: str = Field(..., description="Code of the service category")
    site: int | None = Field(None, description="Station id (or give household)")
    household: str = Field("", description="Household number (staff only)")
    description: str = ""
    address: str = ""
    wanted_on: dt.date | None = None
    wanted_time: str = ""
    requester_name: str = ""
    requester_phone: str = ""
    pay_with_hours: bool = Field(False, description="A volunteer pays with their banked hours")
    notice_version: str = Field("", description="The privacy notice accepted (not for staff)")


class OrderDispatchIn(Schema):
    volunteer: int | None = None
    team: int | None = None
    open: bool = Field(False, description="Open to the volunteers of the community")
    reason: str = Field("", description="Needed when the order was already dispatched")


class OrderCompleteIn(Schema):
    hours: Decimal = Field(..., description="More than 0, at most 24, one decimal")
    note: str = ""


class OrderRateIn(Schema):
    rating: int = Field(..., ge=1, le=5)
    comment: str = ""


class OrderReasonIn(Schema):
    reason: str


def _named(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": str(obj)} if obj is not None else None


def order_out(o: ServiceOrder) -> dict[str, Any]:
    return {
        "id": o.pk,
        "code": o.code,
        "status": o.status,
        "flag": o.flag,
        "site": _named(o.site),
        "region": o.region.code,
        "category": o.category.code,
        "description": o.description,
        "address": o.address,
        "wanted_on": o.wanted_on,
        "wanted_time": o.wanted_time,
        "channel": o.channel,
        "requester_name": o.requester_name,
        "requester_phone": o.requester_phone_masked,
        "assignee": _named(o.assignee),
        "team": _named(o.team),
        "accepted_by": _named(o.accepted_by),
        "paid_by": _named(o.paid_by),
        "hours": o.hours,
        "rating": o.rating,
        "rating_comment": o.rating_comment,
        "cancel_reason": o.cancel_reason,
        "ordered_at": o.ordered_at,
        "dispatched_at": o.dispatched_at,
        "accepted_at": o.accepted_at,
        "completed_at": o.completed_at,
    }


def _visible(request: HttpRequest, pk: int) -> ServiceOrder:
    found = (
        ServiceOrder.objects.visible_to(request.user)
        .select_related(
            "site__region", "region", "category", "assignee", "team", "accepted_by", "paid_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    order = _visible(request, pk)
    events = [
        {
            "from_status": e.from_status,
            "to_status": e.to_status,
            "actor": e.actor.get_username() if e.actor else None,
            "note": e.note,
            "at": e.at,
        }
        for e in order.events.select_related("actor")
    ]
    return {**order_out(order), "events": events}


def _invalid(exc: PracticeError) -> ValidationError:
    return ValidationError(
        [{"loc": ["body", field], "msg": msg} for field, msgs in exc.errors.items() for msg in msgs]
    )


def _step(request: HttpRequest, pk: int, run: Callable[[ServiceOrder], Any]) -> Any:
    """Run one step on the visible order; answer with the order as it is after it."""
    order = _visible(request, pk)
    try:
        run(order)
    except PermissionDenied:
        return Status(403, Error(detail="You may not do this to this order.", code="forbidden"))
    except PracticeError as exc:
        if set(exc.errors) == {"__all__"}:
            return Status(409, Error(detail=str(exc), code="refused"))
        raise _invalid(exc) from exc
    return _detail(request, pk)


@router.get("/orders", response=OrderPage, summary="List visible service orders")
def list_orders(request: HttpRequest, params: Query[OrderListParams]) -> dict[str, Any]:
    f = BoardFilters(
        status=params.status,
        flag=params.flag,
        category=params.category,
        site=params.site,
        q=params.q,
    )
    qs = board(request.user, f)
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    return {"count": qs.count(), "items": [order_out(o) for o in qs[offset : offset + limit]]}


@router.get(
    "/orders/{pk}", response={200: OrderDetailOut, 404: Error}, summary="One order, with timeline"
)
def get_order(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, pk)


def _order_input(request: HttpRequest, payload: OrderIn) -> tuple[OrderInput, str]:
    user = request.user
    category = ServiceCategory.objects.filter(code=payload.category, active=True).first()
    if category is None:
        raise ValidationError([{"loc": ["body", "category"], "msg": "unknown category"}])
    household = None
    if payload.household:
        household = (
            Household.objects.visible_to(user).filter(code=payload.household, active=True).first()
        )
        if household is None:
            raise ValidationError([{"loc": ["body", "household"], "msg": "unknown household"}])
    site = None
    if payload.site is not None:
        site = PracticeSite.objects.visible_to(user).filter(pk=payload.site).first()
        if site is None:
            raise ValidationError([{"loc": ["body", "site"], "msg": "unknown site"}])
    elif household is None:
        raise ValidationError([{"loc": ["body", "site"], "msg": "give a site or a household"}])
    staff = user.has_perm("practice.dispatch_order", site or household)
    volunteer: Volunteer | None = getattr(user, "volunteer", None)
    data = OrderInput(
        category=category,
        description=payload.description,
        address=payload.address,
        wanted_on=payload.wanted_on,
        wanted_time=payload.wanted_time,
        requester_name=payload.requester_name,
        requester_phone=payload.requester_phone,
        site=site,
        household=household if staff else None,
        paid_by=volunteer if payload.pay_with_hours else None,
        notice_version=payload.notice_version,
    )
    return data, OrderChannel.STAFF if staff else OrderChannel.PHONE


@router.post(
    "/orders",
    response={201: OrderDetailOut, 403: Error, 422: Error},
    summary="点单: order a service (staff for a resident, or a resident for themselves)",
)
def create_order(request: HttpRequest, payload: OrderIn) -> Any:
    data, channel = _order_input(request, payload)
    try:
        order = place_order(data, actor=request.user, channel=channel)
    except PermissionDenied:
        return Status(403, Error(detail="You may not order here.", code="forbidden"))
    except PracticeError as exc:
        raise _invalid(exc) from exc
    return Status(201, _detail(request, order.pk))


@router.post("/orders/{pk}/dispatch", response=STEP, summary="派单, or reassign with a reason")
def dispatch(request: HttpRequest, pk: int, payload: OrderDispatchIn) -> Any:
    def run(order: ServiceOrder) -> None:
        volunteer: Volunteer | None = None
        team = None
        if payload.volunteer is not None:
            volunteer = (
                Volunteer.objects.visible_to(request.user).filter(pk=payload.volunteer).first()
            )
            if volunteer is None:
                raise PracticeError({"volunteer": ["unknown volunteer"]})
        if payload.team is not None:
            team = teams_for(order, request.user).filter(pk=payload.team).first()
            if team is None:
                raise PracticeError({"team": ["unknown team"]})
        if order.status != OrderStatus.ORDERED:
            orders_flow.reassign(
                order,
                actor=request.user,
                reason=payload.reason,
                volunteer=volunteer,
                team=team,
                to_open=payload.open,
            )
        elif payload.open:
            orders_flow.open_to_volunteers(order, actor=request.user)
        else:
            orders_flow.dispatch(order, actor=request.user, volunteer=volunteer, team=team)

    return _step(request, pk, run)


@router.post("/orders/{pk}/accept", response=STEP, summary="接单 (volunteer)")
def accept(request: HttpRequest, pk: int) -> Any:
    return _step(request, pk, lambda o: orders_flow.accept(o, actor=request.user))


@router.post("/orders/{pk}/complete", response=STEP, summary="圆单: hours credited")
def complete(request: HttpRequest, pk: int, payload: OrderCompleteIn) -> Any:
    return _step(
        request,
        pk,
        lambda o: orders_complete.complete(
            o, actor=request.user, hours=payload.hours, note=payload.note
        ),
    )


@router.post("/orders/{pk}/rate", response=STEP, summary="评单 (the requester)")
def rate(request: HttpRequest, pk: int, payload: OrderRateIn) -> Any:
    return _step(
        request,
        pk,
        lambda o: orders_flow.rate(
            o, actor=request.user, rating=payload.rating, comment=payload.comment
        ),
    )


@router.post("/orders/{pk}/cancel", response=STEP, summary="Cancel (staff or the requester)")
def cancel(request: HttpRequest, pk: int, payload: OrderReasonIn) -> Any:
    return _step(
        request, pk, lambda o: orders_flow.cancel(o, actor=request.user, reason=payload.reason)
    )
