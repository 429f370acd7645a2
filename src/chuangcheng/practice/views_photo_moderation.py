"""Station staff decide whether an evidence photo may be shown outside the station."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.cases.models import Photo
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.photo_moderation import moderate_evidence
from chuangcheng.practice.models import OrderPhoto, WishPhoto
from chuangcheng.practice.views_orders import visible_order
from chuangcheng.practice.views_wishes import visible_wish


def _decide(request: HttpRequest, photo: Photo, subject: Any, back: str) -> HttpResponse:
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        messages.error(request, _("Choose whether to approve the photo or keep it private."))
        return redirect(back)
    try:
        moderate_evidence(photo, actor=request.user, subject=subject, approve=decision == "approve")
    except PracticeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Photo approved for public display.")
            if decision == "approve"
            else _("Photo kept private."),
        )
    return redirect(back)


@login_required
@require_POST
def order_photo_moderate(request: HttpRequest, pk: int, photo_pk: int) -> HttpResponse:
    order = visible_order(request, pk)
    link = get_object_or_404(
        OrderPhoto.objects.select_related("photo"), order=order, photo_id=photo_pk
    )
    back = reverse("practice:order_detail", args=[order.pk]) + "#evidence"
    return _decide(request, link.photo, order, back)


@login_required
@require_POST
def wish_photo_moderate(request: HttpRequest, pk: int, photo_id: int) -> HttpResponse:
    wish = visible_wish(request, pk)
    link = get_object_or_404(
        WishPhoto.objects.select_related("photo"), wish=wish, photo_id=photo_id
    )
    back = reverse("practice:wish_detail", args=[wish.pk]) + "#evidence"
    return _decide(request, link.photo, wish, back)
