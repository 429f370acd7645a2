"""Awarding 居民公约 points on a phone: find the household (number, address, name, mobile or its
door QR code), tap the item, add a note or a photo, award. Thin: parse → domain → redirect."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.domain.photos import discard_files_on_failure
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.points import award_points, items_for, owner_balance
from chuangcheng.practice.forms_bank import AwardForm
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.interfaces.photos import original_response, store_files, thumb_response
from chuangcheng.practice.models import PointsAward
from chuangcheng.practice.views_access import need
from chuangcheng.practice.views_bank_owners import find_owners, get_owner, kind_of


@login_required
@require_GET
def award_photo(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An award's evidence photo (a thumbnail; ``?full=1`` the original, audited), for whoever
    sees the award."""
    award = (
        PointsAward.objects.visible_to(request.user)
        .select_related("photo")
        .filter(pk=pk, photo__isnull=False)
        .first()
    )
    if award is None or award.photo is None:
        raise Http404
    if request.GET.get("full"):
        return original_response(award.photo, viewer=request.user)
    return thumb_response(award.photo)


@login_required
@require_GET
def award_new(request: HttpRequest) -> HttpResponse:
    """Step 1: find who earned the points. A scanned door code or an exact household number
    goes straight to step 2."""
    need(request, "practice.award_points")
    q = request.GET.get("q", "").strip()
    households, volunteers = find_owners(request.user, q)
    if q and len(households) == 1 and not volunteers:
        only = households[0]
        if only.code.lower() == q.lower() or "/p/o/" in q or only.public_token == q:
            return redirect("practice:bank_award_owner", kind="h", pk=only.pk)
    return render(
        request,
        "practice/bank/award_find.html",
        {"q": q, "households": households, "volunteers": volunteers, "step_url": "award"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_owner(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Step 2: the item (one tap), an optional note and photo, and "Award"."""
    owner = get_owner(request, kind, pk)
    need(request, "practice.award_points", owner)
    items = items_for(owner.region)
    form = AwardForm(request.POST or None, request.FILES or None, items=items)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with discard_files_on_failure():
                upload = data.get("photo")
                photo = store_files([upload], actor=request.user)[0] if upload else None
                award, created = award_points(
                    actor=request.user,
                    item=data["item"],
                    owner=owner,
                    note=data["note"],
                    photo=photo,
                    client_ref=data["ref"],
                )
        except (PracticeError, CaseValidationError) as exc:
            errors_into(form, exc)
        else:
            balance = ledger.balance(award.account)
            if created:
                messages.success(
                    request,
                    _("%(points)d points awarded to %(owner)s for “%(item)s”; balance %(balance)s.")
                    % {
                        "points": award.points,
                        "owner": owner,
                        "item": award.item.title,
                        "balance": f"{balance.normalize():f}",
                    },
                )
            else:
                messages.info(request, _("This award was already made; nothing was added."))
            return redirect(reverse("practice:award_new"))
    if request.method == "POST":
        status = 400
    return render(
        request,
        "practice/bank/award_form.html",
        {
            "owner": owner,
            "kind": kind_of(owner),
            "form": form,
            "balance": owner_balance(owner),
            "has_items": items.exists(),
        },
        status=status,
    )
