"""The demo orders, played over the small ``world`` district (same codes) and its demo network."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.db.models import Sum

from chuangcheng.practice.demo_network import load_demo_network
from chuangcheng.practice.demo_orders import load_demo_orders
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.enums import Book, OrderStatus, SystemAccount, TxnKind
from chuangcheng.practice.models import LedgerAccount, ServiceOrder
from tests.conftest import World
from tests.factories import UnitFactory


def test_demo_orders_load_once_in_every_state_and_the_ledger_balances(world: World) -> None:
    # The network's sponsored teams need the demo's two line units.
    UnitFactory(code="cgw", name="区城市管理委员会", region=world.district)
    UnitFactory(code="scjg", name="区市场监督管理局", region=world.district)
    load_demo_network()
    out = StringIO()
    made = load_demo_orders(out, orders=60)
    assert made == ServiceOrder.objects.count() > 60
    assert set(ServiceOrder.objects.values_list("status", flat=True)) == set(OrderStatus.values)
    assert ServiceOrder.objects.filter(flag="untaken").exists()
    assert ServiceOrder.objects.filter(flag="unfinished").exists()
    assert (
        ServiceOrder.objects.filter(rating__isnull=False).count()
        == ServiceOrder.objects.filter(status=OrderStatus.RATED).count()
    )
    # Every credited hour is an order's: the bank issued exactly the hours of ordinary orders.
    credited = ServiceOrder.objects.filter(credit_txn__kind=TxnKind.SERVICE_CREDIT).aggregate(
        h=Sum("hours")
    )["h"]
    issued = LedgerAccount.objects.get(book=Book.TIME, system=SystemAccount.TIME_ISSUED)
    assert ledger.balance(issued) == -credited
    assert credited > Decimal("0")
    assert (
        ServiceOrder.objects.filter(
            status__in=[OrderStatus.COMPLETED, OrderStatus.RATED], credit_txn__isnull=True
        ).count()
        == 0
    )
    assert ledger.book_total(Book.TIME) == 0
    assert "Service orders" in out.getvalue() or "服务订单" in out.getvalue()
    assert load_demo_orders(StringIO()) == 0
