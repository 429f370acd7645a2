"""The two banks under /api/v1/practice/bank/: accounts and statements (both books), the
居民公约, awarding points, the 爱心超市's goods and redeeming them.

The same querysets and rules as the pages: accounts, goods and owners outside the user's scope
answer 404; a refused move (monthly cap, window, minimum balance, balance, stock) answers 409 with
the reason; a body sent again with the same ``client_ref`` answers 200 with what was done the
first time instead of doing it twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status
from ninja.errors import HttpError

from chuangcheng.core.api_support import Error
from chuangcheng.practice.api_bank_schemas import (
    BankAccountFilter,
    BankAccountPageOut,
    BankAwardIn,
    BankAwardOut,
    BankConventionItemOut,
    BankGoodsOut,
    BankReasonIn,
    BankRedeemIn,
    BankRedemptionOut,
    BankStatementOut,
)
from chuangcheng.practice.domain import ledger, statements
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import Owner, award_points
from chuangcheng.practice.domain.redeem import redeem, reverse_redemption
from chuangcheng.practice.models import (
    ConventionItem,
    Goods,
    Household,
    LedgerAccount,
    PointsAward,
    Redemption,
    Volunteer,
)

router = Router(tags=["practice"])
CENT = Decimal("0.01")


def _d(value: Decimal) -> Decimal:
    """Amounts always with two decimals, whatever the database's sum returned."""
    return value.quantize(CENT)


def _account_out(account: LedgerAccount, balance: Decimal) -> dict[str, Any]:
    return {
        "id": account.pk,
        "book": account.book,
        "kind": account.kind,
        "owner": statements.account_label(account),
        "household": account.household_id,
        "volunteer": account.volunteer_id,
        "community": account.region.name,
        "balance": _d(balance),
    }


def _refused(exc: PracticeError) -> HttpError:
    return HttpError(409, " ".join(m for ms in exc.errors.values() for m in ms))


def _owner(request: HttpRequest, household: int | None, volunteer: int | None) -> Owner:
    """The household or volunteer named in the body, from the visible querysets (else 404)."""
    found: Owner | None = None
    if household is not None and volunteer is None:
        found = (
            Household.objects.visible_to(request.user)
            .select_related("region")
            .filter(pk=household, active=True)
            .first()
        )
    elif volunteer is not None and household is None:
        found = (
            Volunteer.objects.visible_to(request.user)
            .select_related("region")
            .filter(pk=volunteer, active=True)
            .first()
        )
    else:
        raise HttpError(422, "Name one household or one volunteer.")
    if found is None:
        raise Http404
    return found


@router.get(
    "/accounts",
    response={200: BankAccountPageOut, 403: Error},
    summary="Accounts of one book with their balances (owners by community, never ranked)",
)
def list_accounts(request: HttpRequest, filters: Query[BankAccountFilter]) -> dict[str, Any]:
    if not request.user.has_perm("practice.view_network"):
        raise HttpError(403, "Not allowed.")
    qs = statements.accounts_queryset(
        request.user, book=filters.book, kind=filters.kind, region=filters.region, q=filters.q
    )
    rows = list(qs[filters.offset : filters.offset + filters.limit])
    return {
        "count": qs.count(),
        "items": [_account_out(a, b) for a, b in statements.with_balances(rows)],
    }


@router.get(
    "/accounts/{account_id}/statement",
    response={200: BankStatementOut, 404: Error},
    summary="An account's statement with a running balance",
)
def account_statement(
    request: HttpRequest, account_id: int, start: dt.date, end: dt.date
) -> dict[str, Any]:
    account = (
        LedgerAccount.objects.visible_to(request.user)
        .select_related("region", "household", "volunteer")
        .filter(pk=account_id)
        .first()
    )
    if account is None:
        raise Http404
    st = statements.statement(account, start, end)
    return {
        "account": _account_out(account, st.closing),
        "start": st.start,
        "end": st.end,
        "opening": _d(st.opening),
        "credits": _d(st.credits),
        "debits": _d(st.debits),
        "closing": _d(st.closing),
        "lines": [
            {
                "txn": line.txn.pk,
                "at": line.at,
                "kind": line.txn.kind,
                "memo": line.txn.memo,
                "counterparty": line.counterparty,
                "amount": _d(line.amount),
                "balance": _d(line.balance),
                "reverses": line.txn.reverses_id,
                "reversed_by": line.reversed_by,
            }
            for line in st.lines
        ],
    }


@router.get(
    "/convention-items",
    response=list[BankConventionItemOut],
    summary="The 居民公约 items the user sees",
)
def convention_items(request: HttpRequest) -> list[dict[str, Any]]:
    items = ConventionItem.objects.visible_to(request.user).select_related("region")
    return [
        {
            "id": i.pk,
            "region": i.region.code,
            "code": i.code,
            "title": i.title,
            "description": i.description,
            "points": i.points,
            "monthly_cap": i.monthly_cap,
            "active": i.active,
        }
        for i in items.order_by("region__path", "seq", "code")
    ]


@router.post(
    "/awards",
    response={200: BankAwardOut, 201: BankAwardOut, 403: Error, 404: Error, 409: Error, 422: Error},
    summary="Award a convention item's points to a household or a volunteer",
)
def post_award(request: HttpRequest, payload: BankAwardIn) -> Status[dict[str, Any]]:
    owner = _owner(request, payload.household, payload.volunteer)
    item = ConventionItem.objects.visible_to(request.user).filter(pk=payload.item).first()
    if item is None:
        raise Http404
    try:
        award, created = award_points(
            actor=request.user,
            item=item,
            owner=owner,
            note=payload.note,
            client_ref=payload.client_ref.strip(),
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Not allowed.") from exc
    except PracticeError as exc:
        raise _refused(exc) from exc
    return Status(201 if created else 200, _award_out(award))


def _award_out(award: PointsAward) -> dict[str, Any]:
    return {
        "id": award.pk,
        "item": award.item_id,
        "account": award.account_id,
        "points": award.points,
        "txn": award.txn_id,
        "balance": _d(ledger.balance(award.account)),
        "awarded_at": award.awarded_at,
    }


@router.get("/goods", response=list[BankGoodsOut], summary="Goods of the 爱心超市 counters")
def list_goods(request: HttpRequest, site: int | None = None) -> list[dict[str, Any]]:
    goods = Goods.objects.visible_to(request.user).select_related("site")
    if site is not None:
        goods = goods.filter(site_id=site)
    return [
        {
            "id": g.pk,
            "site": g.site_id,
            "site_name": g.site.name,
            "name": g.name,
            "description": g.description,
            "price": g.price,
            "stock": g.stock,
            "active": g.active,
        }
        for g in goods.order_by("site__region__path", "price", "name")
    ]


@router.post(
    "/redemptions",
    response={
        200: BankRedemptionOut,
        201: BankRedemptionOut,
        403: Error,
        404: Error,
        409: Error,
        422: Error,
    },
    summary="Redeem goods for a household's or volunteer's points",
)
def post_redemption(request: HttpRequest, payload: BankRedeemIn) -> Status[dict[str, Any]]:
    owner = _owner(request, payload.household, payload.volunteer)
    goods = (
        Goods.objects.visible_to(request.user)
        .select_related("site__region")
        .filter(pk=payload.goods)
        .first()
    )
    if goods is None:
        raise Http404
    try:
        made, created = redeem(
            actor=request.user,
            goods=goods,
            owner=owner,
            quantity=payload.quantity,
            client_ref=payload.client_ref.strip(),
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Not allowed.") from exc
    except PracticeError as exc:
        raise _refused(exc) from exc
    return Status(201 if created else 200, _redemption_out(made))


def _redemption_out(made: Redemption) -> dict[str, Any]:
    return {
        "id": made.pk,
        "goods": made.goods_id,
        "account": made.account_id,
        "quantity": made.quantity,
        "points": made.points,
        "status": made.status,
        "txn": made.txn_id,
        "balance": _d(ledger.balance(made.account)),
        "stock": Goods.objects.values_list("stock", flat=True).get(pk=made.goods_id),
        "at": made.at,
    }


@router.post(
    "/redemptions/{redemption_id}/reverse",
    response={200: BankRedemptionOut, 403: Error, 404: Error, 409: Error},
    summary="Undo a redemption (goods returned): points and stock come back",
)
def post_reverse(request: HttpRequest, redemption_id: int, payload: BankReasonIn) -> dict[str, Any]:
    found = (
        Redemption.objects.visible_to(request.user)
        .select_related("goods__site__region", "account")
        .filter(pk=redemption_id)
        .first()
    )
    if found is None:
        raise Http404
    try:
        reverse_redemption(found, actor=request.user, reason=payload.reason)
    except PermissionDenied as exc:
        raise HttpError(403, "Not allowed.") from exc
    except PracticeError as exc:
        raise _refused(exc) from exc
    return _redemption_out(found)
