"""Keeping a 爱心超市: the goods of a site, their stock, its windows and minimum balance.

Station staff of the site (``practice.redeem``) only; sites outside the user's scope are 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points_shop import adjust_stock, open_now, save_goods, set_rules
from chuangcheng.practice.forms_bank import GoodsForm, RulesForm, StockForm
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import Goods, PracticeSite, RedemptionWindow
from chuangcheng.practice.views_access import need
from chuangcheng.practice.views_bank_owners import counter_site, counter_sites


@login_required
@require_GET
def shop(request: HttpRequest) -> HttpResponse:
    """The counters the user runs, with how many goods each has on the shelf."""
    need(request, "practice.redeem")
    sites = counter_sites(request.user)
    figures: dict[int, dict[str, Any]] = {
        row["pk"]: dict(row)
        for row in PracticeSite.objects.filter(pk__in=[s.pk for s in sites])
        .annotate(
            on_shelf=Count("goods", filter=Q(goods__active=True)),
            in_stock=Sum("goods__stock", filter=Q(goods__active=True)),
        )
        .values("pk", "on_shelf", "in_stock")
    }
    rows = [(s, figures.get(s.pk, {})) for s in sites]
    return render(request, "practice/bank/shop.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def site_shop(request: HttpRequest, site: int) -> HttpResponse:
    """A site's goods; "Put on the shelf" adds new goods with an opening stock."""
    counter = counter_site(request, site)
    windows = list(RedemptionWindow.objects.filter(site=counter))
    form = GoodsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            goods = save_goods(actor=request.user, site=counter, data=form.cleaned_data)
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("%(name)s is on the shelf.") % {"name": goods.name})
            return redirect("practice:bank_site_shop", site=counter.pk)
    return render(
        request,
        "practice/bank/site_shop.html",
        {
            "site": counter,
            "goods": list(Goods.objects.filter(site=counter).order_by("-active", "price", "name")),
            "windows": windows,
            "open_now": open_now(windows),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def goods_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the name, price or shelf state; or add to / take from the stock with a reason."""
    goods = (
        Goods.objects.visible_to(request.user).select_related("site__region").filter(pk=pk).first()
    )
    if goods is None:
        raise Http404
    need(request, "practice.redeem", goods.site)
    action = request.POST.get("action", "")
    initial = {
        "name": goods.name,
        "description": goods.description,
        "price": goods.price,
        "active": goods.active,
        "stock": goods.stock,
    }
    form = GoodsForm(request.POST if action == "save" else None, initial=initial)
    form.fields["stock"].required = False
    stock_form = StockForm(request.POST if action == "stock" else None)
    if action == "save" and form.is_valid():
        try:
            save_goods(actor=request.user, site=goods.site, goods=goods, data=form.cleaned_data)
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, pgettext("bank", "Saved."))
            return redirect("practice:bank_site_shop", site=goods.site_id)
    if action == "stock" and stock_form.is_valid():
        try:
            stock = adjust_stock(
                goods,
                actor=request.user,
                delta=stock_form.cleaned_data["delta"],
                reason=stock_form.cleaned_data["reason"],
            )
        except PracticeError as exc:
            errors_into(stock_form, exc)
        else:
            messages.success(request, _("Stock is now %(n)d.") % {"n": stock})
            return redirect("practice:bank_goods_edit", pk=goods.pk)
    return render(
        request,
        "practice/bank/goods_edit.html",
        {"goods": goods, "form": form, "stock_form": stock_form},
        status=400 if form.errors or stock_form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def shop_rules(request: HttpRequest, site: int) -> HttpResponse:
    """The site's minimum balance and weekly redemption windows."""
    counter = counter_site(request, site)
    windows = list(RedemptionWindow.objects.filter(site=counter).order_by("weekday", "starts"))
    initial: dict[str, object] = {"min_balance": counter.min_redeem_balance}
    for i, w in enumerate(windows[:4]):
        initial.update({f"w{i}_day": w.weekday, f"w{i}_from": w.starts, f"w{i}_until": w.ends})
    form = RulesForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            set_rules(
                counter,
                actor=request.user,
                min_balance=form.cleaned_data["min_balance"],
                windows=form.windows(),
            )
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("Redemption rules saved."))
            return redirect("practice:bank_site_shop", site=counter.pk)
    return render(
        request,
        "practice/bank/shop_rules.html",
        {"site": counter, "form": form},
        status=400 if form.errors else 200,
    )
