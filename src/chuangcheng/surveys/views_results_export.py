"""Downloads of a survey's results: the rates and the raw responses, as .xlsx or .csv.

Only the office over the survey's region exports (``surveys.manage_survey``); a leader who reads
the page is refused (403), anyone else gets 404. Every export is written to the audit log with
what was taken and how many rows.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.interfaces.export import (
    CONTENT_TYPE_CSV,
    CONTENT_TYPE_XLSX,
    rate_headers,
    rate_rows,
    rates_workbook,
    to_csv,
)
from chuangcheng.surveys.interfaces.export_responses import response_table, responses_workbook
from chuangcheng.surveys.models import Survey
from chuangcheng.surveys.views_results import results_survey

FORMATS = ("xlsx", "csv")


def _exporting(request: HttpRequest, pk: int, fmt: str) -> Survey:
    if fmt not in FORMATS:
        raise Http404
    survey = results_survey(request, pk)
    if not request.user.has_perm("surveys.manage_survey", survey):
        raise PermissionDenied
    return survey


def _download(data: bytes | str, fmt: str, name: str) -> HttpResponse:
    if fmt == "csv":
        # With a byte-order mark Excel opens the UTF-8 file with its Chinese intact.
        response = HttpResponse("\ufeff" + str(data), content_type=CONTENT_TYPE_CSV)
    else:
        response = HttpResponse(data, content_type=CONTENT_TYPE_XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.{fmt}"'
    return response


@login_required
@require_GET
def export_rates(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _exporting(request, pk, fmt)
    report = build_report(survey)
    rows = rate_rows(report)
    data: bytes | str = rates_workbook(report) if fmt == "xlsx" else to_csv(rate_headers(), rows)
    audit.record(
        request.user, AuditAction.EXPORT, survey, note=f"survey rates {fmt}, {len(rows)} rows"
    )
    return _download(data, fmt, f"{survey.code}-rates")


@login_required
@require_GET
def export_responses(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    survey = _exporting(request, pk, fmt)
    headers, rows, questions = response_table(survey)
    data: bytes | str = (
        responses_workbook(headers, rows, questions) if fmt == "xlsx" else to_csv(headers, rows)
    )
    audit.record(
        request.user, AuditAction.EXPORT, survey, note=f"survey responses {fmt}, {len(rows)} rows"
    )
    return _download(data, fmt, f"{survey.code}-responses")
