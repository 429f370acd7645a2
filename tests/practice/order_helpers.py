"""Building service orders in a given status for the order tests, through the domain only."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chuangcheng.practice.domain import ledger, orders_complete, orders_flow
from chuangcheng.practice.domain.orders import NOTICE_VERSION, OrderInput, place_order
from chuangcheng.practice.enums import Book, OrderChannel, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.practice.conftest import PracticeWorld

D = Decimal


def resident_order(pw: PracticeWorld, **extra: Any) -> ServiceOrder:
    """An order placed by resident ``res1`` on the phone page at the 多福巷 station (助餐)."""
    data = OrderInput(
        category=extra.pop("category", pw.meal),
        description=extra.pop("description", "帮忙买午饭"),
        requester_name="居民王",
        requester_phone="13700000009",
        site=extra.pop("site", pw.station_c1),
        notice_version=NOTICE_VERSION,
        **extra,
    )
    return place_order(data, actor=pw.res1, channel=OrderChannel.PHONE)


def staff_order(pw: PracticeWorld, actor: Any = None, **extra: Any) -> ServiceOrder:
    """An order the office enters for an elder at the 多福巷 station."""
    data = OrderInput(
        category=extra.pop("category", pw.clean),
        description=extra.pop("description", "打扫房间"),
        requester_name=extra.pop("requester_name", "张奶奶"),
        requester_phone=extra.pop("requester_phone", "13600000001"),
        site=extra.pop("site", pw.station_c1),
        **extra,
    )
    return place_order(data, actor=actor or pw.world.office, channel=OrderChannel.STAFF)


def bring_to(pw: PracticeWorld, order: ServiceOrder, status: str) -> ServiceOrder:
    """Drive ``order`` (just placed) to ``status`` the ordinary way: dispatched to vol1, who
    accepts and completes 2 hours; rated 5 by the requester; cancelled by the office."""
    office = pw.world.office
    if status == OrderStatus.ORDERED:
        return order
    if status == OrderStatus.CANCELLED:
        return orders_flow.cancel(order, actor=office, reason="居民不需要了")
    if status == OrderStatus.OPEN:
        return orders_flow.open_to_volunteers(order, actor=office)
    orders_flow.dispatch(order, actor=office, volunteer=pw.vol1)
    if status == OrderStatus.DISPATCHED:
        return order
    orders_flow.accept(order, actor=pw.vol1_user)
    if status == OrderStatus.ACCEPTED:
        return order
    orders_complete.complete(order, actor=pw.vol1_user, hours="2", note="送餐到家")
    if status == OrderStatus.COMPLETED:
        return order
    orders_flow.rate(order, actor=order.requester_user or office, rating=5, comment="很好")
    return order


def hours_of(volunteer: Any) -> Decimal:
    return ledger.balance(ledger.volunteer_account(Book.TIME, volunteer))
