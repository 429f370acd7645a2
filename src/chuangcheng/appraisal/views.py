"""Appraisal pages: the ranking, its .xlsx, one unit's appraisal and the 红黑榜. Thin: parse →
domain → render. Which rows a user sees is decided in :mod:`.domain.access`; a unit or region
outside scope answers 404."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from chuangcheng.appraisal.domain import access
from chuangcheng.appraisal.domain.honour import DEFAULT_SIZE, MAX_SIZE, honour_lists
from chuangcheng.appraisal.domain.providers import ClauseDetail, unit_row
from chuangcheng.appraisal.domain.ranking import BELOW_VOLUME, default_formula
from chuangcheng.appraisal.interfaces.ranking_xlsx import ranking_workbook
from chuangcheng.appraisal.models import AppraisalFormula
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.forms_figures import period_choices, read_period

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _formula(request: HttpRequest) -> AppraisalFormula:
    code = request.GET.get("formula", "")
    found = (
        AppraisalFormula.objects.select_related("scheme").filter(code=code).first()
        if code
        else None
    )
    return found or default_formula()


def _scoped(request: HttpRequest) -> tuple[access.ScopedRanking, Period, str]:
    if not access.may_view(request.user):
        raise PermissionDenied
    period, error = read_period(request.GET)
    region = None
    if request.GET.get("region"):
        region = access.region_in_scope(request.user, request.GET["region"])
        if region is None:
            raise Http404
    scoped = access.scoped_ranking(request.user, period, region, formula=_formula(request))
    if scoped is None:
        raise Http404
    return scoped, period, error


def _query(scoped: access.ScopedRanking, **extra: str) -> str:
    ranking = scoped.ranking
    base = {"period": ranking.period.key, "formula": ranking.formula.code, **extra}
    if scoped.overview:
        base["region"] = str(ranking.region.pk)
    return urlencode(base)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scoped, period, error = _scoped(request)
    ranking = scoped.ranking
    return render(
        request,
        "appraisal/index.html",
        {
            "scoped": scoped,
            "ranking": ranking,
            "period": period,
            "error": error,
            "periods": period_choices(),
            "formulas": list(AppraisalFormula.objects.all()),
            "query": _query(scoped),
            "below_volume": BELOW_VOLUME,
        },
    )


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    scoped, period, _error = _scoped(request)
    data = ranking_workbook(scoped.ranking)
    access.record_export(
        actor=request.user,
        what="appraisal.xlsx",
        ranking=scoped.ranking,
        rows=len(scoped.ranking.every_row),
    )
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="appraisal-{period.key}.xlsx"'
    return response


@login_required
@require_GET
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One unit's composite, each component and what stands behind it."""
    if not access.may_view(request.user):
        raise PermissionDenied
    unit = access.unit_in_scope(request.user, pk)
    if unit is None:
        raise Http404
    scoped, period, error = _scoped(request)
    row = scoped.ranking.row(unit.pk)
    rect = row.part("rectification") if row else None
    clauses = row.part("clauses") if row else None
    detail = clauses.detail if clauses else None
    return render(
        request,
        "appraisal/unit.html",
        {
            "unit": unit,
            "row": row,
            "scoped": scoped,
            "ranking": scoped.ranking,
            "period": period,
            "error": error,
            "figures": unit_row(rect.component) if rect else None,
            "clauses": detail if isinstance(detail, ClauseDetail) else None,
            "query": _query(scoped),
            "below_volume": BELOW_VOLUME,
        },
    )


def _size(request: HttpRequest) -> tuple[int, str]:
    raw = request.GET.get("n", "")
    if not raw:
        return DEFAULT_SIZE, ""
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= MAX_SIZE:
        return DEFAULT_SIZE, f"1–{MAX_SIZE}"
    return size, ""


@login_required
@require_GET
def honour(request: HttpRequest) -> HttpResponse:
    """红黑榜: for those who see the whole ranking only (it names other units)."""
    scoped, period, error = _scoped(request)
    if not scoped.overview:
        raise PermissionDenied
    size, size_error = _size(request)
    return render(
        request,
        "appraisal/honour.html",
        {
            "scoped": scoped,
            "ranking": scoped.ranking,
            "honour": honour_lists(scoped.ranking, size),
            "period": period,
            "error": error,
            "size_error": size_error,
            "size": size,
            "max_size": MAX_SIZE,
            "periods": period_choices(),
            "formulas": list(AppraisalFormula.objects.all()),
        },
    )
