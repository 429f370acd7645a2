"""Volunteer teams (总队 / 支队 / 小队): list, detail, create, edit. Thin, like the site pages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.practice.domain import network
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.forms_network import TeamForm
from chuangcheng.practice.models import PracticeSite, ServiceOrder, Team
from chuangcheng.practice.queries_network import WAITING, teams_for
from chuangcheng.practice.views_network import require_manage, require_view

PAGE_SIZE = 50


def visible_team(request: HttpRequest, pk: int) -> Team:
    team = get_object_or_404(
        Team.objects.visible_to(request.user).select_related(
            "site", "site__region", "parent", "unit", "leader"
        ),
        pk=pk,
    )
    if not request.user.has_perm("practice.view_network", team):
        raise Http404
    return team


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    site = request.GET.get("site", "")
    page = Paginator(teams_for(request.user, site), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/network/team_list.html",
        {
            "page": page,
            "sites": PracticeSite.objects.visible_to(request.user).select_related("region"),
            "site": site,
            "can_manage": request.user.has_perm("practice.manage_network"),
        },
    )


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    team = visible_team(request, pk)
    children = (
        Team.objects.visible_to(request.user)
        .filter(parent=team)
        .select_related("site")
        .annotate(n_members=Count("members", distinct=True))
        .order_by("name")
    )
    return render(
        request,
        "practice/network/team_detail.html",
        {
            "team": team,
            "children": children,
            "members": team.members.count(),
            "active_members": team.members.filter(active=True).count(),
            "waiting": ServiceOrder.objects.filter(team=team, status__in=WAITING).count(),
            "can_manage": request.user.has_perm("practice.manage_network", team),
        },
    )


@login_required
def team_new(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = TeamForm(
        request.POST or None, user=request.user, initial={"site": request.GET.get("site")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            team = network.create_team(actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Team “%(name)s” created.") % {"name": team.name})
            return redirect("practice:team_detail", pk=team.pk)
    return render(request, "practice/network/team_form.html", {"form": form, "team": None})


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = visible_team(request, pk)
    require_manage(request, team)
    form = TeamForm(request.POST or None, user=request.user, team=team)
    if request.method == "POST" and form.is_valid():
        try:
            network.update_team(team, actor=request.user, data=form.cleaned_data)
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Team “%(name)s” saved.") % {"name": team.name})
            return redirect("practice:team_detail", pk=team.pk)
    return render(request, "practice/network/team_form.html", {"form": form, "team": team})
