"""文明储蓄银行: awarding 居民公约 points to a household or a volunteer, and taking an award back.

- :func:`award_points` posts one POINTS transaction (the district's ``points_issued`` account
  pays, the owner's account receives) in the same database transaction as the
  :class:`PointsAward` row, after checking the item's monthly cap with the account locked.
- :func:`reverse_award` corrects an award (office only): the mirror transaction, refused when
  the points were spent already (the balance would go below zero).

Owners are households or volunteers; the helpers here find their points account and the bank
(the district) whose system accounts balance theirs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.models import Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import Book, SystemAccount, TxnKind
from chuangcheng.practice.models import (
    ConventionItem,
    Household,
    LedgerAccount,
    LedgerTransaction,
    PointsAward,
    Volunteer,
)

Owner = Household | Volunteer


def bank_region(region: Region) -> Region:
    """The region whose bank balances accounts of ``region``: the district holding it (or the
    root of its tree when no level above is a district)."""
    paths = sorted(containing_paths([region.path]))
    found = (
        Region.objects.filter(path__in=paths, level=RegionLevel.DISTRICT).order_by("-path").first()
    )
    if found is not None:
        return found
    root = Region.objects.filter(path=paths[0]).first() if paths else None
    return root or region


def owner_account(owner: Owner, book: str = Book.POINTS) -> LedgerAccount:
    """The owner's account in ``book`` (created on first use)."""
    if isinstance(owner, Household):
        return ledger.household_account(book, owner)
    return ledger.volunteer_account(book, owner)


def existing_account(owner: Owner, book: str = Book.POINTS) -> LedgerAccount | None:
    """The owner's account in ``book`` if it exists (reading a balance creates nothing)."""
    if isinstance(owner, Household):
        return LedgerAccount.objects.filter(book=book, household=owner).first()
    return LedgerAccount.objects.filter(book=book, volunteer=owner).first()


def owner_balance(owner: Owner, book: str = Book.POINTS) -> Decimal:
    account = existing_account(owner, book)
    return ledger.balance(account) if account is not None else Decimal("0")


def owner_of(account: LedgerAccount) -> Owner | None:
    return account.household or account.volunteer


def items_for(region: Region) -> Any:
    """The active 居民公约 items that apply in ``region`` (defined over it or above it)."""
    return ConventionItem.objects.filter(
        region__path__in=sorted(containing_paths([region.path])), active=True
    ).order_by("seq", "code")


def month_start(now: dt.datetime | None = None) -> dt.datetime:
    """Midnight of the first day of the current month, local time."""
    local = timezone.localtime(now)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def times_this_month(account: LedgerAccount, item: ConventionItem, now: dt.datetime) -> int:
    """Awards of ``item`` to ``account`` since the month began, not counting reversed ones."""
    return (
        PointsAward.objects.filter(
            account=account,
            item=item,
            awarded_at__gte=month_start(now),
            txn__reversed_by__isnull=True,
        )
        .distinct()
        .count()
    )


def award_points(
    *,
    actor: Any,
    item: ConventionItem,
    owner: Owner,
    note: str = "",
    photo: Photo | None = None,
    client_ref: str = "",
    now: dt.datetime | None = None,
) -> tuple[PointsAward, bool]:
    """Award ``item.points`` to ``owner``; returns ``(award, created)``.

    Guarantees: the award row and its balanced POINTS transaction are written together or not
    at all; the item applies in the owner's region and is active; the item's ``monthly_cap``
    is never exceeded for one account (checked with the account locked, so two staff awarding
    at the same moment cannot both pass it); a form sent twice with the same ``client_ref``
    returns the award already made (``created`` False) instead of awarding twice."""
    if not actor.has_perm("practice.award_points", owner):
        raise PermissionDenied
    when = now or timezone.now()
    try:
        with transaction.atomic():
            return _award(
                actor, item, owner, note=note.strip(), photo=photo, client_ref=client_ref, when=when
            )
    except IntegrityError:
        # Two requests with one token raced; the other one committed first.
        earlier = PointsAward.objects.filter(client_ref=client_ref).first() if client_ref else None
        if earlier is None:
            raise
        return earlier, False


def _award(
    actor: Any,
    item: ConventionItem,
    owner: Owner,
    *,
    note: str,
    photo: Photo | None,
    client_ref: str,
    when: dt.datetime,
) -> tuple[PointsAward, bool]:
    account = owner_account(owner)
    ledger.lock([account])
    if client_ref:
        earlier = PointsAward.objects.filter(client_ref=client_ref).first()
        if earlier is not None:
            return earlier, False
    fresh = ConventionItem.objects.select_related("region").get(pk=item.pk)
    if not fresh.active:
        raise PracticeError({"item": [_("This item of the convention is no longer in use.")]})
    if not owner.region.path.startswith(fresh.region.path):
        raise PracticeError({"item": [_("This item does not apply in the owner's community.")]})
    if fresh.monthly_cap and times_this_month(account, fresh, when) >= fresh.monthly_cap:
        raise PracticeError(
            {
                "item": [
                    _(
                        "%(owner)s has already earned “%(item)s” %(n)d times this month, "
                        "the most the convention allows."
                    )
                    % {"owner": owner, "item": fresh.title, "n": fresh.monthly_cap}
                ]
            }
        )
    issued = ledger.system_account(
        Book.POINTS, SystemAccount.POINTS_ISSUED, bank_region(owner.region)
    )
    points = Decimal(fresh.points)
    txn = ledger.post(
        Book.POINTS,
        TxnKind.AWARD,
        [(issued, -points), (account, points)],
        actor=actor,
        memo=fresh.title + (f" · {note}" if note else ""),
    )
    award = PointsAward.objects.create(
        item=fresh,
        account=account,
        points=fresh.points,
        note=note[:300],
        photo=photo,
        txn=txn,
        awarded_by=actor if getattr(actor, "is_authenticated", False) else None,
        client_ref=client_ref,
    )
    audit.record(actor, AuditAction.CREATE, award, after=audit.snapshot(award))
    return award, True


def is_reversed(txn: LedgerTransaction) -> bool:
    return LedgerTransaction.objects.filter(reverses=txn).exists()


def reverse_award(award: PointsAward, *, actor: Any, reason: str) -> LedgerTransaction:
    """Take an award back (office; a mistaken or disputed award). Guarantees: the mirror
    transaction is posted once; refused when the owner has spent the points already (their
    balance would go below zero: reverse the redemption first)."""
    if not actor.has_perm("practice.correct_ledger", award.account):
        raise PermissionDenied
    with transaction.atomic():
        ledger.lock([award.account])
        if ledger.balance(award.account) < award.points:
            raise PracticeError(
                _(
                    "The account no longer holds these points (some were redeemed): "
                    "reverse the redemption first."
                )
            )
        fix = ledger.reverse(award.txn, actor=actor, memo=reason)
        audit.record(
            actor,
            AuditAction.UPDATE,
            award,
            before={"reversed": False},
            after={"reversed": True, "reversal": fix.pk},
            note=reason[:200],
        )
    return fix
