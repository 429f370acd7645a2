"""Public wish pages under /p/ (no login: the link is the key).

- ``/p/wish/<station token>/``: a resident makes a wish at the station whose QR code or link
  they were given. Limited per network address (keyed hash) and hour; beyond the limit a
  friendly page answers 429.
- ``/p/w/<wish token>/``: whoever holds a wish's link follows it and, once fulfilled, rates it.
  The page shows the status, dates and the face-blurred evidence: no names, no phones.

Unknown tokens answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.cases.enums import Moderation
from chuangcheng.core.crypto import keyed_hash
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.wishes import rate_wish
from chuangcheng.practice.domain.wishes_submit import (
    IP_PURPOSE,
    NOTICE_VERSION,
    RateLimitedError,
    submit_wish,
)
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.forms_wishes import RateForm, WishFields
from chuangcheng.practice.interfaces import photos
from chuangcheng.practice.models import PracticeSite, Wish, WishPhoto
from chuangcheng.practice.views_wishes import form_errors, labelled

PAGE = "practice/wishes/public.html"


def _wish(token: str) -> Wish:
    found = (
        Wish.objects.select_related("site", "region", "claimed_unit")
        .filter(public_token=token)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _follow(request: HttpRequest, wish: Wish, form: RateForm, status: int = 200) -> HttpResponse:
    events = labelled(list(wish.events.only("from_status", "to_status", "at", "wish_id")))
    return render(
        request,
        PAGE,
        {
            "inner": "practice/wishes/_follow.html",
            "wish": wish,
            "events": events,
            "photo_ids": list(
                WishPhoto.objects.filter(wish=wish)
                .filter(photo__moderation=Moderation.APPROVED)
                .exclude(photo__public_image="")
                .order_by("pk")
                .values_list("photo_id", flat=True)
            ),
            "form": form,
            "title": wish.title,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def wish_follow(request: HttpRequest, token: str) -> HttpResponse:
    """A wish's status by its link; the rating form once it is fulfilled."""
    wish = _wish(token)
    if request.method == "GET":
        return _follow(request, wish, RateForm())
    form = RateForm(request.POST)
    if wish.status != WishStatus.FULFILLED:
        messages.error(request, _("This wish cannot be rated now."))
        return redirect(request.path)
    if not form.is_valid():
        return _follow(request, wish, form, status=400)
    try:
        rate_wish(
            wish,
            actor=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data.get("comment", ""),
            by_link=True,
        )
    except PracticeError as exc:
        for msgs in form_errors(form, exc).values():
            form.add_error(None, msgs)
        return _follow(request, wish, form, status=400)
    messages.success(request, _("Thank you for your rating."))
    return redirect(request.path)


@require_GET
def wish_follow_photo(request: HttpRequest, token: str, photo_id: int) -> HttpResponseBase:
    """The face-blurred public copy of one of the wish's evidence photos."""
    wish = _wish(token)
    found = WishPhoto.objects.filter(wish=wish, photo_id=photo_id).select_related("photo").first()
    response = photos.public_response(found.photo) if found is not None else None
    if response is None:
        raise Http404
    return response


def _station(token: str) -> PracticeSite:
    found = (
        PracticeSite.objects.select_related("region")
        .filter(public_token=token, kind=SiteKind.STATION, active=True)
        .first()
    )
    if found is None:
        raise Http404
    return found


@require_http_methods(["GET", "POST"])
def wish_submit(request: HttpRequest, token: str) -> HttpResponse:
    """A wish made through a station's public link; then the wish's own link to follow it."""
    site = _station(token)
    form = WishFields(request.POST or None)
    context = {
        "inner": "practice/wishes/_public_form.html",
        "site": site,
        "form": form,
        "notice_version": NOTICE_VERSION,
        "today": timezone.localdate(),
        "title": site.name,
    }
    if request.method == "GET" or not form.is_valid():
        return render(request, PAGE, context, status=200 if request.method == "GET" else 400)
    ip = str(request.META.get("REMOTE_ADDR") or "")
    try:
        wish = submit_wish(
            site,
            form.wish_data(),
            actor=request.user,
            by_link=True,
            ip_hash=keyed_hash(ip, IP_PURPOSE) if ip else "",
        )
    except RateLimitedError:
        context["inner"] = "practice/wishes/_rate_limited.html"
        return render(request, PAGE, context, status=429)
    except PracticeError as exc:
        for msgs in form_errors(form, exc).values():
            form.add_error(None, msgs)
        return render(request, PAGE, context, status=400)
    messages.success(
        request,
        _(
            "Your wish has been sent. Keep this page's address (bookmark it): it shows how "
            "your wish is going, and lets you rate it once fulfilled."
        ),
    )
    return redirect(reverse("practice_public:wish_follow", args=[wish.public_token]))
