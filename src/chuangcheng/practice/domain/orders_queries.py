"""Read-side helpers for the order pages and the API: the station board's filtered list, the
volunteer's task lists, the volunteers and teams a station may dispatch to, and the time bank
balance shown to a volunteer. Every list starts from ``ServiceOrder.objects.visible_to``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from chuangcheng.accounts.scope import scope_of
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.orders import DayPart
from chuangcheng.practice.enums import Book, OrderStatus
from chuangcheng.practice.models import LedgerAccount, ServiceOrder, Team, Volunteer

SUGGESTIONS = 8
# Related rows every order list shows (one query, whatever the number of rows).
LIST_RELATED = ("site", "region", "category", "assignee", "team", "accepted_by")


@dataclass(frozen=True)
class BoardFilters:
    """The station board's filters (the page's query string and the API's parameters)."""

    status: str = ""
    flag: str = ""  # a flag, "any" for flagged ones, "" for all
    category: int | None = None
    site: int | None = None
    q: str = ""


def board(user: Any, f: BoardFilters) -> QuerySet[ServiceOrder]:
    """The station board: visible orders, filtered, flagged ones first, newest first."""
    qs = ServiceOrder.objects.visible_to(user).select_related(*LIST_RELATED)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.flag == "any":
        qs = qs.exclude(flag="")
    elif f.flag:
        qs = qs.filter(flag=f.flag)
    if f.category is not None:
        qs = qs.filter(category_id=f.category)
    if f.site is not None:
        qs = qs.filter(site_id=f.site)
    if f.q.strip():
        q = f.q.strip()
        qs = qs.filter(Q(code__icontains=q) | Q(requester_name__icontains=q))
    return qs.annotate(
        flagged=Case(When(flag="", then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("flagged", "-ordered_at", "-pk")


@dataclass
class Tasks:
    """A volunteer's phone page: what is waiting for them, what they may take, what they do."""

    for_me: list[ServiceOrder]
    open_near: list[ServiceOrder]
    doing: list[ServiceOrder]
    done: list[ServiceOrder]


def tasks(user: Any, volunteer: Volunteer) -> Tasks:
    """The volunteer's orders in four lists (four queries, whatever the number of orders)."""
    base = ServiceOrder.objects.visible_to(user).select_related(*LIST_RELATED)
    team_ids = list(volunteer.teams.values_list("pk", flat=True))
    for_me = base.filter(status=OrderStatus.DISPATCHED).filter(
        Q(assignee=volunteer) | Q(team_id__in=team_ids)
    )
    open_near = base.filter(status=OrderStatus.OPEN).filter(
        scope_of(user).subtree_q("site__region__path", "volunteer")
    )
    doing = base.filter(status=OrderStatus.ACCEPTED, accepted_by=volunteer)
    done = base.filter(
        status__in=[OrderStatus.COMPLETED, OrderStatus.RATED], accepted_by=volunteer
    ).order_by("-completed_at")[:10]
    return Tasks(
        for_me=list(for_me.exclude(paid_by=volunteer).order_by("dispatched_at")),
        open_near=list(open_near.exclude(paid_by=volunteer).order_by("dispatched_at")[:30]),
        doing=list(doing.order_by("accepted_at")),
        done=list(done),
    )


def banked_hours(volunteer: Volunteer) -> Decimal:
    """The volunteer's time bank balance (0 without an account; viewing creates none)."""
    account = LedgerAccount.objects.filter(book=Book.TIME, volunteer=volunteer).first()
    return ledger.balance(account) if account is not None else ledger.ZERO


def slot_of(order: ServiceOrder) -> str:
    """The availability slot (``weekday_am`` …) the order falls in, or "" when not known."""
    if order.wanted_on is None or order.wanted_time not in DayPart.ALL:
        return ""
    week = "weekend" if order.wanted_on.weekday() >= 5 else "weekday"
    return f"{week}_{order.wanted_time}"


@dataclass
class Suggestion:
    volunteer: Volunteer
    skilled: bool
    free: bool
    load: int


def _in_hand(volunteer_ids: list[int]) -> dict[int, int]:
    """How many orders each volunteer has in hand: accepted, or dispatched to them (2 queries)."""
    counts: dict[int, int] = {}
    for field, status in (
        ("accepted_by", OrderStatus.ACCEPTED),
        ("assignee", OrderStatus.DISPATCHED),
    ):
        rows = (
            ServiceOrder.objects.filter(**{f"{field}__in": volunteer_ids}, status=status)
            .order_by()
            .values_list(field)
            .annotate(n=Count("pk"))
        )
        for pk, n in rows:
            counts[pk] = counts.get(pk, 0) + n
    return counts


def suggest_volunteers(
    order: ServiceOrder, user: Any, limit: int = SUGGESTIONS
) -> list[Suggestion]:
    """Volunteers of the station's region the user may dispatch to, best first: those with the
    order's service among their skills, free in the order's slot, with fewer orders in hand."""
    skill = Volunteer.skills.through.objects.filter(
        volunteer_id=OuterRef("pk"), servicecategory_id=order.category_id
    )
    rows = list(
        Volunteer.objects.visible_to(user)
        .filter(active=True, region__path__startswith=order.site.region.path)
        .exclude(pk=order.paid_by_id or 0)
        .annotate(skilled=Exists(skill))
        .select_related("region")
        .order_by("-skilled", "name")[:100]
    )
    load = _in_hand([v.pk for v in rows])
    slot = slot_of(order)
    found = [
        Suggestion(
            volunteer=v,
            skilled=bool(v.skilled),  # type: ignore[attr-defined]
            free=not slot or slot in (v.availability or []),
            load=load.get(v.pk, 0),
        )
        for v in rows
    ]
    found.sort(key=lambda s: (not s.skilled, not s.free, s.load, s.volunteer.name))
    return found[:limit]


def teams_for(order: ServiceOrder, user: Any) -> QuerySet[Team]:
    """Active teams the user may dispatch the order to: those of the order's site, of the sites
    above it and of the sites below it."""
    path = order.site.region.path
    return (
        Team.objects.visible_to(user)
        .filter(active=True)
        .filter(
            Q(site__region__path__in=sorted(containing_paths([path])))
            | Q(site__region__path__startswith=path)
        )
        .select_related("site")
        .order_by("site__region__path", "level", "name")
    )


def since(moment: dt.datetime | None, now: dt.datetime) -> float:
    """Hours from ``moment`` to ``now`` (0 when unknown), for "waiting 30 h" hints."""
    if moment is None:
        return 0.0
    return (now - moment).total_seconds() / 3600
