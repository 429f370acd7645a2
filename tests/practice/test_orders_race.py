"""Two volunteers tap 接单 on the same open order at the same moment: exactly one gets it."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import close_old_connections, connection

from chuangcheng.practice.domain import orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import OrderStatus
from chuangcheng.practice.models import OrderEvent, ServiceOrder, Volunteer
from tests.factories import UserFactory, grant
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, resident_order

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_volunteers_racing_for_an_open_order_never_both_win(pw: PracticeWorld) -> None:
    other_user = UserFactory(username="vol3")
    grant(other_user, "volunteer", region=pw.world.c1)
    import datetime as dt

    Volunteer.objects.create(
        user=other_user, name="志愿者丙", region=pw.world.c1, registered_at=dt.date(2026, 1, 1)
    )
    order = bring_to(pw, resident_order(pw), OrderStatus.OPEN)
    users = [pw.vol1_user, other_user]
    barrier = threading.Barrier(len(users))
    results: list[Any] = []

    def take(user: Any) -> None:
        from chuangcheng.accounts.models import User

        mine = User.objects.get(pk=user.pk)  # a fresh user object per thread
        copy = ServiceOrder.objects.select_related("site__region").get(pk=order.pk)
        barrier.wait()
        try:
            orders_flow.accept(copy, actor=mine)
            results.append(mine.pk)
        except PracticeError as exc:
            results.append(str(exc))
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=take, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [r for r in results if isinstance(r, int)]
    assert len(results) == 2
    assert len(winners) == 1
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert fresh.status == OrderStatus.ACCEPTED
    assert fresh.accepted_by is not None and fresh.accepted_by.user_id == winners[0]
    assert OrderEvent.objects.filter(order=order, to_status=OrderStatus.ACCEPTED).count() == 1
