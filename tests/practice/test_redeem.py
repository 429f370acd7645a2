"""爱心超市: goods, stock, windows, minimum balance, redeeming and undoing a redemption."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import award_points, owner_account, reverse_award
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import adjust_stock, save_goods, set_rules
from chuangcheng.practice.domain.redeem import redeem, reverse_redemption
from chuangcheng.practice.enums import Book, RedemptionStatus, SystemAccount
from chuangcheng.practice.models import Goods, LedgerTransaction, Redemption
from tests.practice.conftest import PracticeWorld

D = Decimal
TZ = timezone.get_current_timezone()
# 2026-06-06 is a Saturday (weekday 5).
SAT_10 = dt.datetime(2026, 6, 6, 10, 0, tzinfo=TZ)
SAT_12 = dt.datetime(2026, 6, 6, 12, 0, tzinfo=TZ)
SUN_10 = dt.datetime(2026, 6, 7, 10, 0, tzinfo=TZ)


def fund(pw: PracticeWorld, owner: object, points: int) -> None:
    it = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": f"p{points}-{owner.pk}", "title": "志愿服务", "points": points},  # type: ignore[attr-defined]
    )
    award_points(actor=pw.world.office, item=it, owner=owner)  # type: ignore[arg-type]


def soap(pw: PracticeWorld, price: int = 10, stock: int = 3) -> Goods:
    return save_goods(
        actor=pw.world.user_s1,
        site=pw.station_c1,
        data={"name": "洗衣液", "price": price, "stock": stock},
    )


def balanced() -> None:
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_redeem_takes_stock_and_points_once(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 25)
    goods = soap(pw, price=10, stock=3)
    r, created = redeem(
        actor=pw.world.user_s1, goods=goods, owner=pw.h1, quantity=2, client_ref="t1"
    )
    assert created and r.points == 20 and r.status == RedemptionStatus.DONE
    assert Goods.objects.get(pk=goods.pk).stock == 1
    account = owner_account(pw.h1)
    assert ledger.balance(account) == D("5")
    spent = ledger.system_account(Book.POINTS, SystemAccount.POINTS_REDEEMED, pw.world.district)
    assert ledger.balance(spent) == D("20")
    # the same form again: nothing more taken
    again, created = redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1, client_ref="t1")
    assert (again.pk, created) == (r.pk, False)
    assert Goods.objects.get(pk=goods.pk).stock == 1
    assert ledger.balance(account) == D("5")
    assert AuditEntry.objects.filter(object_type="practice.redemption").count() == 1
    balanced()


def test_refusals_write_nothing(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 25)
    goods = soap(pw, price=10, stock=1)
    with pytest.raises(PracticeError, match="积分不足：需要 30 分，现有 25 分"):
        redeem(actor=pw.world.office, goods=goods, owner=pw.h1, quantity=3)
    with pytest.raises(PracticeError, match="库存不足"):
        redeem(actor=pw.world.office, goods=goods, owner=pw.h1, quantity=2)
    with pytest.raises(PracticeError, match="数量至少为 1"):
        redeem(actor=pw.world.office, goods=goods, owner=pw.h1, quantity=0)
    save_goods(
        actor=pw.world.office,
        site=pw.station_c1,
        goods=goods,
        data={"name": "洗衣液", "price": 10, "active": False},
    )
    with pytest.raises(PracticeError, match="已下架"):
        redeem(actor=pw.world.office, goods=goods, owner=pw.h1)
    assert Redemption.objects.count() == 0
    assert Goods.objects.get(pk=goods.pk).stock == 1
    assert ledger.balance(owner_account(pw.h1)) == D("25")
    balanced()


def test_minimum_balance_is_checked_before(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 25)
    goods = soap(pw, price=5, stock=5)
    set_rules(pw.station_c1, actor=pw.world.user_s1, min_balance=30, windows=[])
    with pytest.raises(PracticeError, match="不少于 30 分；该账户现有 25 分"):
        redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1)
    set_rules(pw.station_c1, actor=pw.world.user_s1, min_balance=20, windows=[])
    redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1)  # 25 ≥ 20 → 20 left
    redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1)  # 20 ≥ 20 → 15 left
    with pytest.raises(PracticeError, match="现有 15 分"):
        redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1)
    assert ledger.balance(owner_account(pw.h1)) == D("15")
    balanced()


def test_windows_in_local_time(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 30)
    goods = soap(pw, price=10, stock=5)
    set_rules(
        pw.station_c1,
        actor=pw.world.user_s1,
        min_balance=0,
        windows=[(5, dt.time(9), dt.time(11, 30))],
    )
    for refused in (SAT_12, SUN_10):
        with pytest.raises(PracticeError, match="只在公布的时段内兑换"):
            redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1, now=refused)
    redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1, now=SAT_10)
    # 10:00 Beijing time is 02:00 UTC: the window is read in local time
    assert SAT_10.astimezone(dt.UTC).hour == 2
    assert Redemption.objects.count() == 1
    with pytest.raises(PracticeError, match="结束时间须晚于开始时间"):
        set_rules(
            pw.station_c1,
            actor=pw.world.user_s1,
            min_balance=0,
            windows=[(5, dt.time(12), dt.time(11))],
        )
    balanced()


def test_reverse_redemption_returns_points_and_stock_once(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 25)
    goods = soap(pw, price=10, stock=3)
    r, _c = redeem(actor=pw.world.user_s1, goods=goods, owner=pw.h1, quantity=2)
    with pytest.raises(PermissionDenied):
        reverse_redemption(r, actor=pw.world.user_s2, reason="退货")
    with pytest.raises(PracticeError, match="请说明更正原因"):
        reverse_redemption(r, actor=pw.world.user_s1, reason=" ")
    fix = reverse_redemption(r, actor=pw.world.user_s1, reason="商品退回")
    assert fix.reverses_id == r.txn_id and fix.memo == "商品退回"
    assert Redemption.objects.get(pk=r.pk).status == RedemptionStatus.REVERSED
    assert Goods.objects.get(pk=goods.pk).stock == 3
    assert ledger.balance(owner_account(pw.h1)) == D("25")
    with pytest.raises(PracticeError, match="已冲销过"):
        reverse_redemption(r, actor=pw.world.user_s1, reason="again")
    assert Goods.objects.get(pk=goods.pk).stock == 3
    assert LedgerTransaction.objects.count() == 3  # award, redemption, reversal
    balanced()


def test_spent_award_cannot_be_taken_back(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 10)
    goods = soap(pw, price=10, stock=1)
    r, _c = redeem(actor=pw.world.office, goods=goods, owner=pw.h1)
    award = r.account.awards.get()
    with pytest.raises(PracticeError, match="请先冲销兑换记录"):
        reverse_award(award, actor=pw.world.office, reason="误录")
    reverse_redemption(r, actor=pw.world.office, reason="退回")
    reverse_award(award, actor=pw.world.office, reason="误录")
    assert ledger.balance(owner_account(pw.h1)) == D("0")
    balanced()


def test_stock_adjustments_are_audited_and_never_negative(pw: PracticeWorld) -> None:
    goods = soap(pw, stock=3)
    assert adjust_stock(goods, actor=pw.world.user_s1, delta=5, reason="新到货") == 8
    assert adjust_stock(goods, actor=pw.world.user_s1, delta=-2, reason="破损") == 6
    with pytest.raises(PracticeError, match="无法减少这么多"):
        adjust_stock(goods, actor=pw.world.user_s1, delta=-7, reason="盘点")
    with pytest.raises(PracticeError, match="原因"):
        adjust_stock(goods, actor=pw.world.user_s1, delta=1, reason="")
    with pytest.raises(PermissionDenied):
        adjust_stock(goods, actor=pw.world.user_s2, delta=1, reason="x")
    with pytest.raises(PermissionDenied):
        adjust_stock(goods, actor=pw.other_office, delta=1, reason="x")
    assert Goods.objects.get(pk=goods.pk).stock == 6
    notes = list(
        AuditEntry.objects.filter(object_type="practice.goods", note__gt="")
        .order_by("pk")
        .values_list("note", "before", "after")
    )
    assert notes == [
        ("新到货", {"stock": 3}, {"stock": 8}),
        ("破损", {"stock": 8}, {"stock": 6}),
    ]


def test_volunteer_points_redeem_too(pw: PracticeWorld) -> None:
    fund(pw, pw.vol1, 12)
    goods = soap(pw, price=4, stock=10)
    redeem(actor=pw.world.user_s1, goods=goods, owner=pw.vol1, quantity=3)
    assert ledger.balance(owner_account(pw.vol1)) == D("0")
    assert Goods.objects.get(pk=goods.pk).stock == 7
    balanced()
