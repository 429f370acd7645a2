"""随手拍: the phone page where supervisors and residents report a problem, the answer page,
the category suggestion as they type, and the privacy notice. Thin: parse → domain → render."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain import photos, reporting
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.domain.suggest import suggest
from chuangcheng.cases.forms_report import MAX_PHOTOS, ReportForm, subclasses
from chuangcheng.cases.models import Case, Category, Photo
from chuangcheng.orgs.models import Region
from chuangcheng.points.map_config import map_config
from chuangcheng.points.models import Point


def require_perm(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def category_groups() -> list[dict[str, Any]]:
    """Active subclasses grouped under their class, for the class → subclass pickers."""
    groups: dict[int, dict[str, Any]] = {}
    for sub in subclasses():
        parent = sub.parent
        assert parent is not None
        group = groups.setdefault(
            parent.pk,
            {"id": parent.pk, "label": f"{parent.get_kind_display()} · {parent.name}", "subs": []},
        )
        group["subs"].append(sub)
    return list(groups.values())


def report_map_config(request: HttpRequest) -> dict[str, Any]:
    """The base map, centred on the user's regions with their outlines when they have one."""
    config = map_config(request)
    prefixes = scope_of(request.user).region_prefixes
    rows = list(
        Region.objects.filter(path__in=prefixes, boundary__isnull=False).values_list(
            "boundary", "center_lng", "center_lat"
        )[:5]
    )
    if rows:
        config["outline"] = {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": b, "properties": {}} for b, _x, _y in rows
            ],
        }
        lng, lat = rows[0][1], rows[0][2]
        if lng is not None and lat is not None:
            config["center"] = [float(lat), float(lng)]
    return config


def browser_texts() -> dict[str, str]:
    """Messages the page's script shows ("%s" is filled in by the script)."""
    return {
        "located": _("Located (about %s m)"),
        "locating": _("Finding your position…"),
        "noGps": _("Position unavailable: tap the map instead."),
        "picked": _("Place marked on the map."),
        "draftSaved": _("Draft kept on this phone."),
        "draftRestored": _("Your unsent report was restored."),
        "discard": _("Discard draft"),
        "offline": _(
            "No network: your report is kept on this phone. Send it when you are back online."
        ),
        "sending": _("Sending…"),
        "suggested": _("Suggested from your description: %s (you may change it)"),
        "remove": _("Remove"),
        "tooMany": _("At most %s photos per report."),
    }


def form_context(request: HttpRequest, form: Any, **extra: Any) -> dict[str, Any]:
    return {
        "texts": browser_texts(),
        "form": form,
        "groups": category_groups(),
        "config": report_map_config(request),
        "max_photos": MAX_PHOTOS,
        "max_mb": settings.PHOTO_MAX_BYTES // (1024 * 1024),
        "notice_version": settings.PRIVACY_NOTICE_VERSION,
        **extra,
    }


def _uploaded_files(request: HttpRequest) -> list[tuple[str, bytes]]:
    return [(f.name or "", f.read()) for f in request.FILES.getlist("photos") if f.size]


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request: HttpRequest) -> HttpResponse:
    """The 随手拍 form. On any refusal the form comes back filled: good photos are kept as the
    user's pending uploads, a bad file is named and nothing of that submission is stored."""
    require_perm(request, "cases.report_problem")
    if request.method == "GET":
        point = None
        code = request.GET.get("point", "").strip()
        if code:
            point = Point.objects.filter(code=code, active=True).first()
        form = ReportForm(initial={"point": point.code if point else ""})
        return render(
            request,
            "cases/report/form.html",
            form_context(request, form, point=point, unknown_point=code if point is None else ""),
        )
    form = ReportForm(request.POST)
    pending = photos.pending_photos(request.user, _ids(request.POST.getlist("pending")))
    files = _uploaded_files(request)
    rejected: list[str] = []  # files the browser should not offer again
    photo_errors: list[str] = []
    uploads: list[photos.Upload] = []
    if len(files) + len(pending) > MAX_PHOTOS:
        photo_errors.append(_too_many())
    else:
        try:
            uploads = photos.check_uploads(files)
        except photos.PhotoRejectedError as exc:
            photo_errors = exc.errors["photo"]
            rejected = exc.names
    position_errors: list[str] = []
    valid = form.is_valid()
    if valid and not photo_errors:
        try:
            case = reporting.submit_report(
                form.case_data(request.user), actor=request.user, uploads=uploads, pending=pending
            )
        except CaseValidationError as exc:
            position_errors = apply_errors(form, exc)
        else:
            return redirect("report:done", number=case.number)
    if uploads and not photo_errors:
        # Typed and taken data is never lost: good photos wait server-side for the next try.
        pending = [*pending, *photos.store_uploads(uploads, actor=request.user)]
    point = form.cleaned_data.get("point")
    return render(
        request,
        "cases/report/form.html",
        form_context(
            request,
            form,
            point=point,
            pending=pending,
            photo_errors=photo_errors,
            position_errors=position_errors,
            rejected=rejected,
            # None of this submission's files were kept: the browser offers its copies again.
            restore_files=bool(photo_errors),
        ),
        status=400,
    )


def _too_many() -> str:
    return _("At most %(n)d photos per report.") % {"n": MAX_PHOTOS}


def _ids(raw: list[str]) -> list[int]:
    return [int(v) for v in raw if v.isdigit()][:MAX_PHOTOS]


def apply_errors(form: Any, exc: CaseValidationError) -> list[str]:
    """Put the domain's field errors on the form; returns the position errors."""
    position: list[str] = []
    for key, messages in exc.errors.items():
        if key in form.fields:
            for m in messages:
                form.add_error(key, m)
        elif key == "position":
            position.extend(messages)
        else:
            for m in messages:
                form.add_error(None, m)
    return position


@login_required
@require_GET
def report_done(request: HttpRequest, number: str) -> HttpResponse:
    """The answer page: the case number for the person who reported or entered it."""
    me = request.user
    case = get_object_or_404(
        Case.objects.select_related("category", "point", "region").filter(
            Q(reporter=me) | Q(created_by=me)
        ),
        number=number,
    )
    photo_list = list(Photo.objects.filter(case=case).order_by("pk"))
    return render(request, "cases/report/done.html", {"case": case, "photos": photo_list})


@login_required
@require_GET
def suggest_json(request: HttpRequest) -> JsonResponse:
    """The suggested subclass for the text typed so far (and the point, when there is one)."""
    require_perm(request, "cases.report_problem")
    text = request.GET.get("text", "")[:2000]
    region = None
    code = request.GET.get("point", "").strip()
    if code:
        region = Region.objects.filter(points__code=code).first()
    found = suggest(text, region=region)
    category: Category | None = found.category
    return JsonResponse(
        {
            "category": (
                {
                    "id": category.pk,
                    "code": category.code,
                    "name": category.name,
                    "classId": category.parent_id,
                }
                if category
                else None
            ),
            "confidence": round(found.confidence, 3),
            "method": found.method,
        },
        json_dumps_params={"ensure_ascii": False},
    )


@login_required
@require_GET
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request, "cases/report/privacy.html", {"notice_version": settings.PRIVACY_NOTICE_VERSION}
    )
