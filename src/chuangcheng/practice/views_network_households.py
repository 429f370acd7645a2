"""Households (户): the filtered, paged list with the head's phone masked; create and edit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.practice.domain import network
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.forms_network import HouseholdForm
from chuangcheng.practice.models import Household
from chuangcheng.practice.queries_network import filter_regions, households_for
from chuangcheng.practice.views_network import require_manage, require_view

PAGE_SIZE = 30


@login_required
@require_GET
def household_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    region = request.GET.get("region", "")
    q = request.GET.get("q", "").strip()[:40]
    page = Paginator(households_for(request.user, region, q), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "practice/network/household_list.html",
        {
            "page": page,
            "region": region,
            "q": q,
            "regions": filter_regions(request.user),
            "can_manage": request.user.has_perm("practice.manage_network"),
        },
    )


@login_required
def household_new(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = HouseholdForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            household = network.create_household(actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Household %(code)s saved.") % {"code": household.code})
            return redirect("practice:household_list")
    return render(
        request, "practice/network/household_form.html", {"form": form, "household": None}
    )


@login_required
def household_edit(request: HttpRequest, pk: int) -> HttpResponse:
    household = get_object_or_404(
        Household.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not request.user.has_perm("practice.view_network", household):
        raise Http404
    require_manage(request, household)
    form = HouseholdForm(request.POST or None, user=request.user, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            network.update_household(household, actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Household %(code)s saved.") % {"code": household.code})
            return redirect("practice:household_list")
    return render(
        request, "practice/network/household_form.html", {"form": form, "household": household}
    )
