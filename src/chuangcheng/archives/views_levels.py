"""The office's page of review levels (区初审, 市复审 …): rename a level, change who reviews it,
add one after the last."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangcheng.archives.domain.review import levels, save_level
from chuangcheng.archives.forms import LevelForm
from chuangcheng.archives.views import form_errors, need, tabs
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region


def _regions(user: Any) -> QuerySet[Region]:
    return (
        Region.objects.visible_to(user)
        .filter(level__in=[RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET])
        .order_by("path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def levels_view(request: HttpRequest) -> HttpResponse:
    need(request, "archives.manage")
    all_levels = levels()
    regions = _regions(request.user)
    failed: tuple[str, LevelForm] | None = None
    if request.method == "POST":
        key = request.POST.get("level", "")
        level = None
        if key != "new":
            level = next((lv for lv in all_levels if str(lv.pk) == key), None)
            if level is None:
                raise Http404
        prefix = "new" if key == "new" else f"l{key}"
        form = LevelForm(request.POST, regions=regions, prefix=prefix)
        if form.is_valid():
            try:
                save_level(
                    actor=request.user,
                    level=level,
                    name=form.cleaned_data["name"],
                    role=form.cleaned_data["role"],
                    region=form.cleaned_data["region"],
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Review levels saved."))
                return redirect("archives:levels")
        failed = (key, form)
    rows = []
    for lv in all_levels:
        form = (
            failed[1]
            if failed and failed[0] == str(lv.pk)
            else LevelForm(
                initial={"name": lv.name, "role": lv.role, "region": lv.region_id},
                regions=regions,
                prefix=f"l{lv.pk}",
            )
        )
        rows.append((lv, form))
    new = failed[1] if failed and failed[0] == "new" else LevelForm(regions=regions, prefix="new")
    return render(
        request,
        "archives/levels.html",
        {**tabs(request), "tab": "levels", "rows": rows, "new": new},
        status=400 if failed else 200,
    )
