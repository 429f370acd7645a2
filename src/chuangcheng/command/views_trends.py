"""The 动态分析 trend analysis page and its .xlsx export. Thin: parse the filters → the
``trends_*`` domain modules read the figures → render (charts get the same figures as JSON)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.cases.domain.periods import Period
from chuangcheng.command.domain.trends_cases import CaseTrends, case_trends
from chuangcheng.command.domain.trends_compliance import compliance_trend
from chuangcheng.command.domain.trends_periods import (
    GRAINS,
    TrendFilters,
    read_filters,
    street_options,
    unit_options,
)
from chuangcheng.command.domain.trends_recurring import recurring
from chuangcheng.command.trends_xlsx import CONTENT_TYPE, record_export, trends_workbook


def _need_trends(request: HttpRequest) -> None:
    if not request.user.has_perm("command.view_trends"):
        raise PermissionDenied


def case_list_link(f: TrendFilters, period: Period, extra: dict[str, str]) -> str:
    """The case list showing the cases behind a figure of ``period``."""
    query = {
        "from": period.start.isoformat(),
        "to": period.last_day.isoformat(),
        **({"street": str(f.street.pk)} if f.street else {}),
        **({"unit": str(f.unit.pk)} if f.unit else {}),
        **extra,
    }
    return reverse("cases:list") + "?" + urlencode(query)


def _links(f: TrendFilters, cases: CaseTrends) -> None:
    for p in cases.periods:
        p.url = case_list_link(f, p.period, {})
    for rows in (cases.categories, cases.streets, cases.units):
        for r in rows:
            r.url = case_list_link(f, cases.current, r.link) if r.link else ""


def _charts(cases: CaseTrends, compliance: Any, rec: Any) -> dict[str, Any]:
    """What trends.js draws; the labels travel with the figures."""
    return {
        "labels": {
            "reported": _("Reported"),
            "closed": _("Closed"),
            "now": _("This period"),
            "before": _("Previous period"),
            "cases": _("Cases"),
            "rate": _("Compliance rate %"),
            "groups": _("Recurring groups"),
            "rework": _("Reworked cases"),
        },
        "cases": cases.as_json(),
        "compliance": compliance.as_json(),
        "recurring": {"streets": [s.as_json() for s in rec.streets]},
    }


@login_required
@require_GET
def trends(request: HttpRequest) -> HttpResponse:
    _need_trends(request)
    f = read_filters(request.user, request.GET)
    cases = case_trends(request.user, f)
    compliance = compliance_trend(request.user, f)
    rec = recurring(request.user, f)
    _links(f, cases)
    return render(
        request,
        "command/trends.html",
        {
            "f": f,
            "grains": [(k, v[2]) for k, v in GRAINS.items()],
            "streets": list(street_options(request.user)),
            "units": list(unit_options(request.user)),
            "cases": cases,
            "compliance": compliance,
            "rec": rec,
            "charts": _charts(cases, compliance, rec),
            "export_query": urlencode(f.as_query()),
        },
    )


@login_required
@require_GET
def trends_export(request: HttpRequest) -> HttpResponse:
    """The page's tables as .xlsx; the export is audited."""
    _need_trends(request)
    f = read_filters(request.user, request.GET)
    data = trends_workbook(
        case_trends(request.user, f),
        compliance_trend(request.user, f),
        recurring(request.user, f),
    )
    record_export(actor=request.user, filters=f.as_text())
    response = HttpResponse(data, content_type=CONTENT_TYPE)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="trends-{stamp}.xlsx"'
    return response
