"""The station's list of wishes: submitted ones to review, what is on the wall, claimed, overdue,
done. Rows come from ``Wish.objects.visible_to``; the page runs the same number of queries
however many wishes there are (one count per tab in one statement, one page of rows)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from chuangcheng.practice.domain.wishes import OPEN
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.forms_wishes import FILTERS, ManageFilterForm, filter_q
from chuangcheng.practice.models import PracticeSite, Wish
from chuangcheng.practice.views_access import need

PER_PAGE = 30


@login_required
@require_GET
def wish_manage(request: HttpRequest) -> HttpResponse:
    need(request, "practice.view_network")
    user = request.user
    sites = (
        PracticeSite.objects.visible_to(user)
        .filter(kind=SiteKind.STATION)
        .select_related("region")
        .order_by("region__path")
    )
    form = ManageFilterForm(request.GET or None, sites=sites)
    visible = Wish.objects.visible_to(user)
    counts = visible.aggregate(
        **{key: Count("pk", distinct=True, filter=filter_q(key)) for key, _label in FILTERS}
    )
    rows = form.apply(visible).select_related(
        "site", "region", "claimed_by", "claimed_unit", "published_by"
    )
    # Overdue wishes oldest wanted-by date first; every other tab newest first.
    order = ("due_on", "-pk") if form.tab() == "overdue" else ("-created_at", "-pk")
    page = Paginator(rows.order_by(*order), PER_PAGE).get_page(request.GET.get("page"))
    # (wish, may approve it, may see the beneficiary's name): asked of the rules per row,
    # which read the user's cached scope (no query).
    items = [
        (
            wish,
            wish.status == WishStatus.SUBMITTED and user.has_perm("practice.manage_network", wish),
            user.has_perm("practice.view_network", wish),
        )
        for wish in page.object_list
    ]
    tabs = [(key, label, counts[key]) for key, label in FILTERS]
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("show", None)
    return render(
        request,
        "practice/wishes/manage.html",
        {
            "form": form,
            "tab": form.tab(),
            "tabs": tabs,
            "base_query": query.urlencode(),
            "page": page,
            "items": items,
            "today": timezone.localdate(),
            "open_statuses": OPEN,
            "next": request.get_full_path(),
        },
    )
