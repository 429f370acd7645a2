"""The 居民公约 page: everyone with a region reads the items that apply to them; the office
defines, edits and takes items out of use (audited in the domain)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points_convention import office_regions, save_item, set_active
from chuangcheng.practice.forms_bank import ConventionItemForm
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import ConventionItem
from chuangcheng.practice.views_access import need


@login_required
@require_GET
def convention(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = list(
        ConventionItem.objects.visible_to(user)
        .select_related("region")
        .order_by("region__path", "-active", "seq", "code")
    )
    may_manage = {i.pk for i in items if user.has_perm("practice.manage_convention", i)}
    return render(
        request,
        "practice/bank/convention.html",
        {
            "items": [i for i in items if i.active or i.pk in may_manage],
            "may_manage": may_manage,
            "may_add": bool(office_regions(user)),
        },
    )


def _item(request: HttpRequest, pk: int) -> ConventionItem:
    found = (
        ConventionItem.objects.visible_to(request.user)
        .select_related("region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    need(request, "practice.manage_convention", found)
    return found


@login_required
@require_http_methods(["GET", "POST"])
def convention_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    item = _item(request, pk) if pk is not None else None
    regions = office_regions(request.user)
    if item is None and not regions:
        raise PermissionDenied
    initial = (
        {
            "code": item.code,
            "title": item.title,
            "description": item.description,
            "points": item.points,
            "monthly_cap": item.monthly_cap,
            "seq": item.seq,
            "active": item.active,
        }
        if item is not None
        else {"active": True, "monthly_cap": 0, "seq": 0}
    )
    form = ConventionItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            save_item(
                actor=request.user,
                region=item.region if item is not None else regions[0],
                item=item,
                data=form.cleaned_data,
            )
        except PracticeError as exc:
            errors_into(form, exc)
        else:
            messages.success(request, _("The convention item is saved."))
            return redirect("practice:convention")
    region = item.region if item is not None else regions[0]
    return render(
        request,
        "practice/bank/convention_form.html",
        {"form": form, "item": item, "region": region},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def convention_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    set_active(item, actor=request.user, active=not item.active)
    if item.active:
        messages.success(request, _("The item is in use again."))
    else:
        messages.success(request, _("The item is no longer offered; past awards keep it."))
    return redirect("practice:convention")
