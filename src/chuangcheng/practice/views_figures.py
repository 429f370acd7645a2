"""The practice figures page and its .xlsx export: a period (this year unless asked) and a
region the user may read (the broadest by default; any other answers 404)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.cases.forms_figures import period_choices
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.core.workbook import data_workbook
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain.figures import (
    Figures,
    Row,
    compute,
    figure_regions,
    pick_region,
    read_period,
)
from chuangcheng.practice.enums import OrderStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _figures(request: HttpRequest) -> tuple[Figures, list[Region], str]:
    if not request.user.has_perm("practice.view_figures"):
        raise PermissionDenied
    regions = figure_regions(request.user)
    region = pick_region(request.user, request.GET.get("region"))
    if region is None:  # a region outside the user's figures, or none at all
        raise Http404
    period, error = read_period(request.GET)
    return compute(region, period), regions, error


@login_required
@require_GET
def figures(request: HttpRequest) -> HttpResponse:
    if request.user.has_perm("practice.view_figures") and not figure_regions(request.user):
        return render(request, "practice/figures/page.html", {"figures": None})
    result, regions, error = _figures(request)
    query = request.GET.copy()
    return render(
        request,
        "practice/figures/page.html",
        {
            "figures": result,
            "regions": regions,
            "period_error": error,
            "periods": period_choices(),
            "status_rows": [
                (label, result.total.orders.by_status[value])
                for value, label in OrderStatus.choices
            ],
            "query": query.urlencode(),
        },
    )


def _pct(value: Decimal | None) -> Any:
    return float(value * 100) if value is not None else ""


def _order_cells(row: Row) -> list[Any]:
    o = row.orders
    return [
        o.total,
        *[o.by_status[s] for s in OrderStatus.values],
        float(o.hours),
        _pct(o.fulfilment_rate),
        _pct(o.satisfaction_rate),
        float(o.mean_rating) if o.mean_rating is not None else "",
    ]


@login_required
@require_GET
def figures_export(request: HttpRequest) -> HttpResponse:
    """The page's tables as one workbook (one sheet each); audited as an export."""
    result, _regions, _error = _figures(request)
    order_head = [
        _("Orders"),
        *[str(label) for label in OrderStatus.labels],
        _("Hours credited"),
        _("Fulfilment rate %"),
        _("Satisfaction rate %"),
        _("Mean rating"),
    ]
    no_team = _("Not dispatched to a team")
    sheets = [
        (
            _("Teams"),
            [_("Team"), *order_head],
            [[r.name or no_team, *_order_cells(r)] for r in result.teams],
        ),
        (
            _("Stations"),
            [_("Station"), *order_head, _("Wishes published"), _("Wishes fulfilled")],
            [
                [r.name, *_order_cells(r), r.wishes.published, r.wishes.fulfilled]
                for r in result.stations
            ],
        ),
        (
            _("Streets"),
            [
                _("Street"),
                *order_head,
                _("Wishes published"),
                _("Wishes claimed"),
                _("Wishes fulfilled"),
                _("Wish fulfilment rate %"),
                _("Points awarded"),
                _("Points redeemed"),
                _("Volunteers registered"),
                _("Newly registered"),
                _("Active volunteers"),
            ],
            [
                [
                    r.name,
                    *_order_cells(r),
                    r.wishes.published,
                    r.wishes.claimed,
                    r.wishes.fulfilled,
                    _pct(r.wishes.fulfilment_rate),
                    r.awarded,
                    r.redeemed,
                    r.volunteers.registered,
                    r.volunteers.new,
                    r.volunteers.active,
                ]
                for r in [*result.streets, result.total]
            ],
        ),
    ]
    data = data_workbook(sheets)
    audit.record(
        request.user,
        AuditAction.EXPORT,
        result.region,
        object_type="practice.figures",
        note=f"{result.period.key} {result.region.code}",
    )
    name = f"practice-figures-{result.region.code}-{result.period.key}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
