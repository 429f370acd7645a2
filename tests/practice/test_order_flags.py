"""The periodic check of late orders: exact flags, once, cleared when the order moves on."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.core.models import AuditEntry
from chuangcheng.core.periodic import REGISTRY
from chuangcheng.practice.domain import orders_complete, orders_flow
from chuangcheng.practice.domain.order_flags import flag_late_orders
from chuangcheng.practice.enums import OrderFlag, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, resident_order

S = OrderStatus
H = dt.timedelta(hours=1)


@pytest.fixture
def limits(settings: Any) -> None:
    settings.PRACTICE_ACCEPT_HOURS = 24
    settings.PRACTICE_FINISH_HOURS = 72


def _at(order: ServiceOrder, **moments: dt.datetime) -> ServiceOrder:
    ServiceOrder.objects.filter(pk=order.pk).update(**moments)
    order.refresh_from_db()
    return order


def _flag_entries() -> int:
    return AuditEntry.objects.filter(note="late order").count()


def test_late_orders_are_flagged_exactly_once(pw: PracticeWorld, limits: None) -> None:
    now = timezone.now()
    fresh_dispatch = bring_to(pw, resident_order(pw), S.DISPATCHED)
    late_dispatch = _at(bring_to(pw, resident_order(pw), S.DISPATCHED), dispatched_at=now - 25 * H)
    late_open = _at(bring_to(pw, resident_order(pw), S.OPEN), dispatched_at=now - 24 * H - 1 * H)
    edge_open = _at(bring_to(pw, resident_order(pw), S.OPEN), dispatched_at=now - 24 * H)
    late_accept = _at(bring_to(pw, resident_order(pw), S.ACCEPTED), accepted_at=now - 73 * H)
    ok_accept = _at(bring_to(pw, resident_order(pw), S.ACCEPTED), accepted_at=now - 71 * H)
    ordered_long_ago = _at(resident_order(pw), ordered_at=now - 500 * H)
    done = _at(bring_to(pw, resident_order(pw), S.COMPLETED), accepted_at=now - 100 * H)

    assert flag_late_orders(now=now) == 3
    flags = dict(ServiceOrder.objects.values_list("pk", "flag"))
    assert flags == {
        fresh_dispatch.pk: "",
        late_dispatch.pk: OrderFlag.UNTAKEN,
        late_open.pk: OrderFlag.UNTAKEN,
        edge_open.pk: "",  # exactly at the limit: not late yet
        late_accept.pk: OrderFlag.UNFINISHED,
        ok_accept.pk: "",
        ordered_long_ago.pk: "",  # not dispatched: the board shows it first anyway
        done.pk: "",
    }
    assert set(ServiceOrder.objects.exclude(flag="").values_list("flagged_at", flat=True)) == {now}
    assert _flag_entries() == 3
    # A second run flags nothing and writes nothing.
    assert flag_late_orders(now=now) == 0
    assert _flag_entries() == 3


def test_the_flag_clears_when_the_order_moves_on(pw: PracticeWorld, limits: None) -> None:
    now = timezone.now()
    order = _at(bring_to(pw, resident_order(pw), S.DISPATCHED), dispatched_at=now - 30 * H)
    flag_late_orders(now=now)
    assert ServiceOrder.objects.get(pk=order.pk).flag == OrderFlag.UNTAKEN
    orders_flow.accept(order, actor=pw.vol1_user)
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.flag, fresh.flagged_at) == ("", None)
    # Accepted long ago and still not done: unfinished, until 圆单.
    _at(fresh, accepted_at=now - 80 * H)
    assert flag_late_orders(now=now) == 1
    assert ServiceOrder.objects.get(pk=order.pk).flag == OrderFlag.UNFINISHED
    orders_complete.complete(fresh, actor=pw.vol1_user, hours="1")
    assert ServiceOrder.objects.get(pk=order.pk).flag == ""


def test_the_limits_come_from_the_settings(pw: PracticeWorld, settings: Any) -> None:
    settings.PRACTICE_ACCEPT_HOURS = 2
    now = timezone.now()
    _at(bring_to(pw, resident_order(pw), S.DISPATCHED), dispatched_at=now - 3 * H)
    assert flag_late_orders(now=now) == 1


def test_the_job_is_registered() -> None:
    job = REGISTRY["practice.flag_late_orders"]
    assert job.every == dt.timedelta(minutes=15)
