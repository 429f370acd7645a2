"""A round's results for the office and leaders: figures, observations, export, photos."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from chuangcheng.cases.models import Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.inspections import results
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.interfaces import export
from chuangcheng.inspections.models import Round
from chuangcheng.inspections.views import visible_round


@login_required
@require_GET
def round_results(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = visible_round(request, pk)
    shown = request.GET.get("result", Result.FAIL)
    if shown not in Result.values:
        shown = ""
    page = Paginator(results.observation_rows(round_, result=shown), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "inspections/round_results.html",
        {
            "round": round_,
            "page": page,
            "shown": shown,
            "results": Result.choices,
            **results.summary(round_),
        },
    )


@login_required
@require_GET
def round_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Every observation of the round as .xlsx; audited."""
    round_ = visible_round(request, pk)
    rows = list(results.observation_rows(round_))
    data = export.workbook(round_, rows)
    audit.record(
        request.user, AuditAction.EXPORT, round_, note=f"observations xlsx, {len(rows)} rows"
    )
    response = HttpResponse(data, content_type=export.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="round-{round_.pk}-observations.xlsx"'
    return response


@login_required
@require_GET
def photo(request: HttpRequest, pk: int) -> FileResponse:
    """An inspection photo, for readers of a round it was taken in and for the inspector who
    took it (404 otherwise)."""
    photos = Photo.objects.filter(observations__isnull=False)
    if request.user.has_perm("inspections.view_rounds"):
        rounds = Round.objects.visible_to(request.user).values("pk")
        photos = photos.filter(observations__inspection__round_point__round__in=rounds)
    else:
        photos = photos.filter(uploaded_by_id=request.user.pk)
    found = get_object_or_404(photos.distinct(), pk=pk)
    response = FileResponse(found.image.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, max-age=86400"
    return response
