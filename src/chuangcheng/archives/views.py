"""Archive pages: what is owed (the list and one clause's page), filing and reviewing there.
Thin: parse → domain → render or redirect. Rows come from ``visible_to``; anything outside
answers 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.archives.domain import materials as filing
from chuangcheng.archives.domain.review import decide, levels, may_decide, status_text
from chuangcheng.archives.enums import AttachmentState, Cell
from chuangcheng.archives.forms import AttachForm, DecideForm, UploadForm
from chuangcheng.archives.models import Attachment, Material, Requirement, Review
from chuangcheng.orgs.models import Unit

PAGE_SIZE = 50


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def year_of(request: HttpRequest) -> int:
    raw = request.GET.get("year", "")
    if raw.isdigit() and 2000 <= int(raw) <= 2100:
        return int(raw)
    return timezone.localdate().year


def tabs(request: HttpRequest) -> dict[str, bool]:
    user = request.user
    return {
        "may_see_matrix": user.has_perm("archives.view_matrix"),
        "may_review": user.has_perm("archives.review"),
        "may_manage": user.has_perm("archives.manage"),
    }


def form_errors(form: Any, exc: ValidationError) -> None:
    """Put a domain ValidationError on the form's fields (unknown fields: the form)."""
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """Owed materials of a year: a unit's own, or every unit's in the user's regions."""
    need(request, "archives.view_archives")
    year = year_of(request)
    qs = Requirement.objects.visible_to(request.user).filter(year=year).with_cells()
    units = list(
        Unit.objects.filter(
            pk__in=Requirement.objects.visible_to(request.user).filter(year=year).values("unit_id")
        ).order_by("path")
    )
    unit = request.GET.get("unit", "")
    if unit:
        if not unit.isdigit() or all(u.pk != int(unit) for u in units):
            raise Http404
        qs = qs.filter(unit_id=int(unit))
    state = request.GET.get("state", "")
    if state in Cell.values:
        qs = qs.in_cell(state)
    qs = qs.select_related("clause", "unit").order_by(
        F("due_date").asc(nulls_last=True), "clause__seq", "unit__path", "pk"
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "archives/index.html",
        {
            **tabs(request),
            "tab": "owed",
            "year": year,
            "years": _years(request),
            "units": units,
            "unit": unit,
            "state": state,
            "states": Cell.choices,
            "page": page,
            "today": timezone.localdate(),
        },
    )


def _years(request: HttpRequest) -> list[int]:
    found = set(
        Requirement.objects.visible_to(request.user)
        .order_by()
        .values_list("year", flat=True)
        .distinct()
    )
    found.add(timezone.localdate().year)
    return sorted(found, reverse=True)


def _requirement(request: HttpRequest, pk: int) -> Requirement:
    return get_object_or_404(
        Requirement.objects.visible_to(request.user).select_related(
            "clause__parent__parent__parent", "clause__framework", "unit__region"
        ),
        pk=pk,
    )


def requirement_context(request: HttpRequest, req: Requirement, **forms: Any) -> dict[str, Any]:
    user = request.user
    all_levels = levels()
    attachments = list(
        req.attachments.select_related("material", "version", "submitted_by").prefetch_related(
            Prefetch(
                "reviews",
                queryset=Review.objects.select_related("reviewer", "version").order_by(
                    "decided_at", "pk"
                ),
            )
        )
    )
    may_file = user.has_perm("archives.file_material", req.unit)
    names = {lv.number: lv.name for lv in all_levels}
    for a in attachments:
        for r in a.reviews.all():
            r.level_name = names.get(r.level, str(r.level))  # type: ignore[attr-defined]
        a.requirement = req
        a.may_decide = may_decide(user, a, all_levels)  # type: ignore[attr-defined]
        a.status = status_text(a, all_levels)  # type: ignore[attr-defined]
        approved_once = any(r.decision == "approve" for r in a.reviews.all())
        withdrawable = may_file and a.state != AttachmentState.APPROVED and not approved_once
        a.may_withdraw = withdrawable  # type: ignore[attr-defined]
    reusable = (
        Material.objects.filter(unit=req.unit, current__isnull=False)
        .exclude(attachments__requirement=req)
        .order_by("-updated_at")
    )
    chain = []
    node = req.clause.parent
    while node is not None:
        chain.append(node)
        node = node.parent if node.parent_id else None
    return {
        **tabs(request),
        "req": req,
        "chain": list(reversed(chain)),
        "attachments": attachments,
        "cell": _cell(attachments),
        "may_file": may_file,
        "upload_form": forms.get("upload_form") or UploadForm(),
        "attach_form": forms.get("attach_form") or AttachForm(materials=reusable),
        "has_reusable": may_file and reusable.exists(),
        "decide_form": forms.get("decide_form"),
        "decide_for": forms.get("decide_for"),
        "today": timezone.localdate(),
    }


def _cell(attachments: list[Attachment]) -> str:
    from chuangcheng.archives.domain.matrix import cell_of

    return cell_of([a.state for a in attachments])


@login_required
@require_GET
def requirement(request: HttpRequest, pk: int) -> HttpResponse:
    req = _requirement(request, pk)
    return render(request, "archives/requirement.html", requirement_context(request, req))


@login_required
@require_POST
def file_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload a new material for this clause (the unit)."""
    req = _requirement(request, pk)
    need(request, "archives.file_material", req.unit)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            filing.file_material(
                actor=request.user,
                unit=req.unit,
                year=req.year,
                title=form.cleaned_data["title"],
                description=form.cleaned_data["description"],
                upload=filing.Upload(upload.name, upload.read()),
                requirements=[req],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Filed and submitted for review."))
            return redirect("archives:requirement", pk=req.pk)
    ctx = requirement_context(request, req, upload_form=form)
    return render(request, "archives/requirement.html", ctx, status=400)


@login_required
@require_POST
def attach_existing(request: HttpRequest, pk: int) -> HttpResponse:
    """Submit a material the unit already filed for this clause too, without uploading it."""
    req = _requirement(request, pk)
    need(request, "archives.file_material", req.unit)
    materials = Material.objects.filter(unit=req.unit, current__isnull=False)
    form = AttachForm(request.POST, materials=materials)
    if form.is_valid():
        try:
            filing.attach(
                actor=request.user, material=form.cleaned_data["material"], requirement=req
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Submitted for review without uploading again."))
            return redirect("archives:requirement", pk=req.pk)
    ctx = requirement_context(request, req, attach_form=form)
    return render(request, "archives/requirement.html", ctx, status=400)


def _attachment(request: HttpRequest, pk: int) -> Attachment:
    return get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related(
            "requirement__unit__region", "material", "version"
        ),
        pk=pk,
    )


@login_required
@require_POST
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Approve or return at the level the material waits at."""
    attachment = _attachment(request, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            decide(
                actor=request.user,
                attachment=attachment,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Approved.")
                if form.cleaned_data["decision"] == "approve"
                else _("Returned to the unit."),
            )
            back = request.POST.get("next", "")
            if not back.startswith("/archives/") or "//" in back:
                back = reverse("archives:requirement", args=[attachment.requirement_id])
            return redirect(back)
    req = _requirement(request, attachment.requirement_id)
    ctx = requirement_context(request, req, decide_form=form, decide_for=attachment.pk)
    return render(request, "archives/requirement.html", ctx, status=400)


@login_required
@require_POST
def withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    try:
        filing.withdraw(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, " ".join(m for ms in exc.message_dict.values() for m in ms))
    else:
        messages.success(request, _("Withdrawn; the material itself is kept."))
    return redirect("archives:requirement", pk=attachment.requirement_id)
