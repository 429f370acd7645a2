"""The double-entry ledger: the only code that writes ledger rows.

- :func:`post` writes one balanced transaction (entries summing to zero) or nothing.
- :func:`reverse` corrects a transaction by posting its mirror image; nothing is ever edited.
- :func:`balance` and :func:`balances` derive balances from entries.
- :func:`lock` takes a row lock on accounts before a balance check, so two spends racing for the
  same balance are serialized (PostgreSQL ``SELECT … FOR UPDATE``; SQLite serializes writers).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import AccountKind, Book, SystemAccount, TxnKind
from chuangcheng.practice.models import (
    Household,
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Volunteer,
)

ZERO = Decimal("0")


def system_account(book: str, system: str, region: Region) -> LedgerAccount:
    """The bank's own account ``system`` of ``book`` for ``region`` (created on first use)."""
    account, _created = LedgerAccount.objects.get_or_create(
        book=book, system=system, region=region, defaults={"kind": AccountKind.SYSTEM}
    )
    return account


def volunteer_account(book: str, volunteer: Volunteer) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        book=book,
        volunteer=volunteer,
        defaults={"kind": AccountKind.VOLUNTEER, "region_id": volunteer.region_id},
    )
    return account


def household_account(book: str, household: Household) -> LedgerAccount:
    account, _created = LedgerAccount.objects.get_or_create(
        book=book,
        household=household,
        defaults={"kind": AccountKind.HOUSEHOLD, "region_id": household.region_id},
    )
    return account


def lock(accounts: Iterable[LedgerAccount]) -> None:
    """Lock the accounts' rows until the surrounding transaction ends, in id order (so two
    transactions locking the same pair cannot deadlock). Call inside ``transaction.atomic``."""
    ids = sorted({a.pk for a in accounts})
    list(LedgerAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk"))


def post(
    book: str,
    kind: str,
    legs: Sequence[tuple[LedgerAccount, Decimal]],
    *,
    actor: Any,
    memo: str = "",
    reverses: LedgerTransaction | None = None,
) -> LedgerTransaction:
    """Write one transaction of ``book`` with one entry per leg, or refuse: the amounts must sum
    to zero, none may be zero, and every account must belong to ``book``."""
    if len(legs) < 2:
        raise PracticeError(_("A ledger transaction needs at least two entries."))
    if any(amount == ZERO for _acc, amount in legs):
        raise PracticeError(_("A ledger entry cannot be zero."))
    if sum((amount for _acc, amount in legs), ZERO) != ZERO:
        raise PracticeError(_("The entries of a ledger transaction must add up to zero."))
    if any(acc.book != book for acc, _amount in legs):
        raise PracticeError(_("Every entry must be in the same book."))
    with transaction.atomic():
        txn = LedgerTransaction.objects.create(
            book=book,
            kind=kind,
            memo=memo[:200],
            reverses=reverses,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        LedgerEntry.objects.bulk_create(
            [LedgerEntry(txn=txn, account=acc, amount=amount) for acc, amount in legs]
        )
        audit.record(
            actor,
            AuditAction.CREATE,
            txn,
            after={
                "book": book,
                "kind": kind,
                "memo": memo,
                "entries": [[acc.pk, str(amount)] for acc, amount in legs],
                "reverses": reverses.pk if reverses else None,
            },
        )
    return txn


def reverse(txn: LedgerTransaction, *, actor: Any, memo: str) -> LedgerTransaction:
    """Correct ``txn`` by posting the opposite of each of its entries. A transaction is reversed
    at most once, and a reversal is not itself reversed (post a new transaction instead)."""
    if not memo.strip():
        raise PracticeError({"memo": [_("Say why this is corrected.")]})
    with transaction.atomic():
        locked = LedgerTransaction.objects.select_for_update().get(pk=txn.pk)
        if locked.reverses_id is not None:
            raise PracticeError(_("A correction cannot itself be reversed."))
        if LedgerTransaction.objects.filter(reverses=locked).exists():
            raise PracticeError(_("This transaction has already been reversed."))
        legs = [(e.account, -e.amount) for e in locked.entries.select_related("account")]
        return post(locked.book, TxnKind.REVERSAL, legs, actor=actor, memo=memo, reverses=locked)


def balance(account: LedgerAccount) -> Decimal:
    """The account's balance: the sum of its entries (0 for an account with none)."""
    total = LedgerEntry.objects.filter(account=account).aggregate(s=Sum("amount"))["s"]
    return total if total is not None else ZERO


def balances(accounts: Iterable[LedgerAccount | int]) -> dict[int, Decimal]:
    """Balances of many accounts in one query (accounts without entries get 0)."""
    ids = [a if isinstance(a, int) else a.pk for a in accounts]
    result = dict.fromkeys(ids, ZERO)
    rows = (
        LedgerEntry.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(s=Sum("amount"))
        .values_list("account_id", "s")
    )
    for account_id, total in rows:
        result[account_id] = total
    return result


def book_total(book: str) -> Decimal:
    """The sum of every entry of ``book``: zero, always (the double-entry invariant)."""
    total = LedgerEntry.objects.filter(txn__book=book).aggregate(s=Sum("amount"))["s"]
    return total if total is not None else ZERO


__all__ = [
    "Book",
    "SystemAccount",
    "balance",
    "balances",
    "book_total",
    "household_account",
    "lock",
    "post",
    "reverse",
    "system_account",
    "volunteer_account",
]
