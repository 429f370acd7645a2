"""The moves of a wish, posted from its page, the wall or the station's list, and its evidence
photos. Each finds the wish among those the user sees (else 404), calls one domain function and
goes back where the user came from (``next``, a path on this site) or to the wish's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.forms_wishes import ClaimForm, FulfilForm, RateForm, ReasonForm
from chuangcheng.practice.interfaces import photos
from chuangcheng.practice.models import Wish, WishPhoto
from chuangcheng.practice.views_wishes import (
    detail_with_errors,
    form_errors,
    visible_wish,
)


def _back(request: HttpRequest, wish: Wish) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("practice:wish_detail", pk=wish.pk)


def _refused(request: HttpRequest, wish: Wish, exc: PracticeError) -> HttpResponse:
    for msg in (m for ms in exc.errors.values() for m in ms):
        messages.error(request, msg)
    return _back(request, wish)


@login_required
@require_POST
def wish_publish(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    try:
        wishes.publish_wish(wish, actor=request.user)
    except PracticeError as exc:
        return _refused(request, wish, exc)
    messages.success(request, _("Wish %(code)s is on the wish wall.") % {"code": wish.code})
    return _back(request, wish)


@login_required
@require_POST
def wish_claim(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    form = ClaimForm(request.POST, units=wishes.claim_units(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose for whom you claim the wish."))
        return _back(request, wish)
    try:
        wishes.claim_wish(wish, actor=request.user, unit=form.cleaned_data.get("unit"))
    except PracticeError as exc:
        return _refused(request, wish, exc)
    messages.success(
        request,
        _("You claimed “%(title)s”. Thank you! Record it here once it is fulfilled.")
        % {"title": wish.title},
    )
    return redirect("practice:wish_detail", pk=wish.pk)


@login_required
@require_POST
def wish_release(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        wishes.release_wish(wish, actor=request.user, reason=reason)
    except PracticeError as exc:
        return _refused(request, wish, exc)
    messages.success(request, _("The wish is back on the wish wall."))
    return _back(request, wish)


@login_required
@require_POST
def wish_fulfil(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    form = FulfilForm(request.POST)
    files = [f for f in request.FILES.getlist("photos") if f.size]
    if not form.is_valid():
        return detail_with_errors(request, wish, fulfil_form=form)
    try:
        wishes.fulfil_wish(wish, actor=request.user, note=form.cleaned_data["note"], files=files)
    except PracticeError as exc:
        rest = form_errors(form, exc)
        photo_errors = [m for ms in rest.values() for m in ms]
        return detail_with_errors(request, wish, fulfil_form=form, photo_errors=photo_errors)
    messages.success(request, _("Recorded as fulfilled. Thank you!"))
    return redirect("practice:wish_detail", pk=wish.pk)


@login_required
@require_POST
def wish_rate(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    form = RateForm(request.POST)
    if not form.is_valid():
        return detail_with_errors(request, wish, rate_form=form)
    try:
        wishes.rate_wish(
            wish,
            actor=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment", ""),
        )
    except PracticeError as exc:
        form_errors(form, exc)
        return detail_with_errors(request, wish, rate_form=form)
    messages.success(request, _("Thank you for your rating."))
    return redirect("practice:wish_detail", pk=wish.pk)


@login_required
@require_POST
def wish_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        wishes.cancel_wish(wish, actor=request.user, reason=reason)
    except PracticeError as exc:
        form_errors(form, exc)
        return detail_with_errors(request, wish, cancel_form=form)
    messages.success(request, _("The wish was cancelled."))
    return _back(request, wish)


@login_required
@require_GET
def wish_photo(request: HttpRequest, pk: int, photo_id: int, kind: str) -> HttpResponseBase:
    """An evidence photo of a wish the user sees: the original or its thumbnail for station
    readers and the claimer; the face-blurred public copy for anyone who sees the wish."""
    wish = visible_wish(request, pk)
    found = WishPhoto.objects.filter(wish=wish, photo_id=photo_id).select_related("photo").first()
    if found is None:
        raise Http404
    photo = found.photo
    if kind == "public":
        preview = request.user.has_perm("practice.manage_network", wish)
        response = photos.public_response(photo, preview=preview)
        if response is None:
            raise Http404
        return response
    user = request.user
    if not (
        user.has_perm("practice.view_network", wish) or user.has_perm("practice.fulfil_wish", wish)
    ):
        raise Http404
    if kind == "thumb":
        return photos.thumb_response(photo)
    return photos.original_response(photo, viewer=user)
