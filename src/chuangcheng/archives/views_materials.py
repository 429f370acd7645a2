"""Material pages: the library with search, one material with its versions and history, a new
version, and the file download — served only here, to those who may see the material."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.archives.domain import materials as filing
from chuangcheng.archives.domain.filecheck import DOCX, XLSX
from chuangcheng.archives.domain.review import levels, status_text
from chuangcheng.archives.domain.search import search
from chuangcheng.archives.forms import VersionForm
from chuangcheng.archives.models import Attachment, Material, MaterialVersion, Review
from chuangcheng.archives.storage import archive_storage
from chuangcheng.archives.views import PAGE_SIZE, form_errors, need, tabs
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction


@login_required
@require_GET
def library(request: HttpRequest) -> HttpResponse:
    """The materials the user may see, newest first; with ``q``, those whose title, description
    or file text holds the words, each with a highlighted snippet."""
    need(request, "archives.view_archives")
    query = request.GET.get("q", "").strip()[:100]
    hits = search(request.user, query) if query else None
    page = None
    if hits is None:
        qs = Material.objects.visible_to(request.user).select_related("unit", "current")
        page = Paginator(qs.order_by("-updated_at", "-pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
    return render(
        request,
        "archives/library.html",
        {**tabs(request), "tab": "library", "q": query, "hits": hits, "page": page},
    )


def _material(request: HttpRequest, pk: int) -> Material:
    return get_object_or_404(
        Material.objects.visible_to(request.user).select_related(
            "unit__region", "current", "uploaded_by"
        ),
        pk=pk,
    )


def material_context(
    request: HttpRequest, material: Material, form: VersionForm | None = None
) -> dict[str, object]:
    all_levels = levels()
    versions = list(material.versions.select_related("uploaded_by").order_by("-number"))
    attachments = list(
        Attachment.objects.filter(material=material)
        .select_related("requirement__clause", "version")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer", "version"))
        )
        .order_by("requirement__year", "requirement__clause__seq")
    )
    names = {lv.number: lv.name for lv in all_levels}
    for a in attachments:
        a.status = status_text(a, all_levels)  # type: ignore[attr-defined]
        for r in a.reviews.all():
            r.level_name = names.get(r.level, str(r.level))  # type: ignore[attr-defined]
    history = sorted(
        (r for a in attachments for r in a.reviews.all()),
        key=lambda r: (r.decided_at, r.pk),
        reverse=True,
    )
    return {
        **tabs(request),
        "material": material,
        "versions": versions,
        "attachments": attachments,
        "history": history,
        "may_file": request.user.has_perm("archives.file_material", material),
        "form": form or VersionForm(),
    }


@login_required
@require_GET
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = _material(request, pk)
    return render(request, "archives/material.html", material_context(request, material))


@login_required
@require_POST
def new_version(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a corrected file; returned and pending clauses are resubmitted with it."""
    material = _material(request, pk)
    need(request, "archives.file_material", material)
    form = VersionForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            filing.add_version(
                actor=request.user,
                material=material,
                upload=filing.Upload(upload.name, upload.read()),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("New version uploaded and resubmitted for review."))
            back = request.POST.get("next", "")
            if back.startswith("/archives/") and "//" not in back:
                return redirect(back)
            return redirect("archives:material", pk=material.pk)
    ctx = material_context(request, material, form)
    return render(request, "archives/material.html", ctx, status=400)


@login_required
@require_GET
def download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """One version's file, to whoever may see its material; audited. Office files download,
    PDFs and photos open in the browser."""
    version = get_object_or_404(
        MaterialVersion.objects.visible_to(request.user).select_related("material"), pk=pk
    )
    try:
        handle = archive_storage().open(version.storage_name, "rb")
    except OSError as exc:
        raise Http404 from exc
    audit.record(
        request.user,
        AuditAction.EXPORT,
        version,
        after={"material": version.material_id, "version": version.number},
        note="archive file downloaded",
    )
    response = FileResponse(
        handle,
        content_type=version.content_type,
        as_attachment=version.content_type in (DOCX, XLSX),
        filename=version.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
