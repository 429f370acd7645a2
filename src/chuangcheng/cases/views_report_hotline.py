"""Hotline entry (12345): office staff take down a call as a case. Thin: parse → domain."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from chuangcheng.cases.domain import reporting
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.forms_report import HotlineForm
from chuangcheng.cases.views_report import (
    apply_errors,
    category_groups,
    report_map_config,
    require_perm,
)


@login_required
@require_http_methods(["GET", "POST"])
def hotline_new(request: HttpRequest) -> HttpResponse:
    require_perm(request, "cases.take_hotline")
    form = HotlineForm(request.POST or None, user=request.user)
    position_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            case = reporting.submit_hotline(form.case_data(), actor=request.user)
        except CaseValidationError as exc:
            position_errors = apply_errors(form, exc)
        else:
            return redirect("report:done", number=case.number)
    return render(
        request,
        "cases/report/hotline.html",
        {
            "form": form,
            "groups": category_groups(),
            "config": report_map_config(request),
            "position_errors": position_errors,
        },
        status=400 if request.method == "POST" else 200,
    )
