"""The banks' front pages: a summary for staff (this month's movements in their scope, goods
running low) and "My balance" for a resident or volunteer. No rankings (the 减负 rules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import month_start
from chuangcheng.practice.domain.points_shop import open_now
from chuangcheng.practice.domain.statements import account_label
from chuangcheng.practice.enums import AccountKind, Book, TxnKind
from chuangcheng.practice.models import (
    Goods,
    LedgerAccount,
    LedgerEntry,
    PracticeSite,
    RedemptionWindow,
)
from chuangcheng.practice.views_access import need

LOW_STOCK = 3
HISTORY = 30
ZERO = Decimal("0")


@login_required
@require_GET
def bank_home(request: HttpRequest) -> HttpResponse:
    """This month in the user's scope: points awarded and redeemed, hours credited; goods low
    on stock. Sums over owner accounts (a reversal counts against its kind's figure)."""
    need(request, "practice.view_network")
    user = request.user
    since = month_start()
    owners = LedgerAccount.objects.visible_to(user).exclude(kind=AccountKind.SYSTEM)
    moved = (
        LedgerEntry.objects.filter(account__in=owners, txn__created_at__gte=since)
        .values("txn__book")
        .annotate(
            awarded=Sum("amount", filter=Q(txn__kind=TxnKind.AWARD)),
            redeemed=Sum("amount", filter=Q(txn__kind=TxnKind.REDEMPTION)),
            credited=Sum("amount", filter=Q(txn__kind=TxnKind.SERVICE_CREDIT)),
            corrected=Sum("amount", filter=Q(txn__kind=TxnKind.REVERSAL)),
            awards=Count("pk", filter=Q(txn__kind=TxnKind.AWARD)),
            redemptions=Count("pk", filter=Q(txn__kind=TxnKind.REDEMPTION)),
        )
    )
    figures: dict[str, dict[str, Any]] = {row["txn__book"]: dict(row) for row in moved}
    points = figures.get(Book.POINTS, {})
    time = figures.get(Book.TIME, {})
    low = list(
        Goods.objects.visible_to(user)
        .filter(active=True, stock__lt=LOW_STOCK)
        .select_related("site")
        .order_by("stock", "site__region__path", "name")[:20]
    )
    return render(
        request,
        "practice/bank/home.html",
        {
            "awarded": points.get("awarded") or ZERO,
            "awards": points.get("awards") or 0,
            "redeemed": -(points.get("redeemed") or ZERO),
            "redemptions": points.get("redemptions") or 0,
            "credited": time.get("credited") or ZERO,
            "low": low,
            "low_limit": LOW_STOCK,
            "may_award": user.has_perm("practice.award_points"),
            "may_redeem": user.has_perm("practice.redeem"),
            "since": since,
        },
    )


@login_required
@require_GET
def my_balance(request: HttpRequest) -> HttpResponse:
    """The user's household points, a volunteer's hours and points, the latest movements, and
    what their points buy at the counters of their region."""
    user = request.user
    accounts = list(
        LedgerAccount.objects.filter(
            Q(household__members=user, household__active=True) | Q(volunteer__user=user)
        )
        .select_related("region", "household", "volunteer")
        .distinct()
        .order_by("book", "kind", "pk")
    )
    balances = ledger.balances(accounts)
    history = list(
        LedgerEntry.objects.filter(account__in=accounts)
        .select_related("txn")
        .order_by("-txn__created_at", "-pk")[:HISTORY]
    )
    by_account: dict[int, list[LedgerEntry]] = {a.pk: [] for a in accounts}
    for entry in history:
        by_account[entry.account_id].append(entry)
    cards = [
        {
            "account": a,
            "label": account_label(a),
            "balance": balances[a.pk],
            "entries": by_account[a.pk],
        }
        for a in accounts
    ]
    best = max((balances[a.pk] for a in accounts if a.book == Book.POINTS), default=ZERO)
    sites = list(
        PracticeSite.objects.visible_to(user)
        .filter(active=True, goods__active=True)
        .distinct()
        .select_related("region")
        .prefetch_related(
            Prefetch(
                "goods",
                queryset=Goods.objects.filter(active=True).order_by("price", "name"),
                to_attr="shelf",
            ),
            Prefetch(
                "redemption_windows",
                queryset=RedemptionWindow.objects.order_by("weekday", "starts"),
                to_attr="windows",
            ),
        )
        .order_by("region__path", "kind")
    )
    counters = [
        {
            "site": s,
            "windows": s.windows,  # type: ignore[attr-defined]
            "open_now": open_now(s.windows),  # type: ignore[attr-defined]
            "may_redeem": best >= s.min_redeem_balance,
            "goods": [(g, g.price <= best and g.stock > 0) for g in s.shelf],  # type: ignore[attr-defined]
        }
        for s in sites
    ]
    return render(
        request,
        "practice/bank/mine.html",
        {"cards": cards, "counters": counters, "best": best},
    )
