"""Reading the two banks: account lists with balances, an account's statement with a running
balance, the rows of its export; and the office's correction of a transaction.

Balances are always derived from entries (``ledger.balances``: one grouped query for a page of
accounts). A statement's opening balance is the sum of the entries before its first day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import reverse_award
from chuangcheng.practice.domain.redeem import reverse_redemption
from chuangcheng.practice.enums import AccountKind, Book
from chuangcheng.practice.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    PointsAward,
    Redemption,
)

ZERO = Decimal("0")


def account_label(account: LedgerAccount) -> str:
    """Who an account belongs to, as a person reads it (the bank's own accounts by name)."""
    if account.kind == AccountKind.SYSTEM:
        return f"{account.get_system_display()}（{account.region.name}）"
    if account.household_id is not None and account.household is not None:
        return f"{account.household.code} {account.household.head_name}"
    if account.volunteer is not None:
        return account.volunteer.name
    return str(account)


def accounts_queryset(
    user: Any, *, book: str, kind: str = "", region: str = "", q: str = ""
) -> Any:
    """The accounts of ``book`` the user may see, filtered: ``kind`` (household, volunteer,
    system), ``region`` (a region path prefix), ``q`` (household number, address, head of
    household or volunteer name). Ordered by community and owner, never by balance."""
    qs = (
        LedgerAccount.objects.visible_to(user)
        .filter(book=book)
        .select_related("region", "household", "volunteer")
    )
    # Without a kind, the owners' accounts: the bank's own are asked for by name.
    qs = qs.filter(kind=kind) if kind in AccountKind.values else qs.exclude(kind=AccountKind.SYSTEM)
    if region:
        qs = qs.filter(region__path__startswith=region)
    if q:
        qs = qs.filter(
            Q(household__code__icontains=q)
            | Q(household__address__icontains=q)
            | Q(household__head_name__icontains=q)
            | Q(volunteer__name__icontains=q)
        )
    return qs.order_by("region__path", "kind", "household__code", "volunteer__name", "pk")


def with_balances(accounts: list[LedgerAccount]) -> list[tuple[LedgerAccount, Decimal]]:
    found = ledger.balances(accounts)
    return [(a, found[a.pk]) for a in accounts]


@dataclass
class Line:
    """One row of a statement: a transaction as the account saw it."""

    txn: LedgerTransaction
    at: dt.datetime
    amount: Decimal
    balance: Decimal
    counterparty: str
    award: PointsAward | None = None
    redemption: Redemption | None = None
    reversed_by: int | None = None


@dataclass
class Statement:
    account: LedgerAccount
    start: dt.date
    end: dt.date
    opening: Decimal
    closing: Decimal = ZERO
    credits: Decimal = ZERO
    debits: Decimal = ZERO
    lines: list[Line] = field(default_factory=list)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    lo = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    hi = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    return lo, hi


def statement(account: LedgerAccount, start: dt.date, end: dt.date) -> Statement:
    """The account's movements from ``start`` to ``end`` (local days, both included), oldest
    first, with the balance after each; a constant number of queries whatever the length."""
    lo, hi = _bounds(start, end)
    opening = LedgerEntry.objects.filter(account=account, txn__created_at__lt=lo).aggregate(
        s=Sum("amount")
    )["s"]
    result = Statement(account=account, start=start, end=end, opening=opening or ZERO)
    others = LedgerEntry.objects.exclude(account=account).select_related(
        "account__region", "account__household", "account__volunteer"
    )
    entries = (
        LedgerEntry.objects.filter(account=account, txn__created_at__gte=lo, txn__created_at__lt=hi)
        .select_related(
            "txn",
            "txn__reversed_by",
            "txn__award__item",
            "txn__redemption__goods__site",
        )
        .prefetch_related(Prefetch("txn__entries", queryset=others, to_attr="other_entries"))
        .order_by("txn__created_at", "txn_id", "pk")
    )
    running = result.opening
    for entry in entries:
        running += entry.amount
        txn = entry.txn
        if entry.amount > 0:
            result.credits += entry.amount
        else:
            result.debits -= entry.amount
        names = sorted({account_label(e.account) for e in getattr(txn, "other_entries", [])})
        result.lines.append(
            Line(
                txn=txn,
                at=txn.created_at,
                amount=entry.amount,
                balance=running,
                counterparty="、".join(names),
                award=getattr(txn, "award", None),
                redemption=getattr(txn, "redemption", None),
                reversed_by=_reversal_id(txn),
            )
        )
    result.closing = running
    return result


def _reversal_id(txn: LedgerTransaction) -> int | None:
    try:
        return int(txn.reversed_by.pk)
    except LedgerTransaction.DoesNotExist:
        return None


def statement_table(st: Statement) -> tuple[list[str], list[list[Any]]]:
    """Headers and rows of a statement export (opening and closing lines included)."""
    unit = pgettext("bank", "Hours") if st.account.book == Book.TIME else pgettext("bank", "Points")
    headers = [
        pgettext("bank", "Date"),
        pgettext("bank", "Transaction"),
        pgettext("bank", "Kind"),
        pgettext("bank", "Memo"),
        pgettext("bank", "Counterparty"),
        unit,
        pgettext("bank", "Balance"),
    ]
    rows: list[list[Any]] = [
        ["", "", pgettext("bank", "Opening balance"), "", "", "", float(st.opening)]
    ]
    for line in st.lines:
        rows.append(
            [
                timezone.localtime(line.at).strftime("%Y-%m-%d %H:%M"),
                line.txn.pk,
                str(line.txn.get_kind_display()),
                line.txn.memo,
                line.counterparty,
                float(line.amount),
                float(line.balance),
            ]
        )
    rows.append(["", "", pgettext("bank", "Closing balance"), "", "", "", float(st.closing)])
    return headers, rows


def may_correct(user: Any, txn: LedgerTransaction) -> bool:
    """The office over every owner account of the transaction may correct it."""
    owners = [e.account for e in txn.entries.all() if e.account.kind != AccountKind.SYSTEM]
    return bool(owners) and all(user.has_perm("practice.correct_ledger", a) for a in owners)


def correct(txn: LedgerTransaction, *, actor: Any, reason: str) -> LedgerTransaction:
    """Correct a transaction with a reason, through the domain that made it: an award is taken
    back (:func:`reverse_award`), a redemption undone with its stock (:func:`reverse_redemption`),
    anything else reversed in the ledger. Guarantees: no owner account is left below zero."""
    if not reason.strip():
        raise PracticeError({"reason": [_("Say why this is corrected.")]})
    txn_with = LedgerTransaction.objects.prefetch_related("entries__account__region").get(pk=txn.pk)
    if not may_correct(actor, txn_with):
        raise PermissionDenied
    entries = list(txn_with.entries.all())
    award = PointsAward.objects.filter(txn=txn).select_related("account").first()
    if award is not None:
        return reverse_award(award, actor=actor, reason=reason.strip())
    redemption = Redemption.objects.filter(txn=txn).select_related("goods__site").first()
    if redemption is not None:
        return reverse_redemption(redemption, actor=actor, reason=reason.strip())
    owners = [e.account for e in entries if e.account.kind != AccountKind.SYSTEM]
    with transaction.atomic():
        ledger.lock(owners)
        held = ledger.balances(owners)
        for e in entries:
            if e.account.kind != AccountKind.SYSTEM and held[e.account.pk] - e.amount < 0:
                raise PracticeError(
                    _("%(owner)s no longer holds enough to take this back.")
                    % {"owner": account_label(e.account)}
                )
        return ledger.reverse(txn, actor=actor, memo=reason.strip())
