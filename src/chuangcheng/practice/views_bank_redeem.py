"""The 爱心超市 counter on a phone: pick the counter, find the household or volunteer, tap the
goods. Each goods form carries a one-time token, so a double tap redeems once; the domain does
the checks (windows, minimum balance, balance, stock) in one transaction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import owner_balance
from chuangcheng.practice.domain.points_shop import open_now
from chuangcheng.practice.domain.redeem import redeem as redeem_goods
from chuangcheng.practice.domain.redeem import reverse_redemption
from chuangcheng.practice.forms_bank import ReasonForm, RedeemForm, new_ref
from chuangcheng.practice.models import Goods, Redemption, RedemptionWindow
from chuangcheng.practice.views_access import need
from chuangcheng.practice.views_bank_owners import (
    counter_site,
    counter_sites,
    find_owners,
    get_owner,
    kind_of,
)

RECENT = 10


@login_required
@require_GET
def redeem(request: HttpRequest) -> HttpResponse:
    """Step 1: the counter (remembered in the link) and who is redeeming."""
    need(request, "practice.redeem")
    sites = counter_sites(request.user)
    chosen = request.GET.get("site", "")
    site = next((s for s in sites if str(s.pk) == chosen), None)
    if site is None and len(sites) == 1:
        site = sites[0]
    q = request.GET.get("q", "").strip()
    households, volunteers = find_owners(request.user, q) if site is not None else ([], [])
    if site is not None and q and len(households) == 1 and not volunteers:
        only = households[0]
        if only.code.lower() == q.lower() or "/p/o/" in q or only.public_token == q:
            return redirect("practice:bank_redeem_owner", site=site.pk, kind="h", pk=only.pk)
    recent = (
        list(
            Redemption.objects.visible_to(request.user)
            .filter(goods__site=site)
            .select_related("goods", "account__household", "account__volunteer")
            .order_by("-at", "-pk")[:RECENT]
        )
        if site is not None
        else []
    )
    windows = list(RedemptionWindow.objects.filter(site=site)) if site is not None else []
    return render(
        request,
        "practice/bank/redeem_find.html",
        {
            "sites": sites,
            "site": site,
            "q": q,
            "households": households,
            "volunteers": volunteers,
            "recent": recent,
            "windows": windows,
            "open_now": open_now(windows),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def redeem_owner(request: HttpRequest, site: int, kind: str, pk: int) -> HttpResponse:
    """Step 2: the balance and the goods on the shelf; "Redeem" on one of them."""
    counter = counter_site(request, site)
    owner = get_owner(request, kind, pk)
    problem = ""
    if request.method == "POST":
        form = RedeemForm(request.POST)
        goods = None
        if form.is_valid():
            goods = Goods.objects.filter(site=counter, pk=form.cleaned_data["goods"]).first()
        if goods is None:
            problem = _("Choose the goods and how many.")
        else:
            try:
                made, created = redeem_goods(
                    actor=request.user,
                    goods=goods,
                    owner=owner,
                    quantity=form.cleaned_data["quantity"],
                    client_ref=form.cleaned_data["ref"],
                )
            except PracticeError as exc:
                problem = " ".join(m for ms in exc.errors.values() for m in ms)
            else:
                if created:
                    messages.success(
                        request,
                        _("Redeemed %(goods)s ×%(n)d for %(points)d points.")
                        % {"goods": goods.name, "n": made.quantity, "points": made.points},
                    )
                else:
                    messages.info(
                        request, _("This redemption was already made; nothing more was taken.")
                    )
                return redirect(
                    "practice:bank_redeem_owner", site=counter.pk, kind=kind_of(owner), pk=owner.pk
                )
    windows = list(RedemptionWindow.objects.filter(site=counter))
    shelf = list(Goods.objects.filter(site=counter, active=True).order_by("price", "name"))
    balance = owner_balance(owner)
    return render(
        request,
        "practice/bank/redeem_owner.html",
        {
            "site": counter,
            "owner": owner,
            "kind": kind_of(owner),
            "balance": balance,
            "below_min": balance < counter.min_redeem_balance,
            "windows": windows,
            "open_now": open_now(windows),
            "shelf": [(g, new_ref()) for g in shelf],
            "problem": problem,
        },
        status=400 if problem else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def redemption_reverse(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a redemption with a reason (goods returned): points and stock come back."""
    found = (
        Redemption.objects.visible_to(request.user)
        .select_related("goods__site__region", "account__household", "account__volunteer")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    need(request, "practice.redeem", found.goods.site)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reverse_redemption(found, actor=request.user, reason=form.cleaned_data["reason"])
        except PracticeError as exc:
            for message in (m for ms in exc.errors.values() for m in ms):
                form.add_error(None, message)
        else:
            messages.success(request, _("Redemption reversed: the points and the stock are back."))
            return redirect(f"{reverse('practice:redeem')}?site={found.goods.site_id}")
    return render(
        request,
        "practice/bank/redemption_reverse.html",
        {"redemption": found, "form": form},
        status=400 if form.errors else 200,
    )
