"""The office's archive pages: the review queue, the completeness matrix (and its .xlsx), the
declaration package, and synchronising the owed materials with the frameworks and calendar."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.archives.domain import package
from chuangcheng.archives.domain.matrix import build_matrix
from chuangcheng.archives.domain.matrix_export import matrix_workbook
from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.archives.domain.review import levels, levels_of, queue_q, status_text
from chuangcheng.archives.enums import Cell, ExportStatus
from chuangcheng.archives.forms import ExportForm
from chuangcheng.archives.models import Attachment, DeclarationExport
from chuangcheng.archives.storage import archive_storage
from chuangcheng.archives.views import PAGE_SIZE, _years, need, tabs, year_of
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """What waits at the levels the user reviews, oldest first."""
    need(request, "archives.review")
    all_levels = levels()
    mine = levels_of(request.user, all_levels)
    qs = Attachment.objects.filter(queue_q(request.user, all_levels))
    level = request.GET.get("level", "")
    if level:
        if not level.isdigit() or all(lv.number != int(level) for lv in mine):
            raise Http404
        qs = qs.filter(level=int(level))
    qs = qs.select_related(
        "material", "version", "requirement__clause", "requirement__unit"
    ).order_by("submitted_at", "pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for a in page.object_list:
        a.status = status_text(a, all_levels)  # type: ignore[attr-defined]
    return render(
        request,
        "archives/review.html",
        {**tabs(request), "tab": "review", "page": page, "levels": mine, "level": level},
    )


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    """Clauses × units for a year, colour-coded, with counts and percentages."""
    need(request, "archives.view_matrix")
    year = year_of(request)
    m = build_matrix(request.user, year)
    return render(
        request,
        "archives/matrix.html",
        {
            **tabs(request),
            "tab": "matrix",
            "m": m,
            "year": year,
            "years": _years(request),
            "rows": [(c, m.row(c), m.by_clause[c.pk]) for c in m.clauses],
            "unit_totals": [(u, m.by_unit[u.pk]) for u in m.units],
            "states": Cell.choices,
        },
    )


@login_required
@require_GET
def matrix_xlsx(request: HttpRequest) -> HttpResponse:
    need(request, "archives.view_matrix")
    year = year_of(request)
    data = matrix_workbook(build_matrix(request.user, year))
    audit.record(
        request.user,
        AuditAction.EXPORT,
        object_type="archives.requirement",
        object_repr=f"matrix {year}",
        note="completeness matrix exported",
    )
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="archives-matrix-{year}.xlsx"'
    return response


def office_regions(user: Any) -> QuerySet[Region]:
    """The regions the user is office over (the broadest ones granted)."""
    scope = scope_of(user)
    if scope.everything:
        return Region.objects.filter(parent__isnull=True).order_by("path")
    return Region.objects.filter(path__in=scope.prefixes_for(Role.OFFICE)).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def package_view(request: HttpRequest) -> HttpResponse:
    """Request a declaration package; list the packages asked for."""
    need(request, "archives.manage")
    regions = list(office_regions(request.user))
    frameworks = list(Framework.objects.filter(status=FrameworkStatus.ACTIVE).order_by("code"))
    form = ExportForm(request.POST or None, initial={"year": year_of(request)})
    if request.method == "POST" and form.is_valid():
        if not regions or not frameworks:
            raise Http404
        region = next((r for r in regions if str(r.pk) == request.POST.get("region")), regions[0])
        framework = next(
            (f for f in frameworks if str(f.pk) == request.POST.get("framework")), frameworks[0]
        )
        export = package.request_export(
            actor=request.user,
            region=region,
            framework=framework,
            year=form.cleaned_data["year"],
            include_all=form.cleaned_data["include_all"],
        )
        if package.is_small(export):
            status = package.build_export(export.pk)
            if status == ExportStatus.DONE:
                messages.success(request, _("The package is ready to download."))
            else:
                export.refresh_from_db()
                messages.error(request, export.error)
        else:
            package.queue_export(export.pk)
            messages.success(
                request,
                _("The package is large: it is being built; this page shows when it is ready."),
            )
        return redirect("archives:package")
    exports = list(
        DeclarationExport.objects.visible_to(request.user)
        .select_related("region", "framework", "requested_by")
        .order_by("-created_at", "-pk")[:20]
    )
    return render(
        request,
        "archives/package.html",
        {
            **tabs(request),
            "tab": "package",
            "form": form,
            "regions": regions,
            "frameworks": frameworks,
            "exports": exports,
        },
    )


@login_required
@require_GET
def package_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    export = get_object_or_404(
        DeclarationExport.objects.visible_to(request.user).filter(status=ExportStatus.DONE), pk=pk
    )
    try:
        handle = archive_storage().open(export.storage_name, "rb")
    except OSError as exc:
        raise Http404 from exc
    audit.record(request.user, AuditAction.EXPORT, export, note="declaration package downloaded")
    response = FileResponse(
        handle,
        content_type="application/zip",
        as_attachment=True,
        filename=f"declaration-{export.year}-{export.pk}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def sync(request: HttpRequest) -> HttpResponse:
    """Bring a year's owed materials in line with the frameworks and the calendar now."""
    need(request, "archives.manage")
    year = year_of(request)
    raw = request.POST.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        year = int(raw)
    result = sync_requirements(year, actor=request.user)
    messages.success(
        request,
        _(
            "Owed materials of %(year)d: %(created)d added, %(moved)d due dates changed, "
            "%(removed)d removed."
        )
        % {"year": year, **result.as_dict()},
    )
    return redirect(f"{redirect('archives:index').url}?year={year}")
