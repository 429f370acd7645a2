"""The practice network under /api/v1/practice/: sites, teams, volunteers and households, read
only. The same rules and querysets as the pages: without ``practice.view_network`` a list
answers 403; a row outside the user's scope answers 404. ID numbers and phones are masked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.core.api_support import Error
from chuangcheng.practice.forms_network import VolunteerFilters
from chuangcheng.practice.models import PracticeSite, Volunteer
from chuangcheng.practice.queries_network import households_for, teams_for, volunteers_for

router = Router(tags=["practice"])
MAX_LIMIT = 500


def _require_view(request: HttpRequest) -> None:
    if not request.user.has_perm("practice.view_network"):
        raise HttpError(403, "Not allowed.")


class PracticeRegionRef(Schema):
    id: int
    code: str
    name: str


class PracticeSiteOut(Schema):
    id: int
    kind: str = Field(..., description="centre | institute | station")
    name: str
    region: PracticeRegionRef
    parent_id: int | None
    address: str
    contact_phone: str = Field(..., description="The site's public service phone")
    opening_hours: str
    lat: float | None
    lng: float | None
    min_redeem_balance: int
    active: bool


class PracticeTeamOut(Schema):
    id: int
    name: str
    level: str = Field(..., description="corps (总队) | brigade (支队) | squad (小队)")
    site_id: int
    parent_id: int | None
    unit_id: int | None = Field(..., description="The sponsoring unit, if any")
    leader_id: int | None
    members: int
    active: bool


class PracticeVolunteerOut(Schema):
    id: int
    name: str
    id_number: str = Field(..., description="Masked: 110101********1234")
    phone: str = Field(..., description="Masked: 138****1234")
    region: PracticeRegionRef
    skills: list[str] = Field(..., description="Service category codes")
    availability: list[str] = Field(..., description="Slot codes (weekday_am …)")
    teams: list[int]
    registered_at: dt.date
    active: bool
    has_account: bool


class PracticeHouseholdOut(Schema):
    id: int
    code: str
    region: PracticeRegionRef
    address: str
    head_name: str
    phone: str = Field(..., description="Masked: 138****1234")
    size: int
    active: bool


class PracticeVolunteerPage(Schema):
    count: int
    items: list[PracticeVolunteerOut]


class PracticeHouseholdPage(Schema):
    count: int
    items: list[PracticeHouseholdOut]


class PracticeVolunteerParams(Schema):
    region: str = Field("", description="Street or community id: volunteers living under it")
    team: str = Field("", description="Team id")
    skill: str = Field("", description="Service category id")
    slot: str = Field("", description="Availability slot code")
    q: str = Field("", description="Part of the name")
    active: str = Field("1", description="1 active (default), 0 inactive, '' both")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class PracticeHouseholdParams(Schema):
    region: str = Field("", description="Street or community id: households under it")
    q: str = Field("", description="Part of the number, address or head's name")
    limit: int = Field(100, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


def _region(r: Any) -> dict[str, Any]:
    return {"id": r.pk, "code": r.code, "name": r.name}


def _site(s: PracticeSite) -> dict[str, Any]:
    return {
        "id": s.pk,
        "kind": s.kind,
        "name": s.name,
        "region": _region(s.region),
        "parent_id": s.parent_id,
        "address": s.address,
        "contact_phone": s.contact_phone,
        "opening_hours": s.opening_hours,
        "lat": float(s.lat) if s.lat is not None else None,
        "lng": float(s.lng) if s.lng is not None else None,
        "min_redeem_balance": s.min_redeem_balance,
        "active": s.active,
    }


def _team(t: Any) -> dict[str, Any]:
    return {
        "id": t.pk,
        "name": t.name,
        "level": t.level,
        "site_id": t.site_id,
        "parent_id": t.parent_id,
        "unit_id": t.unit_id,
        "leader_id": t.leader_id,
        "members": t.n_members,
        "active": t.active,
    }


def _volunteer(v: Volunteer) -> dict[str, Any]:
    return {
        "id": v.pk,
        "name": v.name,
        "id_number": v.id_number_masked,
        "phone": v.phone_masked,
        "region": _region(v.region),
        "skills": [c.code for c in v.skills.all()],
        "availability": list(v.availability),
        "teams": [t.pk for t in v.teams.all()],
        "registered_at": v.registered_at,
        "active": v.active,
        "has_account": v.user_id is not None,
    }


@router.get("/sites", response={200: list[PracticeSiteOut], 403: Error}, summary="Practice sites")
def list_sites(request: HttpRequest) -> list[dict[str, Any]]:
    """Centres, institutes and stations the user may see, by region."""
    _require_view(request)
    sites = PracticeSite.objects.visible_to(request.user).select_related("region")
    return [_site(s) for s in sites.order_by("region__path", "kind")]


@router.get("/sites/{site_id}", response={200: PracticeSiteOut, 404: Error}, summary="A site")
def get_site(request: HttpRequest, site_id: int) -> dict[str, Any]:
    site = (
        PracticeSite.objects.visible_to(request.user)
        .select_related("region")
        .filter(pk=site_id)
        .first()
    )
    if site is None or not request.user.has_perm("practice.view_network", site):
        raise Http404
    return _site(site)


@router.get("/teams", response={200: list[PracticeTeamOut], 403: Error}, summary="Volunteer teams")
def list_teams(request: HttpRequest, site: str = "") -> list[dict[str, Any]]:
    """Teams the user may see; ``site`` (an id) keeps one site's."""
    _require_view(request)
    return [_team(t) for t in teams_for(request.user, site)]


@router.get("/teams/{team_id}", response={200: PracticeTeamOut, 404: Error}, summary="A team")
def get_team(request: HttpRequest, team_id: int) -> dict[str, Any]:
    team = teams_for(request.user).filter(pk=team_id).first()
    if team is None or not request.user.has_perm("practice.view_network", team):
        raise Http404
    return _team(team)


@router.get(
    "/volunteers",
    response={200: PracticeVolunteerPage, 403: Error},
    summary="Volunteers (ID number and phone masked)",
)
def list_volunteers(request: HttpRequest, params: Query[PracticeVolunteerParams]) -> dict[str, Any]:
    """Volunteers the user may see, filtered like the list page, ``limit`` at a time."""
    _require_view(request)
    f = VolunteerFilters.from_query(params.dict())
    qs = volunteers_for(request.user, f)
    rows = list(qs[params.offset : params.offset + params.limit])
    return {"count": qs.count(), "items": [_volunteer(v) for v in rows]}


@router.get(
    "/volunteers/{volunteer_id}",
    response={200: PracticeVolunteerOut, 404: Error},
    summary="A volunteer (masked)",
)
def get_volunteer(request: HttpRequest, volunteer_id: int) -> dict[str, Any]:
    qs = (
        Volunteer.objects.visible_to(request.user)
        .select_related("region")
        .prefetch_related("skills", "teams")
    )
    volunteer = qs.filter(pk=volunteer_id).first()
    if volunteer is None or not request.user.has_perm("practice.view_network", volunteer):
        raise Http404
    return _volunteer(volunteer)


@router.get(
    "/households",
    response={200: PracticeHouseholdPage, 403: Error},
    summary="Households (phone masked)",
)
def list_households(request: HttpRequest, params: Query[PracticeHouseholdParams]) -> dict[str, Any]:
    """Households the user may see, filtered like the list page, ``limit`` at a time."""
    _require_view(request)
    qs = households_for(request.user, params.region, params.q[:40])
    rows = list(qs[params.offset : params.offset + params.limit])
    return {
        "count": qs.count(),
        "items": [
            {
                "id": h.pk,
                "code": h.code,
                "region": _region(h.region),
                "address": h.address,
                "head_name": h.head_name,
                "phone": h.phone_masked,
                "size": h.size,
                "active": h.active,
            }
            for h in rows
        ],
    }
