"""The practice network's overview and its sites (centre → institute → station). Thin: find what
the user may see (404 otherwise) → query or domain → render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.practice.domain import network
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.forms_network import SiteForm
from chuangcheng.practice.models import Household, PracticeSite, ServiceOrder, Team, Volunteer
from chuangcheng.practice.queries_network import WAITING, site_tree


def require_view(request: HttpRequest) -> None:
    """Staff, leaders and auditors read the network; anyone else is refused (403)."""
    if not request.user.has_perm("practice.view_network"):
        raise PermissionDenied


def require_manage(request: HttpRequest, obj: Model | None = None) -> None:
    if not request.user.has_perm("practice.manage_network", obj):
        raise PermissionDenied


def visible_site(request: HttpRequest, pk: int) -> PracticeSite:
    """The site if the user may read the network there; 404 otherwise."""
    site = get_object_or_404(
        PracticeSite.objects.visible_to(request.user).select_related("region", "parent"), pk=pk
    )
    if not request.user.has_perm("practice.view_network", site):
        raise Http404
    return site


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    require_view(request)
    roots, totals = site_tree(request.user)
    return render(
        request,
        "practice/network/home.html",
        {
            "roots": roots,
            "totals": totals,
            "can_manage": request.user.has_perm("practice.manage_network"),
            "can_figures": request.user.has_perm("practice.view_figures"),
        },
    )


@login_required
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    sites = (
        PracticeSite.objects.visible_to(request.user)
        .select_related("region", "parent")
        .annotate(n_teams=Count("teams", distinct=True))
        .order_by("region__path", "kind")
    )
    return render(
        request,
        "practice/network/site_list.html",
        {"sites": sites, "can_manage": request.user.has_perm("practice.manage_network")},
    )


@login_required
@require_GET
def site_detail(request: HttpRequest, pk: int) -> HttpResponse:
    site = visible_site(request, pk)
    user = request.user
    under = site.region.path
    children = PracticeSite.objects.visible_to(user).filter(parent=site).select_related("region")
    teams = (
        Team.objects.visible_to(user)
        .filter(site=site)
        .select_related("parent", "unit", "leader")
        .annotate(n_members=Count("members", distinct=True))
        .order_by("level", "name")
    )
    counts = {
        "volunteers": Volunteer.objects.visible_to(user)
        .filter(region__path__startswith=under, active=True)
        .count(),
        "households": Household.objects.visible_to(user)
        .filter(region__path__startswith=under, active=True)
        .count(),
        "waiting": ServiceOrder.objects.visible_to(user)
        .filter(site=site, status__in=WAITING)
        .count(),
    }
    return render(
        request,
        "practice/network/site_detail.html",
        {
            "site": site,
            "children": children,
            "teams": teams,
            "counts": counts,
            "can_manage": user.has_perm("practice.manage_network", site),
        },
    )


@login_required
def site_new(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = SiteForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            site = network.create_site(actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Site “%(name)s” created.") % {"name": site.name})
            return redirect("practice:site_detail", pk=site.pk)
    return render(request, "practice/network/site_form.html", {"form": form, "site": None})


@login_required
def site_edit(request: HttpRequest, pk: int) -> HttpResponse:
    site = visible_site(request, pk)
    require_manage(request, site)
    form = SiteForm(request.POST or None, user=request.user, site=site)
    if request.method == "POST" and form.is_valid():
        try:
            network.update_site(site, actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Site “%(name)s” saved.") % {"name": site.name})
            return redirect("practice:site_detail", pk=site.pk)
    return render(request, "practice/network/site_form.html", {"form": form, "site": site})
