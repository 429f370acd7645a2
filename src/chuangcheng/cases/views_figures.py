"""Unit figures pages, their .xlsx export and the bulletin form. Thin: parse → domain → render.

Which rows a user sees is decided in :mod:`chuangcheng.cases.domain.figures_access`; a unit or
region outside the user's scope answers 404.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from chuangcheng.cases.domain import figures_access as access
from chuangcheng.cases.domain.bulletin import build_bulletin
from chuangcheng.cases.domain.figures import FIGURES, cases_behind, monthly
from chuangcheng.cases.forms_figures import (
    BulletinForm,
    bulletin_initial,
    period_choices,
    read_period,
)
from chuangcheng.cases.interfaces import bulletin_docx, bulletin_pdf, bulletin_xlsx
from chuangcheng.cases.interfaces.bulletin_text import document
from chuangcheng.cases.interfaces.figures_xlsx import figures_workbook
from chuangcheng.cases.models import Case
from chuangcheng.cases.models_appraisal import AppraisalScheme

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SORTS = {
    "rank": lambda r: (r.rank is None, r.rank or 0),
    "name": lambda r: r.unit.name,
    "due": lambda r: r.counts.due,
    "closed_rate": lambda r: r.counts.closed_rate.fraction or -1,
    "on_time_rate": lambda r: r.counts.on_time_rate.fraction or -1,
    "rework_rate": lambda r: r.counts.rework_rate.fraction or -1,
    "overdue": lambda r: r.counts.overdue,
    "extension_rate": lambda r: r.counts.extension_rate.fraction or -1,
    "score": lambda r: r.score if r.score is not None else -1,
}


def _need_access(request: HttpRequest) -> None:
    if not access.may_view_figures(request.user):
        raise PermissionDenied


def _scheme(request: HttpRequest) -> AppraisalScheme | None:
    code = request.GET.get("scheme", "")
    return AppraisalScheme.objects.filter(code=code).first() if code else None


def _table(request: HttpRequest) -> tuple[access.ScopedTable, Any, str, AppraisalScheme | None]:
    """The scoped table the query asks for; 404 for a region outside the user's overview."""
    _need_access(request)
    period, error = read_period(request.GET)
    region = None
    if request.GET.get("region"):
        region = access.region_in_scope(request.user, request.GET["region"])
        if region is None:
            raise Http404
    scheme = _scheme(request)
    scoped = access.scoped_table(request.user, period, region, scheme=scheme)
    if scoped is None:
        raise Http404
    return scoped, period, error, scheme


def case_list_url(**params: Any) -> str:
    """The case list (/cases/, the parent of these pages) with its GET filters."""
    base = reverse("casefigures:index").rsplit("figures/", 1)[0]
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{base}?{query}" if query else base


@login_required
@require_GET
def figures_index(request: HttpRequest) -> HttpResponse:
    scoped, period, error, scheme = _table(request)
    table = scoped.table
    sort = request.GET.get("sort", "rank")
    descending = request.GET.get("dir", "desc" if sort not in ("rank", "name") else "asc") == "desc"
    if sort in SORTS:
        table.units.sort(key=SORTS[sort], reverse=descending)
    base = {"period": period.key}
    if table.region is not None and scoped.overview:
        base["region"] = str(table.region.pk)
    if scheme is not None:
        base["scheme"] = scheme.code
    # The drill-down query of each row: the cases behind its numbers.
    drill = {"period": period.key}
    if table.region is not None and scoped.overview:
        drill["region"] = str(table.region.pk)
    unit_rows = [(r, urlencode({**drill, "unit": r.unit.pk})) for r in table.units]
    region_rows = [
        (r, urlencode({"period": period.key, "region": r.region.pk})) for r in table.regions
    ]
    return render(
        request,
        "cases/figures/index.html",
        {
            "scoped": scoped,
            "table": table,
            "period": period,
            "error": error,
            "periods": period_choices(),
            "schemes": list(AppraisalScheme.objects.all()),
            "scheme": table.scheme,
            "query": urlencode(base),
            "sort": sort,
            "dir": "desc" if descending else "asc",
            "unit_rows": unit_rows,
            "region_rows": region_rows,
            "total_q": urlencode(drill),
            "can_issue": any(
                request.user.has_perm("cases.issue_bulletin", r) for r in scoped.regions
            ),
            "figures": FIGURES,
        },
    )


@login_required
@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    scoped, period, _error, _unused = _table(request)
    data = figures_workbook(scoped.table, overview=scoped.overview)
    access.record_export(
        actor=request.user,
        what="figures.xlsx",
        period=period,
        region=scoped.table.region if scoped.overview else None,
        rows=len(scoped.table.units),
    )
    response = HttpResponse(data, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = f'attachment; filename="unit-figures-{period.key}.xlsx"'
    return response


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _need_access(request)
    unit = access.unit_in_scope(request.user, pk)
    if unit is None:
        raise Http404
    period, error = read_period(request.GET)
    months = monthly(unit, period.previous_months(12), scheme=_scheme(request))
    rows = [(m, urlencode({"period": m.period.key, "unit": unit.pk})) for m in reversed(months)]
    return render(
        request,
        "cases/figures/unit.html",
        {"unit": unit, "rows": rows, "period": period, "error": error},
    )


@login_required
@require_GET
def figure_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of the table: exactly the rows it counts."""
    _need_access(request)
    figure = request.GET.get("figure", "due")
    if figure not in (*FIGURES, "pending"):
        raise Http404
    period, error = read_period(request.GET)
    region = access.region_in_scope(request.user, request.GET.get("region"))
    if request.GET.get("region") and region is None:
        raise Http404
    unit = None
    if request.GET.get("unit"):
        unit = access.unit_for_drilldown(request.user, request.GET["unit"], region)
        if unit is None:
            raise Http404
    if region is None and unit is None:
        raise Http404
    qs = (
        cases_behind(period, figure, region=region, unit=unit)
        .filter(pk__in=Case.objects.visible_to(request.user).values("pk"))
        .select_related("category", "region", "region__parent")
        .prefetch_related("assignments__unit")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/figures/cases.html",
        {
            "page": page,
            "query": query.urlencode(),
            "figure": figure,
            "period": period,
            "error": error,
            "region": region,
            "unit": unit,
            "list_url": case_list_url(
                unit=unit.pk if unit else "",
                street=region.pk if region and region.level == "street" else "",
                overdue="1" if figure == "overdue" else "",
            ),
            "case_list": case_list_url(),
        },
    )


@login_required
def bulletin(request: HttpRequest) -> HttpResponse:
    """The bulletin form; a valid POST downloads the document."""
    regions = [
        r
        for r in access.overview_regions(request.user)
        if request.user.has_perm("cases.issue_bulletin", r)
    ]
    if not regions:
        raise PermissionDenied
    form = BulletinForm(request.POST or None, regions=regions, initial=bulletin_initial(regions[0]))
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        assert form.period_obj is not None
        result = build_bulletin(
            actor=request.user,
            meta=form.meta(),
            period=form.period_obj,
            region=form.cleaned_data["region"],
            fmt=fmt,
            now=timezone.now(),
            with_cases=fmt == "xlsx",
            with_sections=form.cleaned_data["with_sections"],
        )
        if fmt == "xlsx":
            data = bulletin_xlsx.render(result)
        elif fmt == "pdf":
            data = bulletin_pdf.render(document(result))
        else:
            data = bulletin_docx.render(document(result))
        name = f"bulletin-{form.period_obj.key}-{slugify(form.cleaned_data['region'].code)}.{fmt}"
        response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(
        request, "cases/figures/bulletin.html", {"form": form, "periods": period_choices()}
    )
