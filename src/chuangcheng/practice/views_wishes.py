"""微心愿 pages for users with an account: the wish wall, one wish, a new wish, my wishes.

Every wish comes from ``Wish.objects.visible_to(user)``: anything else answers 404. What a user
may do to a wish is asked of the rules (``practice.claim_wish`` …), never of role names. The
wall shows the title, community and wanted-by date only: never the beneficiary's name or phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.wishes import OPEN, claim_units
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION, submit_wish
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.forms_wishes import ClaimForm, FulfilForm, RateForm, ReasonForm, WishForm
from chuangcheng.practice.models import Household, PracticeSite, Wish, WishEvent
from chuangcheng.practice.views_access import need

WALL_PAGE = 24
MINE_PAGE = 20


EVENT_LABELS: dict[tuple[str | None, str], Any] = {
    (None, WishStatus.SUBMITTED): pgettext_lazy("wish event", "Wish made"),
    (WishStatus.SUBMITTED, WishStatus.PUBLISHED): pgettext_lazy("wish event", "Put on the wall"),
    (WishStatus.CLAIMED, WishStatus.PUBLISHED): pgettext_lazy(
        "wish event", "Given back to the wall"
    ),
    (None, WishStatus.CLAIMED): pgettext_lazy("wish event", "Claimed"),
    (None, WishStatus.FULFILLED): pgettext_lazy("wish event", "Fulfilled"),
    (None, WishStatus.RATED): pgettext_lazy("wish event", "Rated"),
    (None, WishStatus.CANCELLED): pgettext_lazy("wish event", "Cancelled"),
}


def labelled(events: list[WishEvent]) -> list[WishEvent]:
    """The events with a ``label`` saying what happened (giving back differs from publishing)."""
    for e in events:
        key = (e.from_status, e.to_status)
        e.label = EVENT_LABELS.get(key) or EVENT_LABELS.get((None, e.to_status), "")  # type: ignore[attr-defined]
    return events


def visible_wish(request: HttpRequest, pk: int) -> Wish:
    found = (
        Wish.objects.visible_to(request.user)
        .select_related("site", "region", "household", "published_by", "claimed_by", "claimed_unit")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def form_errors(form: Any, exc: PracticeError) -> dict[str, list[str]]:
    """Put the domain's messages on the form's fields; returns those with no such field."""
    rest: dict[str, list[str]] = {}
    for name, msgs in exc.errors.items():
        if name in form.fields:
            for m in msgs:
                form.add_error(name, m)
        else:
            rest[name] = msgs
    return rest


def claim_context(user: Any) -> dict[str, Any]:
    """Whether ``user`` may claim, and for whom: themselves (a volunteer) or one of their units."""
    if not user.has_perm("practice.claim_wish"):
        return {"can_claim": False}
    units = claim_units(user)
    volunteer = getattr(user, "volunteer", None)
    as_volunteer = (
        volunteer is not None and volunteer.active and scope_of(user).has_role(Role.VOLUNTEER)
    )
    return {
        "can_claim": True,
        "claim_units": units,
        "claim_as_volunteer": as_volunteer,
        "claim_form": ClaimForm(units=units),
    }


@login_required
@require_GET
def wish_wall(request: HttpRequest) -> HttpResponse:
    """The published wishes of the user's area as cards, soonest wanted first."""
    need(request, "practice.view_wishes")
    rows = (
        Wish.objects.visible_to(request.user)
        .filter(status=WishStatus.PUBLISHED)
        .select_related("region")
        .order_by(F("due_on").asc(nulls_last=True), "-published_at", "-pk")
    )
    page = Paginator(rows, WALL_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/wishes/wall.html",
        {
            "page": page,
            "today": timezone.localdate(),
            "can_wish": request.user.has_perm("practice.publish_wish"),
            **claim_context(request.user),
        },
    )


def detail_context(request: HttpRequest, wish: Wish, **forms: Any) -> dict[str, Any]:
    acts = wishes.permissions(request.user, wish)
    return {
        "wish": wish,
        "events": labelled(list(wish.events.select_related("actor"))),
        "photos": [wp.photo for wp in wish.photos.select_related("photo").order_by("pk")],
        "today": timezone.localdate(),
        "late": wish.due_on is not None
        and wish.due_on < timezone.localdate()
        and wish.status in OPEN,
        "follow_url": request.build_absolute_uri(
            reverse("practice_public:wish_follow", args=[wish.public_token])
        ),
        "fulfil_form": forms.get("fulfil_form") or FulfilForm(),
        "rate_form": forms.get("rate_form") or RateForm(),
        "cancel_form": forms.get("cancel_form") or ReasonForm(),
        "release_form": ReasonForm(),
        "photo_errors": forms.get("photo_errors", []),
        "can_moderate": request.user.has_perm("practice.manage_network", wish),
        **acts,
        **(claim_context(request.user) if acts["can_claim_this"] else {"can_claim": False}),
    }


@login_required
@require_GET
def wish_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One wish: its timeline, evidence and the moves this user may make."""
    wish = visible_wish(request, pk)
    return render(request, "practice/wishes/detail.html", detail_context(request, wish))


def _sites(user: Any) -> Any:
    return (
        PracticeSite.objects.visible_to(user)
        .filter(kind=SiteKind.STATION, active=True)
        .select_related("region")
        .order_by("region__path")
    )


@login_required
@require_http_methods(["GET", "POST"])
def wish_new(request: HttpRequest) -> HttpResponse:
    """A resident's wish (reviewed by the station), or staff's (published at once)."""
    need(request, "practice.publish_wish")
    sites = _sites(request.user)
    staff = request.user.has_perm("practice.manage_network")
    initial: dict[str, Any] = {}
    only = list(sites[:2])
    if len(only) == 1:
        initial["site"] = only[0].pk
    if not staff:  # a resident usually wishes for themselves
        user: Any = request.user
        initial.update(beneficiary_name=user.display_name, beneficiary_phone=user.phone)
    households = Household.objects.visible_to(request.user).filter(active=True) if staff else None
    form = WishForm(request.POST or None, sites=sites, households=households, initial=initial)
    if request.method == "POST" and form.is_valid():
        site = form.cleaned_data["site"]
        try:
            wish = submit_wish(
                site, form.wish_data(form.cleaned_data.get("household")), actor=request.user
            )
        except PracticeError as exc:
            for msgs in form_errors(form, exc).values():
                form.add_error(None, msgs)
        else:
            if wish.status == WishStatus.PUBLISHED:
                messages.success(request, _("The wish is on the wish wall."))
            else:
                messages.success(
                    request, _("Your wish has been sent; the station will review it soon.")
                )
            return redirect("practice:wish_detail", pk=wish.pk)
    return render(
        request,
        "practice/wishes/new.html",
        {"form": form, "staff": staff, "notice_version": NOTICE_VERSION},
    )


@login_required
@require_GET
def my_wishes(request: HttpRequest) -> HttpResponse:
    """The wishes I (or my household) made, and those I or my units claimed."""
    need(request, "practice.view_wishes")
    user = request.user
    can_claim = user.has_perm("practice.claim_wish")
    tab = request.GET.get("tab") or ("claimed" if can_claim else "made")
    if tab not in ("made", "claimed"):
        raise Http404
    rows = Wish.objects.visible_to(user).select_related("region", "claimed_unit")
    if tab == "made":
        rows = rows.filter(Q(published_by=user) | Q(household__members=user))
    else:
        units = sorted(scope_of(user).role_units.get(Role.UNIT, frozenset()))
        rows = rows.filter(Q(claimed_by=user) | Q(claimed_unit__in=units))
    rows = rows.order_by("-created_at", "-pk")
    page = Paginator(rows, MINE_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "practice/wishes/mine.html",
        {"page": page, "tab": tab, "can_claim": can_claim, "today": timezone.localdate()},
    )


def detail_with_errors(request: HttpRequest, wish: Wish, **forms: Any) -> HttpResponse:
    wish.refresh_from_db()
    return render(
        request, "practice/wishes/detail.html", detail_context(request, wish, **forms), status=400
    )
