"""Every edge of ORDER_TRANSITIONS, allowed and refused, through the domain functions."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from chuangcheng.practice.domain import ledger, orders_complete, orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import ORDER_TRANSITIONS, Book, OrderStatus
from chuangcheng.practice.models import OrderEvent, ServiceOrder
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, resident_order

S = OrderStatus


def _step(pw: PracticeWorld, to: str) -> Callable[[ServiceOrder], Any]:
    """The domain function that moves an order to ``to``, called by someone allowed to."""
    office = pw.world.office
    steps: dict[str, Callable[[ServiceOrder], Any]] = {
        S.DISPATCHED: lambda o: orders_flow.dispatch(o, actor=office, volunteer=pw.vol1),
        S.OPEN: lambda o: orders_flow.open_to_volunteers(o, actor=office),
        S.ACCEPTED: lambda o: orders_flow.accept(o, actor=pw.vol1_user),
        S.COMPLETED: lambda o: orders_complete.complete(o, actor=office, hours="1.5"),
        S.RATED: lambda o: orders_flow.rate(o, actor=pw.res1, rating=4),
        S.CANCELLED: lambda o: orders_flow.cancel(o, actor=office, reason="不需要了"),
    }
    return steps[to]


EDGES = [(a, b) for a in S.values for b in S.values if b != S.ORDERED]


@pytest.mark.parametrize(("start", "to"), EDGES)
def test_every_edge_is_allowed_exactly_when_the_map_says(
    pw: PracticeWorld, start: str, to: str
) -> None:
    order = bring_to(pw, resident_order(pw), start)
    # An order open to volunteers is taken by vol1 like a dispatched one (their community).
    assert order.status == start
    events = OrderEvent.objects.filter(order=order).count()
    if to in ORDER_TRANSITIONS[start]:
        _step(pw, to)(order)
        assert ServiceOrder.objects.get(pk=order.pk).status == to
        assert OrderEvent.objects.filter(order=order).count() == events + 1
        last = OrderEvent.objects.filter(order=order).last()
        assert last is not None
        assert (last.from_status, last.to_status) == (start, to)
    else:
        with pytest.raises(PracticeError):
            _step(pw, to)(order)
        assert ServiceOrder.objects.get(pk=order.pk).status == start
        assert OrderEvent.objects.filter(order=order).count() == events
    assert ledger.book_total(Book.TIME) == 0


def test_nothing_moves_an_order_back_to_ordered() -> None:
    assert all(S.ORDERED not in targets for targets in ORDER_TRANSITIONS.values())


def test_reassign_from_open_to_open_is_refused_but_open_to_dispatched_works(
    pw: PracticeWorld,
) -> None:
    order = bring_to(pw, resident_order(pw), S.OPEN)
    with pytest.raises(PracticeError):
        orders_flow.reassign(order, actor=pw.world.office, reason="换人", to_open=True)
    orders_flow.reassign(order, actor=pw.world.office, reason="指定志愿者", volunteer=pw.vol1)
    assert order.status == S.DISPATCHED
    assert order.assignee == pw.vol1


def test_reassign_needs_a_reason_and_a_dispatched_order(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    with pytest.raises(PracticeError) as caught:
        orders_flow.reassign(order, actor=pw.world.office, reason="x", volunteer=pw.vol1)
    assert caught.value.errors.keys() == {"__all__"}
    bring_to(pw, order, S.DISPATCHED)
    with pytest.raises(PracticeError) as caught:
        orders_flow.reassign(order, actor=pw.world.office, reason=" ", volunteer=pw.vol2)
    assert caught.value.errors.keys() == {"reason"}


def test_reassigning_an_accepted_order_clears_the_volunteer(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    orders_flow.reassign(order, actor=pw.world.office, reason="志愿者生病", to_open=True)
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.accepted_by, fresh.accepted_at, fresh.assignee) == (
        S.OPEN,
        None,
        None,
        None,
    )
    assert OrderEvent.objects.filter(order=order).last().note == "志愿者生病"  # type: ignore[union-attr]
