"""The demo bank: loaded through the domain, once, with the books balanced and the stock
consistent with the redemptions (run on the practice world, whose district and 多福巷社区 carry
the demo codes)."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO

from django.db.models import Sum

from chuangcheng.practice.demo_points import CONVENTION, GOODS, load_demo_points
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import owner_account
from chuangcheng.practice.enums import Book, RedemptionStatus
from chuangcheng.practice.models import ConventionItem, Goods, PointsAward, Redemption
from tests.practice.conftest import PracticeWorld


def test_demo_points_load_once_balanced_and_consistent(pw: PracticeWorld) -> None:
    out = StringIO()
    awards = load_demo_points(out)
    assert awards == PointsAward.objects.count() > 0
    assert "8" in out.getvalue()
    assert ConventionItem.objects.filter(region=pw.world.district).count() == len(CONVENTION)
    assert load_demo_points(out) == 0  # idempotent
    assert PointsAward.objects.count() == awards
    assert ledger.book_total(Book.POINTS) == Decimal("0")
    assert ledger.book_total(Book.TIME) == Decimal("0")
    # the home household (the demo resident's) has a history and a balance that is its sum
    home = owner_account(pw.h1)
    assert home.entries.count() > 5
    assert ledger.balance(home) == home.entries.aggregate(s=Sum("amount"))["s"] >= 0
    opening = {name: stock for name, _price, stock, _d in GOODS}
    for goods in Goods.objects.filter(site=pw.station_c1):
        taken = (
            Redemption.objects.filter(goods=goods, status=RedemptionStatus.DONE).aggregate(
                n=Sum("quantity")
            )["n"]
            or 0
        )
        assert goods.stock == opening[goods.name] - taken
    assert pw.station_c1.redemption_windows.count() == 2
    assert Redemption.objects.filter(status=RedemptionStatus.REVERSED).exists()
