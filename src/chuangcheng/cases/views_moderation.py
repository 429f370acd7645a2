"""The moderation queue (office): photos and cases awaiting a decision on public display."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.cases.domain import moderation
from chuangcheng.cases.domain.errors import CaseError
from chuangcheng.cases.models import Photo
from chuangcheng.cases.views_report import require_perm

PER_PAGE = 24


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    """Photos (original thumbnail beside the public copy) and cases; constant query count."""
    require_perm(request, "cases.moderate")
    photos = Paginator(moderation.photo_queue(request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    cases = Paginator(moderation.case_queue(request.user), PER_PAGE).get_page(
        request.GET.get("cpage")
    )
    return render(request, "cases/report/moderation.html", {"photos": photos, "cases": cases})


def _decision(request: HttpRequest) -> bool:
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject"):
        raise PermissionDenied
    return decision == "approve"


def _decide(
    request: HttpRequest, act: Callable[[bool], object], done: Callable[[bool], str]
) -> HttpResponse:
    """Run the decision; tell the moderator what happened (or why not) on the queue page."""
    approve = _decision(request)
    try:
        act(approve)
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done(approve))
    return redirect("report:moderation")


@login_required
@require_POST
def decide_photo(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, "cases.moderate")
    photo = get_object_or_404(
        Photo.objects.select_related("case").filter(
            case__in=moderation.moderated_cases(request.user)
        ),
        pk=pk,
    )
    return _decide(
        request,
        lambda approve: moderation.moderate_photo(photo, actor=request.user, approve=approve),
        lambda approve: (
            _("Photo approved for public display.") if approve else _("Photo kept private.")
        ),
    )


@login_required
@require_POST
def decide_case(request: HttpRequest, number: str) -> HttpResponse:
    require_perm(request, "cases.moderate")
    case = get_object_or_404(moderation.moderated_cases(request.user), number=number)
    values = {"number": case.number}
    return _decide(
        request,
        lambda approve: moderation.moderate_case(case, actor=request.user, approve=approve),
        lambda approve: (
            _("Case %(number)s may be shown publicly.") % values
            if approve
            else _("Case %(number)s stays private.") % values
        ),
    )
