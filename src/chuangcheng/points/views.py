"""Point pages: list, detail, edit, import, types. Thin: parse → query or domain → render."""

from __future__ import annotations

import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.core.models import AuditEntry
from chuangcheng.points import domain, geometry, queries
from chuangcheng.points.forms import ImportForm, PointForm
from chuangcheng.points.interfaces import exporter
from chuangcheng.points.interfaces.importer import run_import
from chuangcheng.points.interfaces.tables import FORMATS
from chuangcheng.points.map_config import map_config
from chuangcheng.points.models import Point


def visible_point(request: HttpRequest, code: str) -> Point:
    """The point if the user may see it; 404 otherwise (never reveal that it exists)."""
    qs = Point.objects.visible_to(request.user).select_related(
        "type", "region", "region__parent", "territorial_unit", "line_unit"
    )
    return get_object_or_404(qs, code=code)


def _require_manage(request: HttpRequest, point: Point | None = None) -> None:
    if not request.user.has_perm("points.manage_point", point):
        raise PermissionDenied


@login_required
@require_GET
def point_list(request: HttpRequest) -> HttpResponse:
    f = queries.Filters.from_query(request.GET)
    page = Paginator(queries.points_for(request.user, f), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "points/list.html",
        {
            "page": page,
            "f": f,
            "query": query.urlencode(),
            "formats": FORMATS,
            "can_manage": request.user.has_perm("points.manage_point"),
            **queries.filter_options(request.user),
        },
    )


@login_required
@require_GET
def point_export(request: HttpRequest) -> HttpResponse:
    """The filtered, visible rows in the import format; audited."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    f = queries.Filters.from_query(request.GET)
    points = list(exporter.export_queryset(queries.points_for(request.user, f)))
    data = exporter.export(points, fmt)
    domain.record_export(actor=request.user, fmt=fmt, count=len(points), filters=f.as_text())
    response = HttpResponse(data, content_type=exporter.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="points.{fmt}"'
    return response


@login_required
@require_GET
def point_detail(request: HttpRequest, code: str) -> HttpResponse:
    point = visible_point(request, code)
    history = list(
        AuditEntry.objects.filter(object_type="points.point", object_id=str(point.pk)).order_by(
            "-at", "-id"
        )[:100]
    )
    labels = {f.attname: f.verbose_name for f in Point._meta.concrete_fields}
    for entry in history:
        entry.changed_labels = [str(labels.get(k, k)) for k in (entry.after or {})]  # type: ignore[attr-defined]
    config = map_config(request)
    config["point"] = {
        "lng": float(point.lng),
        "lat": float(point.lat),
        "name": point.name,
    }
    street = geometry.street_of(point.region)
    config["outline"] = street.boundary or None
    return render(
        request,
        "points/detail.html",
        {
            "point": point,
            "street": street,
            "history": history,
            "config": config,
            "can_manage": request.user.has_perm("points.manage_point", point),
        },
    )


@login_required
def point_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = PointForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            point = domain.create_point(actor=request.user, data=form.point_data())
        except domain.PointValidationError as exc:
            _attach(form, exc)
        else:
            messages.success(request, _("Point %(code)s created.") % {"code": point.code})
            return redirect("points:detail", code=point.code)
    return render(request, "points/form.html", {"form": form, "point": None})


@login_required
def point_edit(request: HttpRequest, code: str) -> HttpResponse:
    point = visible_point(request, code)
    _require_manage(request, point)
    # The form writes cleaned values onto its instance; keep the original for the audit's "before".
    form = PointForm(request.POST or None, instance=copy.copy(point), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_point(point, actor=request.user, data=form.point_data())
        except domain.PointValidationError as exc:
            _attach(form, exc)
        except PermissionDenied:
            form.add_error("street", _("You may not move the point into this street."))
        else:
            messages.success(request, _("Point %(code)s saved.") % {"code": point.code})
            return redirect("points:detail", code=point.code)
    return render(request, "points/form.html", {"form": form, "point": point})


def _attach(form: PointForm, exc: domain.PointValidationError) -> None:
    for field, msgs in exc.errors.items():
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@login_required
@require_POST
def point_set_active(request: HttpRequest, code: str) -> HttpResponse:
    point = visible_point(request, code)
    _require_manage(request, point)
    active = request.POST.get("active") == "1"
    domain.set_active(point, actor=request.user, active=active)
    if active:
        messages.success(request, _("Point %(code)s reactivated.") % {"code": point.code})
    else:
        messages.success(request, _("Point %(code)s deactivated.") % {"code": point.code})
    return redirect("points:detail", code=point.code)


@login_required
def point_import(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = run_import(
            upload.name,
            upload.read(),
            actor=request.user,
            crs=form.cleaned_data["crs"],
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.written:
            messages.success(
                request,
                _("Imported: %(c)s created, %(u)s updated.")
                % {"c": report.created, "u": report.updated},
            )
            return redirect("points:list")
    return render(request, "points/import.html", {"form": form, "report": report})


@login_required
@require_GET
def point_import_template(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    from chuangcheng.points.interfaces.template import points_template

    response = HttpResponse(
        points_template(request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="points-template.xlsx"'
    return response


@login_required
@require_GET
def point_types(request: HttpRequest) -> HttpResponse:
    types = list(queries.types_with_counts(request.user))
    return render(request, "points/types.html", {"types": types})
