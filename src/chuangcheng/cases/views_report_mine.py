"""My reports: a reporter follows their own reports — status in plain words, the public steps
of the timeline, and the approved public copies of the after-photos. Others' reports are 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from chuangcheng.cases.domain.public_view import plain_status, public_steps
from chuangcheng.cases.enums import Moderation
from chuangcheng.cases.models import Case, Photo

PER_PAGE = 20


def _mine(request: HttpRequest) -> QuerySet[Case]:
    return Case.objects.filter(reporter_id=request.user.pk).select_related("category", "point")


@login_required
@require_GET
def my_reports(request: HttpRequest) -> HttpResponse:
    """The user's reports, newest first; a fixed number of queries whatever their count."""
    own_photos = Photo.objects.filter(uploaded_by_id=request.user.pk).order_by("pk")
    qs = _mine(request).prefetch_related(Prefetch("photos", queryset=own_photos, to_attr="before"))
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    rows = [{"case": c, "status": plain_status(c.status)} for c in page]
    return render(request, "cases/public/mine.html", {"page": page, "rows": rows})


@login_required
@require_GET
def my_report(request: HttpRequest, number: str) -> HttpResponse:
    case = get_object_or_404(_mine(request), number=number)
    photos = list(case.photos.order_by("pk"))
    # Their own photos they see as taken; everybody else's only as approved public copies.
    before = [p for p in photos if p.uploaded_by_id == request.user.pk]
    after = [
        p
        for p in photos
        if p.uploaded_by_id != request.user.pk
        and p.moderation == Moderation.APPROVED
        and p.public_image
    ]
    return render(
        request,
        "cases/public/report.html",
        {
            "case": case,
            "status": plain_status(case.status),
            "steps": public_steps(case.events.order_by("at", "pk")),
            "own": before,
            "public": after,
        },
    )
