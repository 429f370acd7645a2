"""Redeeming points for goods at a 爱心超市 counter, and undoing a redemption.

:func:`redeem` does everything in ONE database transaction, in this order: the site's windows;
the owner's account locked (``ledger.lock``, ``SELECT … FOR UPDATE`` on PostgreSQL); the minimum
balance and the price checked against the balance read under that lock; the stock taken with
one conditional ``UPDATE … WHERE stock >= qty``; the REDEMPTION transaction posted; the
:class:`Redemption` written. Two redemptions racing for the last item, or for the same points,
cannot both pass: the second waits for the first's lock (or the stock row) and then sees what
it left. On SQLite writers are serialized (``BEGIN IMMEDIATE`` and a busy timeout), and a
refused or failed attempt rolls back whole.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import Owner, bank_region, owner_account
from chuangcheng.practice.domain.points_shop import open_now
from chuangcheng.practice.enums import Book, RedemptionStatus, SystemAccount, TxnKind
from chuangcheng.practice.models import Goods, LedgerTransaction, Redemption, RedemptionWindow


def redeem(
    *,
    actor: Any,
    goods: Goods,
    owner: Owner,
    quantity: int = 1,
    client_ref: str = "",
    now: dt.datetime | None = None,
) -> tuple[Redemption, bool]:
    """``owner`` takes ``quantity`` of ``goods`` for their points; returns
    ``(redemption, created)``. Refused (``PracticeError``, nothing written) outside the site's
    windows, below the site's minimum balance, when the balance does not cover the price, or
    when the stock does not; a form sent twice with the same ``client_ref`` returns the
    redemption already made (``created`` False) and takes nothing more."""
    if not actor.has_perm("practice.redeem", goods.site):
        raise PermissionDenied
    if quantity < 1:
        raise PracticeError({"quantity": [_("Take at least one.")]})
    try:
        with transaction.atomic():
            return _redeem(
                actor, goods, owner, quantity, client_ref=client_ref, now=now or timezone.now()
            )
    except IntegrityError:
        earlier = Redemption.objects.filter(client_ref=client_ref).first() if client_ref else None
        if earlier is None:
            raise
        return earlier, False


def _redeem(
    actor: Any, goods: Goods, owner: Owner, quantity: int, *, client_ref: str, now: dt.datetime
) -> tuple[Redemption, bool]:
    fresh = Goods.objects.select_related("site", "site__region").get(pk=goods.pk)
    site = fresh.site
    account = owner_account(owner)
    ledger.lock([account])
    if client_ref:
        earlier = Redemption.objects.filter(client_ref=client_ref).first()
        if earlier is not None:
            return earlier, False
    if not fresh.active:
        raise PracticeError({"goods": [_("These goods are not on the shelf.")]})
    windows = list(RedemptionWindow.objects.filter(site=site))
    if not open_now(windows, now):
        raise PracticeError(
            {"__all__": [_("%(site)s redeems only at the times shown.") % {"site": site.name}]}
        )
    balance = ledger.balance(account)
    if balance < site.min_redeem_balance:
        raise PracticeError(
            {
                "__all__": [
                    _(
                        "An account needs at least %(min)d points to redeem here; "
                        "this one holds %(balance)s."
                    )
                    % {"min": site.min_redeem_balance, "balance": _points(balance)}
                ]
            }
        )
    points = fresh.price * quantity
    if balance < points:
        raise PracticeError(
            {
                "__all__": [
                    _("Not enough points: %(need)d needed, %(balance)s held.")
                    % {"need": points, "balance": _points(balance)}
                ]
            }
        )
    taken = Goods.objects.filter(pk=fresh.pk, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    if taken == 0:
        raise PracticeError({"quantity": [_("Out of stock: not enough left on the shelf.")]})
    redeemed = ledger.system_account(
        Book.POINTS, SystemAccount.POINTS_REDEEMED, bank_region(account.region)
    )
    amount = Decimal(points)
    txn = ledger.post(
        Book.POINTS,
        TxnKind.REDEMPTION,
        [(account, -amount), (redeemed, amount)],
        actor=actor,
        memo=f"{fresh.name} ×{quantity} · {site.name}",
    )
    redemption = Redemption.objects.create(
        goods=fresh,
        account=account,
        quantity=quantity,
        points=points,
        txn=txn,
        handled_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_ref=client_ref,
    )
    audit.record(
        actor,
        AuditAction.CREATE,
        redemption,
        after={**audit.snapshot(redemption), "stock_taken": quantity},
    )
    return redemption, True


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


def reverse_redemption(redemption: Redemption, *, actor: Any, reason: str) -> LedgerTransaction:
    """Undo a redemption (the goods came back, or it was a mistake): the points return by a
    reversing transaction, the stock goes back up, the status becomes reversed — together, and
    once."""
    if not actor.has_perm("practice.redeem", redemption.goods.site):
        raise PermissionDenied
    if not reason.strip():
        raise PracticeError({"reason": [_("Say why this is corrected.")]})
    with transaction.atomic():
        locked = Redemption.objects.select_for_update().get(pk=redemption.pk)
        if locked.status == RedemptionStatus.REVERSED:
            raise PracticeError(_("This redemption has already been reversed."))
        fix = ledger.reverse(locked.txn, actor=actor, memo=reason.strip())
        Goods.objects.filter(pk=locked.goods_id).update(stock=F("stock") + locked.quantity)
        Redemption.objects.filter(pk=locked.pk).update(status=RedemptionStatus.REVERSED)
        audit.record(
            actor,
            AuditAction.UPDATE,
            locked,
            before={"status": RedemptionStatus.DONE},
            after={
                "status": RedemptionStatus.REVERSED,
                "reversal": fix.pk,
                "stock_returned": locked.quantity,
            },
            note=reason.strip()[:200],
        )
    redemption.status = RedemptionStatus.REVERSED
    return fix
