"""Region tree and unit pages: parse → domain → render. Rows come from ``visible_to(user)``;
anything outside the user's scope is a 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.orgs import domain, queries
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.forms import RegionCreateForm, RegionEditForm, UnitFilterForm, UnitForm
from chuangcheng.orgs.models import Region, Unit

UNITS_PER_PAGE = 25


def _form_error(form: forms.Form, err: domain.OrgsError) -> None:
    form.add_error(err.field if err.field in form.fields else None, err.message)


def _visible_region(request: HttpRequest, code: str) -> Region:
    return get_object_or_404(Region.objects.visible_to(request.user), code=code)


def _visible_unit(request: HttpRequest, code: str) -> Unit:
    return get_object_or_404(
        Unit.objects.visible_to(request.user).select_related("region", "parent"), code=code
    )


@login_required
def region_tree(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    roots = queries.region_nodes(request.user)
    shown = queries.filter_nodes(roots, q)
    if not q:
        # Grid cells are three quarters of the tree: counted on each community row and listed
        # on the community's own page, not drawn here (the page stays light on phones).
        queries.fold_grid_cells(shown)
    approximate = any(_any_approximate(n) for n in roots)
    return render(
        request,
        "orgs/region_tree.html",
        {
            "roots": shown,
            "q": q,
            "approximate": approximate,
            "open_depth": 2 if not q else 9,
            "can_manage": request.user.has_perm("orgs.manage_region"),
        },
    )


def _any_approximate(node: queries.RegionNode) -> bool:
    return node.region.boundary_approximate or any(_any_approximate(c) for c in node.children)


@login_required
def region_detail(request: HttpRequest, code: str) -> HttpResponse:
    region = _visible_region(request, code)
    children_qs = Region.objects.visible_to(request.user).filter(parent=region)
    child_nodes: list[queries.RegionNode] = []
    for root in queries.region_nodes(
        request.user, Region.objects.visible_to(request.user).filter(path__startswith=region.path)
    ):
        child_nodes = root.children
    units = (
        Unit.objects.visible_to(request.user)
        .filter(region=region)
        .annotate(
            n_territorial=Count("territorial_points", distinct=True),
            n_line=Count("line_points", distinct=True),
        )
        .order_by("kind", "path")
    )
    features = [_feature(region, main=True)] + [_feature(c) for c in children_qs if c.boundary]
    return render(
        request,
        "orgs/region_detail.html",
        {
            "region": region,
            "crumbs": queries.ancestors(region),
            "children": child_nodes,
            "units": units,
            "features": {"type": "FeatureCollection", "features": [f for f in features if f]},
            "has_map": any(f for f in features if f and f["geometry"]),
            "child_level": domain.child_level(region.level),
            "can_manage": request.user.has_perm("orgs.manage_region", region),
        },
    )


def _feature(region: Region, main: bool = False) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": region.boundary,
        "properties": {
            "code": region.code,
            "name": region.name,
            "main": main,
            "approximate": region.boundary_approximate,
        },
    }


@login_required
def region_edit(request: HttpRequest, code: str) -> HttpResponse:
    region = _visible_region(request, code)
    if not request.user.has_perm("orgs.manage_region", region):
        raise Http404
    initial = {
        "name": region.name,
        "boundary": region.boundary,
        "boundary_approximate": region.boundary_approximate,
    }
    form = RegionEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_region(actor=request.user, region=region, **form.cleaned_data)
        except domain.OrgsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The region was saved."))
            return redirect("orgs:region_detail", code=region.code)
    return render(
        request,
        "orgs/region_form.html",
        {"form": form, "region": region, "crumbs": [*queries.ancestors(region), region]},
    )


@login_required
def region_create(request: HttpRequest, code: str) -> HttpResponse:
    parent = _visible_region(request, code)
    level = domain.child_level(parent.level)
    if level is None or not request.user.has_perm("orgs.manage_region", parent):
        raise Http404
    form = RegionCreateForm(request.POST or None, initial={"code": parent.code, "level": level})
    if request.method == "POST" and form.is_valid():
        try:
            region = domain.create_region(actor=request.user, parent=parent, **form.cleaned_data)
        except domain.OrgsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The region was created."))
            return redirect("orgs:region_detail", code=region.code)
    return render(
        request,
        "orgs/region_form.html",
        {
            "form": form,
            "parent": parent,
            "crumbs": [*queries.ancestors(parent), parent],
            "level_label": RegionLevel(level).label,
        },
    )


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    filters = UnitFilterForm(request.GET or None, user=request.user)
    data = filters.cleaned_data if filters.is_valid() else {}
    units = queries.unit_filter(
        queries.units_with_counts(request.user),
        kind=data.get("kind") or "",
        street=data.get("street"),
        text=data.get("q") or "",
    )
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "orgs/unit_list.html",
        {
            "page": page,
            "filters": filters,
            "can_manage": request.user.has_perm("orgs.manage_unit"),
        },
    )


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    counts = Unit.objects.filter(pk=unit.pk).aggregate(
        n_territorial=Count("territorial_points", distinct=True),
        n_line=Count("line_points", distinct=True),
    )
    children = Unit.objects.visible_to(request.user).filter(parent=unit).select_related("region")
    return render(
        request,
        "orgs/unit_detail.html",
        {
            "unit": unit,
            "counts": counts,
            "children": children,
            "crumbs": [*queries.ancestors(unit.region), unit.region] if unit.region else [],
            "can_manage": request.user.has_perm("orgs.manage_unit", unit),
        },
    )


def _unit_data(cleaned: dict[str, Any]) -> domain.UnitData:
    return domain.UnitData(**{f: cleaned.get(f) or _blank(f) for f in domain.UNIT_FIELDS})


def _blank(field: str) -> Any:
    return None if field in ("region", "parent") else ""


@login_required
def unit_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("orgs.manage_unit"):
        raise Http404
    form = UnitForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            unit = domain.create_unit(
                actor=request.user,
                code=form.cleaned_data["code"],
                data=_unit_data(form.cleaned_data),
            )
        except domain.OrgsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The unit was created."))
            return redirect("orgs:unit_detail", code=unit.code)
    return render(request, "orgs/unit_form.html", {"form": form})


@login_required
def unit_edit(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    if not request.user.has_perm("orgs.manage_unit", unit):
        raise Http404
    initial = {f: getattr(unit, f) for f in domain.UNIT_FIELDS if not f.endswith("_phone")}
    initial["code"] = unit.code
    if request.method != "POST":  # shown in clear to be corrected: a view of personal data
        initial.update(domain.phones_for_editing(actor=request.user, unit=unit))
    form = UnitForm(request.POST or None, user=request.user, unit=unit, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_unit(actor=request.user, unit=unit, data=_unit_data(form.cleaned_data))
        except domain.OrgsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The unit was saved."))
            return redirect("orgs:unit_detail", code=unit.code)
    return render(request, "orgs/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_POST
def unit_set_active(request: HttpRequest, code: str) -> HttpResponse:
    unit = _visible_unit(request, code)
    active = request.POST.get("active") == "1"
    try:
        domain.set_unit_active(actor=request.user, unit=unit, active=active)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(
        request, _("The unit was reactivated.") if active else _("The unit was deactivated.")
    )
    return redirect("orgs:unit_detail", code=unit.code)


@login_required
@require_POST
def unit_reveal_phone(request: HttpRequest, code: str, which: str) -> HttpResponse:
    """The clear number for the office, as an htmx fragment; audited as VIEW_PERSONAL."""
    unit = _visible_unit(request, code)
    try:
        phone = domain.reveal_unit_phone(actor=request.user, unit=unit, which=which)
    except (PermissionDenied, domain.OrgsError) as exc:
        raise Http404 from exc
    return HttpResponse(
        format_html('<a class="mono" href="tel:{}">{}</a>', phone, phone or "—"),
        headers={"Cache-Control": "no-store"},
    )
