"""The double-entry ledger: balanced or nothing, reversals instead of edits, derived balances."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import Book, SystemAccount, TxnKind
from chuangcheng.practice.models import LedgerEntry, LedgerTransaction
from tests.practice.conftest import PracticeWorld

D = Decimal


def _accounts(pw: PracticeWorld):
    issued = ledger.system_account(Book.TIME, SystemAccount.TIME_ISSUED, pw.world.district)
    a1 = ledger.volunteer_account(Book.TIME, pw.vol1)
    a2 = ledger.volunteer_account(Book.TIME, pw.vol2)
    return issued, a1, a2


def test_post_writes_balanced_entries_and_balances_are_derived(pw: PracticeWorld) -> None:
    issued, a1, a2 = _accounts(pw)
    ledger.post(
        Book.TIME,
        TxnKind.SERVICE_CREDIT,
        [(issued, D("-2.5")), (a1, D("2.5"))],
        actor=pw.world.office,
    )
    ledger.post(
        Book.TIME, TxnKind.SERVICE_CREDIT, [(issued, D("-1")), (a2, D("1"))], actor=pw.world.office
    )
    ledger.post(
        Book.TIME, TxnKind.SERVICE_SPEND, [(a1, D("-0.5")), (a2, D("0.5"))], actor=pw.world.office
    )
    assert ledger.balance(a1) == D("2.0")
    assert ledger.balance(a2) == D("1.5")
    assert ledger.balance(issued) == D("-3.5")
    assert ledger.balances([a1, a2, issued]) == {
        a1.pk: D("2.0"),
        a2.pk: D("1.5"),
        issued.pk: D("-3.5"),
    }
    assert ledger.book_total(Book.TIME) == D("0")
    assert LedgerEntry.objects.count() == 6
    assert AuditEntry.objects.filter(object_type__icontains="ledgertransaction").count() == 3


@pytest.mark.parametrize(
    "legs_spec, message",
    [
        ([("issued", "-1"), ("a1", "0.5")], "合计必须为零"),
        ([("issued", "0"), ("a1", "0")], "不能为零"),
        ([("a1", "1")], "至少需要两条"),
    ],
)
def test_unbalanced_or_empty_transactions_are_refused_and_write_nothing(
    pw: PracticeWorld, legs_spec: list[tuple[str, str]], message: str
) -> None:
    issued, a1, _a2 = _accounts(pw)
    named = {"issued": issued, "a1": a1}
    with pytest.raises(PracticeError, match=message):
        ledger.post(
            Book.TIME, TxnKind.ADJUSTMENT, [(named[n], D(v)) for n, v in legs_spec], actor=None
        )
    assert LedgerTransaction.objects.count() == 0
    assert LedgerEntry.objects.count() == 0


def test_entries_of_two_books_never_mix(pw: PracticeWorld) -> None:
    issued, _a1, _a2 = _accounts(pw)
    points = ledger.household_account(Book.POINTS, pw.h1)
    with pytest.raises(PracticeError, match="同一账本"):
        ledger.post(
            Book.TIME, TxnKind.ADJUSTMENT, [(issued, D("-1")), (points, D("1"))], actor=None
        )
    assert LedgerTransaction.objects.count() == 0


def test_reverse_posts_the_mirror_once_and_never_edits(pw: PracticeWorld) -> None:
    issued, a1, _a2 = _accounts(pw)
    txn = ledger.post(
        Book.TIME, TxnKind.SERVICE_CREDIT, [(issued, D("-3")), (a1, D("3"))], actor=None
    )
    fix = ledger.reverse(txn, actor=pw.world.office, memo="时长录错")
    assert fix.reverses_id == txn.pk
    assert sorted(fix.entries.values_list("amount", flat=True)) == [D("-3"), D("3")]
    assert ledger.balance(a1) == D("0")
    # the original is untouched
    assert sorted(txn.entries.values_list("amount", flat=True)) == [D("-3"), D("3")]
    with pytest.raises(PracticeError, match="已冲销过"):
        ledger.reverse(txn, actor=pw.world.office, memo="again")
    with pytest.raises(PracticeError, match="不能再冲销"):
        ledger.reverse(fix, actor=pw.world.office, memo="undo the undo")
    with pytest.raises(PracticeError):
        ledger.reverse(txn, actor=pw.world.office, memo="  ")
    assert LedgerTransaction.objects.count() == 2
    assert ledger.book_total(Book.TIME) == D("0")


def test_database_refuses_a_zero_entry(pw: PracticeWorld) -> None:
    issued, a1, _a2 = _accounts(pw)
    txn = ledger.post(
        Book.TIME, TxnKind.SERVICE_CREDIT, [(issued, D("-1")), (a1, D("1"))], actor=None
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.create(txn=txn, account=a1, amount=D("0"))


def test_one_account_per_owner_and_book(pw: PracticeWorld) -> None:
    a = ledger.volunteer_account(Book.TIME, pw.vol1)
    assert ledger.volunteer_account(Book.TIME, pw.vol1) == a
    assert ledger.volunteer_account(Book.POINTS, pw.vol1) != a
    s = ledger.system_account(Book.POINTS, SystemAccount.POINTS_ISSUED, pw.world.district)
    assert ledger.system_account(Book.POINTS, SystemAccount.POINTS_ISSUED, pw.world.district) == s
