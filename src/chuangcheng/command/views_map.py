"""The 挂图指挥 map page and the office's key areas (重点区域). Thin: the data comes from
/api/v1/map/ (``api_map``); key-area changes go through ``domain.map_key_areas``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangcheng.command.domain.map_geometry import OutlineError
from chuangcheng.command.domain.map_key_areas import (
    create_key_area,
    delete_key_area,
    update_key_area,
)
from chuangcheng.command.forms_map import KeyAreaForm
from chuangcheng.command.map_labels import map_page_config
from chuangcheng.command.models import KeyArea


def _need_map(request: HttpRequest) -> None:
    if not request.user.has_perm("command.view_map"):
        raise PermissionDenied


@login_required
@require_GET
def command_map(request: HttpRequest) -> HttpResponse:
    _need_map(request)
    return render(
        request,
        "command/map.html",
        {
            "config": map_page_config(request),
            "can_manage": request.user.has_perm("command.manage_key_areas"),
        },
    )


@login_required
@require_GET
def key_area_list(request: HttpRequest) -> HttpResponse:
    _need_map(request)
    areas = KeyArea.objects.visible_to(request.user).select_related("region", "created_by")
    return render(
        request,
        "command/map_key_areas.html",
        {"areas": areas, "can_manage": request.user.has_perm("command.manage_key_areas")},
    )


def _form_page(
    request: HttpRequest, form: KeyAreaForm, area: KeyArea | None = None
) -> HttpResponse:
    return render(request, "command/map_key_area_form.html", {"form": form, "area": area})


def _save(request: HttpRequest, form: KeyAreaForm, area: KeyArea | None) -> HttpResponse | None:
    """Run the domain on a valid form; None (errors on the form, nothing saved) otherwise."""
    if not form.is_valid():
        return None
    try:
        if area is None:
            saved = create_key_area(form.area_data(), actor=request.user)
        else:
            saved = update_key_area(area, form.area_data(), actor=request.user)
    except OutlineError as exc:
        form.add_error(None, str(exc))
        return None
    messages.success(request, _("Key area “%(name)s” saved.") % {"name": saved.name})
    return redirect(reverse("command:key_areas"))


@login_required
@require_http_methods(["GET", "POST"])
def key_area_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("command.manage_key_areas"):
        raise PermissionDenied
    form = KeyAreaForm(request.POST or None, user=request.user)
    if request.method == "POST" and (done := _save(request, form, None)) is not None:
        return done
    return _form_page(request, form)


def _managed_area(request: HttpRequest, pk: int) -> KeyArea:
    area: KeyArea = get_object_or_404(
        KeyArea.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not request.user.has_perm("command.manage_key_areas", area):
        raise PermissionDenied
    return area


@login_required
@require_http_methods(["GET", "POST"])
def key_area_edit(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    form = KeyAreaForm(request.POST or None, user=request.user, area=area)
    if request.method == "POST" and (done := _save(request, form, area)) is not None:
        return done
    return _form_page(request, form, area)


@login_required
@require_POST
def key_area_delete(request: HttpRequest, pk: int) -> HttpResponse:
    area = _managed_area(request, pk)
    name = area.name
    delete_key_area(area, actor=request.user)
    messages.success(request, _("Key area “%(name)s” deleted.") % {"name": name})
    return redirect(reverse("command:key_areas"))
