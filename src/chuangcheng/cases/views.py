"""The case list (with "my to-do" for units), its .xlsx export and the case map."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.cases import exporter, queries
from chuangcheng.cases.filters import CaseFilters
from chuangcheng.points.map_config import map_config

PAGE_SIZE = 30


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    f = CaseFilters.from_query(request.GET)
    page = Paginator(queries.cases_for(request.user, f, now), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = queries.decorate(page.object_list, now)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "f": f,
            "query": urlencode(f.as_query()),
            "todo": queries.my_todo(request.user, now) if not f.active else [],
            "now": now,
            "can_manage": request.user.has_perm("cases.manage_case"),
            **queries.filter_options(request.user),
        },
    )


@login_required
@require_GET
def case_export(request: HttpRequest) -> HttpResponse:
    """The filtered, visible cases as .xlsx; the export itself is audited."""
    f = CaseFilters.from_query(request.GET)
    data, count = exporter.export(request.user, f)
    exporter.record_export(actor=request.user, count=count, filters=f.as_text())
    response = HttpResponse(data, content_type=exporter.CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.xlsx"'
    return response


@login_required
@require_GET
def case_map(request: HttpRequest) -> HttpResponse:
    f = CaseFilters.from_query(request.GET)
    config = map_config(request)
    config["dataUrl"] = reverse("cases:map_data")
    config["detailUrl"] = reverse("cases:detail", args=[0]).replace("/0/", "/__pk__/")
    config["labels"] = {
        "overdue": _("Overdue"),
        "soon": _("Due within 24 h"),
        "ok": _("In time"),
        "wait": _("Not with a unit"),
        "open": _("Open case page"),
        "cases": _("%(n)s cases"),
        "zoom": _("Zoom in to see each case"),
        "none": _("No open cases match the filters."),
        "loading": _("Loading…"),
        "failed": _("The map data could not be loaded."),
        "due": _("Deadline"),
    }
    return render(
        request,
        "cases/map.html",
        {"config": config, "f": f, **queries.filter_options(request.user)},
    )


@login_required
@require_GET
def map_data(request: HttpRequest) -> JsonResponse:
    f = CaseFilters.from_query(request.GET)
    rows = queries.map_rows(request.user, f)
    return JsonResponse(
        {"cases": rows, "regions": queries.street_outlines(request.user)},
        json_dumps_params={"ensure_ascii": False, "separators": (",", ":")},
    )
