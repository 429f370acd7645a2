"""Finding the household or volunteer at the counter, shared by the award and redeem pages.

Staff type a household number, an address, the head's or a volunteer's name, a mobile number,
or scan the household's door QR code (its link ``/p/o/<token>/`` is read from the scanned text).
Everything comes from the ``visible_to`` querysets: someone outside the user's scope is not
found, and their pages answer 404."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Q
from django.http import Http404, HttpRequest

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.practice.models import Household, PracticeSite, Volunteer
from chuangcheng.practice.views_access import need

LIMIT = 20
QR_LINK = re.compile(r"/p/o/([A-Za-z0-9_-]{8,32})/?")
PHONE = re.compile(r"^1\d{10}$")
TOKEN = re.compile(r"^[A-Za-z0-9_-]{16}$")

Owner = Household | Volunteer


def kind_of(owner: Owner) -> str:
    return "h" if isinstance(owner, Household) else "v"


def get_owner(request: HttpRequest, kind: str, pk: int) -> Owner:
    """A household (``h``) or volunteer (``v``) the user may see, or 404."""
    found: Owner | None
    if kind == "h":
        found = (
            Household.objects.visible_to(request.user)
            .select_related("region")
            .filter(pk=pk, active=True)
            .first()
        )
    elif kind == "v":
        found = (
            Volunteer.objects.visible_to(request.user)
            .select_related("region")
            .filter(pk=pk, active=True)
            .first()
        )
    else:
        found = None
    if found is None:
        raise Http404
    return found


def find_owners(user: Any, text: str) -> tuple[list[Household], list[Volunteer]]:
    """Households and volunteers matching ``text`` among those the user sees (at most 20 each);
    a scanned door QR link or a typed household number finds exactly one household."""
    text = text.strip()
    if not text:
        return [], []
    households = Household.objects.visible_to(user).filter(active=True).select_related("region")
    volunteers = Volunteer.objects.visible_to(user).filter(active=True).select_related("region")
    link = QR_LINK.search(text)
    if link or TOKEN.match(text):
        token = link.group(1) if link else text
        exact = list(households.filter(public_token=token)[:1])
        if exact:
            return exact, []
    exact = list(households.filter(code__iexact=text)[:1])
    if exact:
        return exact, []
    if PHONE.match(text):
        return (
            list(
                households.filter(phone_hash=keyed_hash(text, "practice.household.phone"))[:LIMIT]
            ),
            list(
                volunteers.filter(phone_hash=keyed_hash(text, "practice.volunteer.phone"))[:LIMIT]
            ),
        )
    return (
        list(
            households.filter(
                Q(code__icontains=text) | Q(address__icontains=text) | Q(head_name__icontains=text)
            ).order_by("code")[:LIMIT]
        ),
        list(volunteers.filter(name__icontains=text).order_by("name")[:LIMIT]),
    )


def counter_sites(user: Any) -> list[PracticeSite]:
    """Active sites whose 爱心超市 the user may run (``practice.redeem``)."""
    sites = PracticeSite.objects.visible_to(user).filter(active=True).select_related("region")
    return [
        s for s in sites.order_by("region__path", "kind") if user.has_perm("practice.redeem", s)
    ]


def counter_site(request: HttpRequest, pk: int) -> PracticeSite:
    found = (
        PracticeSite.objects.visible_to(request.user)
        .select_related("region")
        .filter(pk=pk, active=True)
        .first()
    )
    if found is None:
        raise Http404
    need(request, "practice.redeem", found)
    return found
