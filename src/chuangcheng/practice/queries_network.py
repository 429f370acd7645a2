"""Read side of the network pages and API: the site tree with its counts, and the filtered
volunteer and household lists. Everything starts from the models' ``visible_to(user)``, and
each answer takes a fixed number of queries whatever the data's size."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Model, Q, QuerySet, TextField
from django.db.models.functions import Cast

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.enums import OrderStatus
from chuangcheng.practice.models import Household, PracticeSite, ServiceOrder, Team, Volunteer

WAITING = (OrderStatus.ORDERED, OrderStatus.OPEN, OrderStatus.DISPATCHED)


@dataclass
class SiteNode:
    """A site with the counts of everything under its region, and its child sites."""

    site: PracticeSite
    teams: int = 0
    volunteers: int = 0
    households: int = 0
    waiting: int = 0
    children: list[SiteNode] = field(default_factory=list)


def _by_path(rows: list[tuple[str, int]], prefix: str) -> int:
    return sum(n for path, n in rows if path.startswith(prefix))


def site_tree(user: Any) -> tuple[list[SiteNode], dict[str, int]]:
    """The visible sites as a tree (centre → institutes → stations) with, for each, the visible
    teams, volunteers, households and orders waiting (ordered, open or dispatched, not yet
    accepted) under its region; and the totals over everything visible. Five queries."""
    sites = list(PracticeSite.objects.visible_to(user).select_related("region"))
    teams = list(
        Team.objects.visible_to(user)
        .filter(active=True)
        .values_list("site__region__path")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    volunteers = list(
        Volunteer.objects.visible_to(user)
        .filter(active=True)
        .values_list("region__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    households = list(
        Household.objects.visible_to(user)
        .filter(active=True)
        .values_list("region__path")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    waiting = list(
        ServiceOrder.objects.visible_to(user)
        .filter(status__in=WAITING)
        .values_list("site__region__path")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    nodes = {
        s.pk: SiteNode(
            s,
            teams=_by_path(teams, s.region.path),
            volunteers=_by_path(volunteers, s.region.path),
            households=_by_path(households, s.region.path),
            waiting=_by_path(waiting, s.region.path),
        )
        for s in sites
    }
    roots: list[SiteNode] = []
    for s in sorted(sites, key=lambda s: (s.region.path, s.name)):
        node = nodes[s.pk]
        parent = nodes.get(s.parent_id) if s.parent_id else None
        (parent.children if parent is not None else roots).append(node)
    totals = {
        "sites": len(sites),
        "teams": sum(n for _p, n in teams),
        "volunteers": sum(n for _p, n in volunteers),
        "households": sum(n for _p, n in households),
        "waiting": sum(n for _p, n in waiting),
    }
    return roots, totals


def filter_regions(user: Any) -> QuerySet[Region]:
    """Streets and communities a list may be filtered by."""
    return (
        Region.objects.visible_to(user)
        .filter(level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY))
        .select_related("parent")
        .order_by("path")
    )


def _in_region[M: Model](qs: QuerySet[M], user: Any, region_id: str) -> QuerySet[M]:
    region = (
        Region.objects.visible_to(user).filter(pk=region_id).first()
        if region_id.isdigit()
        else None
    )
    if region is None:
        return qs.none() if region_id else qs
    return qs.filter(region__path__startswith=region.path)


def volunteers_for(user: Any, f: Any) -> QuerySet[Volunteer]:
    """Visible volunteers matching the list's filters, with what the rows show."""
    qs: QuerySet[Volunteer] = Volunteer.objects.visible_to(user).select_related(
        "region", "region__parent", "user"
    )
    qs = _in_region(qs, user, f.region)
    if f.team.isdigit():
        qs = qs.filter(teams=int(f.team))
    if f.skill.isdigit():
        qs = qs.filter(skills=int(f.skill))
    if f.slot:
        # JSON containment is not portable (SQLite); the stored list's text holds "slot".
        qs = qs.annotate(slots_text=Cast("availability", TextField())).filter(
            slots_text__contains=f'"{f.slot}"'
        )
    if f.q:
        qs = qs.filter(name__icontains=f.q)
    if f.active in ("0", "1"):
        qs = qs.filter(active=f.active == "1")
    return qs.distinct().prefetch_related("skills", "teams").order_by("region__path", "name", "pk")


def households_for(user: Any, region_id: str = "", q: str = "") -> QuerySet[Household]:
    qs: QuerySet[Household] = Household.objects.visible_to(user).select_related(
        "region", "region__parent"
    )
    qs = _in_region(qs, user, region_id)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(address__icontains=q) | Q(head_name__icontains=q))
    return qs.order_by("region__path", "code")


def teams_for(user: Any, site_id: str = "") -> QuerySet[Team]:
    qs = Team.objects.visible_to(user).select_related(
        "site", "site__region", "parent", "unit", "leader"
    )
    if site_id.isdigit():
        qs = qs.filter(site_id=int(site_id))
    return qs.annotate(n_members=Count("members", distinct=True)).order_by(
        "site__region__path", "level", "name"
    )
