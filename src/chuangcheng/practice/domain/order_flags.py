"""Late orders: what the clock does to service orders.

An order dispatched or opened to volunteers and not accepted within ``PRACTICE_ACCEPT_HOURS`` is
flagged ``untaken``; an accepted order not completed within ``PRACTICE_FINISH_HOURS`` is flagged
``unfinished``. :func:`flag_late_orders` does both in one UPDATE whatever the number of orders,
with one audit entry per order written in one statement; it may run any number of times (an
order already carrying its flag is left alone). The flag is cleared by the order's next move
(``orders.move``), since the order moved on.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Q, Value, When
from django.utils import timezone

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.enums import OrderFlag, OrderStatus
from chuangcheng.practice.models import ServiceOrder


def late_q(now: dt.datetime) -> Q:
    """Orders that should carry a flag and do not carry that flag yet."""
    accept_by = now - dt.timedelta(hours=int(settings.PRACTICE_ACCEPT_HOURS))
    finish_by = now - dt.timedelta(hours=int(settings.PRACTICE_FINISH_HOURS))
    untaken = Q(
        status__in=[OrderStatus.DISPATCHED, OrderStatus.OPEN], dispatched_at__lt=accept_by
    ) & ~Q(flag=OrderFlag.UNTAKEN)
    unfinished = Q(status=OrderStatus.ACCEPTED, accepted_at__lt=finish_by) & ~Q(
        flag=OrderFlag.UNFINISHED
    )
    return untaken | unfinished


def flag_late_orders(*, now: dt.datetime | None = None) -> int:
    """Flag every late order not flagged yet (see the module's docstring); returns how many."""
    now = now or timezone.now()
    with transaction.atomic():
        found = list(
            ServiceOrder.objects.filter(late_q(now))
            .select_for_update()
            .only("pk", "code", "status", "flag")
            .order_by("pk")
        )
        if not found:
            return 0
        ServiceOrder.objects.filter(pk__in=[o.pk for o in found]).filter(late_q(now)).update(
            flag=Case(
                When(status=OrderStatus.ACCEPTED, then=Value(OrderFlag.UNFINISHED.value)),
                default=Value(OrderFlag.UNTAKEN.value),
            ),
            flagged_at=now,
        )
        audit.record_many(
            audit.entry(
                None,
                AuditAction.UPDATE,
                order,
                before={"flag": order.flag},
                after={
                    "flag": OrderFlag.UNFINISHED.value
                    if order.status == OrderStatus.ACCEPTED
                    else OrderFlag.UNTAKEN.value
                },
                note="late order",
            )
            for order in found
        )
    return len(found)
