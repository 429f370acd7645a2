"""Statements with running balances, their export rows, and the office's corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.practice.domain import ledger, statements
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import award_points, owner_account
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods
from chuangcheng.practice.domain.redeem import redeem
from chuangcheng.practice.enums import Book, RedemptionStatus, SystemAccount, TxnKind
from chuangcheng.practice.models import Goods, LedgerTransaction, Redemption
from tests.practice.conftest import PracticeWorld

D = Decimal
TZ = timezone.get_current_timezone()


def at(day: int) -> dt.datetime:
    return dt.datetime(2026, 5, day, 10, 0, tzinfo=TZ)


def backdate(txn: LedgerTransaction, when: dt.datetime) -> None:
    LedgerTransaction.objects.filter(pk=txn.pk).update(created_at=when)


def test_statement_running_balance_for_a_period(pw: PracticeWorld) -> None:
    it = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "serve", "title": "志愿服务", "points": 10},
    )
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "毛巾", "price": 15, "stock": 5}
    )
    a1, _c = award_points(actor=pw.world.office, item=it, owner=pw.h1)  # 3 May: +10
    a2, _c = award_points(actor=pw.world.office, item=it, owner=pw.h1)  # 10 May: +10
    r, _c = redeem(actor=pw.world.office, goods=goods, owner=pw.h1)  # 12 May: -15
    a3, _c = award_points(actor=pw.world.office, item=it, owner=pw.h1)  # 20 May: +10
    for txn, day in ((a1.txn, 3), (a2.txn, 10), (r.txn, 12), (a3.txn, 20)):
        backdate(txn, at(day))
    account = owner_account(pw.h1)
    st = statements.statement(account, dt.date(2026, 5, 5), dt.date(2026, 5, 12))
    assert st.opening == D("10")
    assert [(line.amount, line.balance) for line in st.lines] == [
        (D("10"), D("20")),
        (D("-15"), D("5")),
    ]
    assert (st.credits, st.debits, st.closing) == (D("10"), D("15"), D("5"))
    issued = ledger.system_account(Book.POINTS, SystemAccount.POINTS_ISSUED, pw.world.district)
    assert st.lines[0].counterparty == statements.account_label(issued)
    assert statements.account_label(issued).endswith("（东城区）")
    assert st.lines[1].redemption is not None and st.lines[1].redemption.pk == r.pk
    headers, rows = statements.statement_table(st)
    assert len(headers) == 7
    assert rows[0][-1] == 10.0 and rows[-1][-1] == 5.0
    assert rows[2][1] == r.txn_id and rows[2][5] == -15.0
    whole = statements.statement(account, dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert whole.opening == D("0") and whole.closing == D("15") == ledger.balance(account)


def test_statement_queries_do_not_grow_with_lines(pw: PracticeWorld) -> None:
    it = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "serve", "title": "志愿服务", "points": 1},
    )
    account = owner_account(pw.h1)
    today = timezone.localdate()
    counts = []
    for n in (2, 20):
        while account.entries.count() < n:
            award_points(actor=pw.world.office, item=it, owner=pw.h1)
        with CaptureQueriesContext(connection) as ctx:
            st = statements.statement(account, today, today)
        assert len(st.lines) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_correcting_an_award_a_redemption_and_a_service_credit(pw: PracticeWorld) -> None:
    it = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "serve", "title": "志愿服务", "points": 20},
    )
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "毛巾", "price": 15, "stock": 5}
    )
    award, _c = award_points(actor=pw.world.office, item=it, owner=pw.h1)
    r, _c = redeem(actor=pw.world.office, goods=goods, owner=pw.h1)
    # the award cannot be taken back while its points are spent
    with pytest.raises(PracticeError, match="请先冲销兑换记录"):
        statements.correct(award.txn, actor=pw.world.office, reason="误录")
    # a unit runs the station but does not correct the ledger
    with pytest.raises(PermissionDenied):
        statements.correct(r.txn, actor=pw.world.user_s1, reason="退回")
    with pytest.raises(PermissionDenied):
        statements.correct(r.txn, actor=pw.other_office, reason="退回")
    statements.correct(r.txn, actor=pw.world.office, reason="商品退回")
    assert Redemption.objects.get(pk=r.pk).status == RedemptionStatus.REVERSED
    assert Goods.objects.get(pk=goods.pk).stock == 5
    statements.correct(award.txn, actor=pw.world.office, reason="误录")
    assert ledger.balance(owner_account(pw.h1)) == D("0")
    # a time bank credit (written by the orders side) is reversed in the ledger
    issued = ledger.system_account(Book.TIME, SystemAccount.TIME_ISSUED, pw.world.district)
    hours = owner_account(pw.vol1, Book.TIME)
    credit = ledger.post(
        Book.TIME,
        TxnKind.SERVICE_CREDIT,
        [(issued, D("-2.5")), (hours, D("2.5"))],
        actor=pw.world.office,
    )
    spend = ledger.post(
        Book.TIME,
        TxnKind.SERVICE_SPEND,
        [(hours, D("-1")), (owner_account(pw.vol2, Book.TIME), D("1"))],
        actor=pw.world.office,
    )
    with pytest.raises(PracticeError, match="余额已不足以冲销"):
        statements.correct(credit, actor=pw.world.office, reason="时长录错")
    statements.correct(spend, actor=pw.world.office, reason="未服务")
    statements.correct(credit, actor=pw.world.office, reason="时长录错")
    assert ledger.balance(hours) == D("0")
    with pytest.raises(PracticeError, match="请说明更正原因"):
        statements.correct(spend, actor=pw.world.office, reason="")
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_accounts_queryset_is_scoped_filtered_and_never_by_balance(pw: PracticeWorld) -> None:
    for owner in (pw.h1, pw.h2, pw.vol1, pw.other_household):
        owner_account(owner)
    office = statements.accounts_queryset(pw.world.office, book=Book.POINTS)
    assert [statements.account_label(a) for a in office] == [
        "H-C1-001 王大妈",
        "志愿者甲",
        "H-C2-001 李大爷",
    ]
    assert list(statements.accounts_queryset(pw.world.user_s1, book=Book.POINTS)) == [
        owner_account(pw.h1),
        owner_account(pw.vol1),
    ]
    assert list(statements.accounts_queryset(pw.world.office, book=Book.POINTS, q="李")) == [
        owner_account(pw.h2)
    ]
    assert list(
        statements.accounts_queryset(pw.world.office, book=Book.POINTS, kind="volunteer")
    ) == [owner_account(pw.vol1)]
    assert list(statements.accounts_queryset(pw.other_office, book=Book.POINTS)) == [
        owner_account(pw.other_household)
    ]
