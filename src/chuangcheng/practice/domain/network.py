"""The practice network's state changes: sites (centre → institute → station), volunteer teams
and households. Volunteers are in :mod:`network_volunteers`.

Each function takes the acting user as keyword-only ``actor``, asks the rules layer
(``practice.manage_network`` on the region or object concerned), validates, writes and records
one audit entry, all in one transaction. Refused input raises :class:`PracticeError` (its
``errors`` keyed by form field); acting outside one's region raises ``PermissionDenied``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chuangcheng.core import audit
from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.orgs.paths import containing_paths
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import SiteKind, TeamLevel
from chuangcheng.practice.models import Household, PracticeSite, Team

HOUSEHOLD_PHONE = "practice.household.phone"

# A site sits on the region level of its kind: centre on the district, institute on the street,
# station on the community.
SITE_LEVELS: dict[str, tuple[str, ...]] = {
    SiteKind.CENTRE: (RegionLevel.CITY, RegionLevel.DISTRICT),
    SiteKind.INSTITUTE: (RegionLevel.STREET,),
    SiteKind.STATION: (RegionLevel.COMMUNITY,),
}
# 总队 above 支队 above 小队: a parent team is of a higher rank than its child.
TEAM_RANK: dict[str, int] = {TeamLevel.CORPS: 0, TeamLevel.BRIGADE: 1, TeamLevel.SQUAD: 2}

MOBILE = re.compile(r"^1[3-9]\d{9}$")
# A service phone may be a landline with an area code (010-65123456) or a hotline (12345).
SERVICE_PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}|\d{5,8})$")

SITE_FIELDS = (
    "kind",
    "name",
    "region_id",
    "parent_id",
    "address",
    "contact_phone",
    "lat",
    "lng",
    "opening_hours",
    "min_redeem_balance",
    "active",
)
SITE_EDITABLE = (
    "name",
    "address",
    "contact_phone",
    "lat",
    "lng",
    "opening_hours",
    "min_redeem_balance",
    "active",
)
TEAM_FIELDS = (
    "name",
    "level",
    "site_id",
    "parent_id",
    "unit_id",
    "leader_id",
    "description",
    "active",
)
HOUSEHOLD_FIELDS = ("region_id", "code", "address", "head_name", "phone", "size", "active")


def require_manage(actor: Any, obj: Any) -> None:
    if not actor.has_perm("practice.manage_network", obj):
        raise PermissionDenied


def clean_mobile(value: str, field: str = "phone") -> str:
    """A mainland mobile number (11 digits starting 13–19), spaces and dashes dropped."""
    digits = re.sub(r"[\s-]", "", value or "")
    if not MOBILE.match(digits):
        raise PracticeError({field: [_("Enter an 11-digit mobile number starting with 1.")]})
    return digits


# --- sites -----------------------------------------------------------------------------------


def parent_site_for(region: Region) -> PracticeSite | None:
    """The site of the nearest region above ``region`` that has one."""
    above = containing_paths([region.path]) - {region.path}
    sites = list(
        PracticeSite.objects.filter(region__path__in=sorted(above)).select_related("region")
    )
    return max(sites, key=lambda s: len(s.region.path), default=None)


def _site_snapshot(site: PracticeSite) -> dict[str, Any]:
    return audit.snapshot(site, SITE_FIELDS)


def _check_site_values(data: Mapping[str, Any]) -> None:
    phone = (data.get("contact_phone") or "").strip()
    if phone and not SERVICE_PHONE.match(phone):
        raise PracticeError(
            {
                "contact_phone": [
                    _("Enter a mobile number, a landline such as 010-65123456, or a hotline.")
                ]
            }
        )
    lat, lng = data.get("lat"), data.get("lng")
    if (lat is None) != (lng is None):
        raise PracticeError({"lat": [_("Give both latitude and longitude, or neither.")]})
    if lat is not None and lng is not None and not (3 <= lat <= 54 and 73 <= lng <= 136):
        raise PracticeError({"lat": [_("The coordinates lie outside China.")]})


@transaction.atomic
def create_site(*, actor: Any, data: Mapping[str, Any]) -> PracticeSite:
    """A new centre, institute or station on ``data["region"]``: the region's level must fit the
    kind, one site per region and kind; its parent is the site of the nearest region above, and
    sites below that hung from a site above it move under the new one."""
    region: Region = data["region"]
    kind: str = data["kind"]
    require_manage(actor, region)
    if region.level not in SITE_LEVELS[kind]:
        raise PracticeError(
            {
                "region": [
                    _(
                        "A centre sits on a district, an institute on a street, "
                        "a station on a community."
                    )
                ]
            }
        )
    if PracticeSite.objects.filter(region=region, kind=kind).exists():
        raise PracticeError({"region": [_("This region already has a site of this kind.")]})
    _check_site_values(data)
    site = PracticeSite(
        kind=kind,
        region=region,
        parent=parent_site_for(region),
        **{f: data[f] for f in SITE_EDITABLE if f in data},
    )
    site.save()
    audit.record(actor, AuditAction.CREATE, site, after=_site_snapshot(site))
    _adopt_children(site, actor)
    return site


def _adopt_children(site: PracticeSite, actor: Any) -> None:
    above = containing_paths([site.region.path]) - {site.region.path}
    below = PracticeSite.objects.filter(region__path__startswith=site.region.path).exclude(
        pk=site.pk
    )
    moving = list(below.filter(parent__region__path__in=sorted(above))) + list(
        below.filter(parent__isnull=True)
    )
    if not moving:
        return
    entries = []
    for child in moving:
        before = _site_snapshot(child)
        child.parent = site
        entries.append(
            audit.entry(
                actor, AuditAction.UPDATE, child, before=before, after=_site_snapshot(child)
            )
        )
    PracticeSite.objects.filter(pk__in=[c.pk for c in moving]).update(parent=site)
    audit.record_many(entries)


@transaction.atomic
def update_site(site: PracticeSite, *, actor: Any, data: Mapping[str, Any]) -> PracticeSite:
    """Change a site's name, address, phone, place, hours, minimum balance or active flag (its
    kind and region stay: orders and accounts hang from them)."""
    require_manage(actor, site)
    _check_site_values(data)
    before = _site_snapshot(site)
    for f in SITE_EDITABLE:
        if f in data:
            setattr(site, f, data[f])
    site.save()
    audit.record(actor, AuditAction.UPDATE, site, before=before, after=_site_snapshot(site))
    return site


# --- teams -----------------------------------------------------------------------------------


def _check_team(team: Team, actor: Any) -> None:
    site = team.site
    require_manage(actor, site)
    errors: dict[str, list[str]] = {}
    parent = team.parent
    if parent is not None:
        if TEAM_RANK[parent.level] >= TEAM_RANK[team.level]:
            errors.setdefault("parent", []).append(
                _("The parent team must be of a higher level (总队 › 支队 › 小队).")
            )
        if not site.region.path.startswith(parent.site.region.path):
            errors.setdefault("parent", []).append(
                _("The parent team must belong to this site or a site above it.")
            )
    if (
        team.unit_id is not None
        and not Unit.objects.visible_to(actor).filter(pk=team.unit_id).exists()
    ):
        errors.setdefault("unit", []).append(_("Choose a unit from the list."))
    if team.leader_id is not None and (
        team.pk is None or not team.members.filter(pk=team.leader_id).exists()
    ):
        errors.setdefault("leader", []).append(_("The team leader must be a member of the team."))
    duplicate = Team.objects.filter(site=site, name=team.name).exclude(pk=team.pk)
    if duplicate.exists():
        errors.setdefault("name", []).append(_("This site already has a team of this name."))
    if errors:
        raise PracticeError(errors)


@transaction.atomic
def create_team(*, actor: Any, data: Mapping[str, Any]) -> Team:
    """A team at a site the actor runs; its parent, when given, is of a higher level at the same
    site or one above; the name is unique at the site."""
    team = Team(
        name=data["name"].strip(),
        level=data["level"],
        site=data["site"],
        parent=data.get("parent"),
        unit=data.get("unit"),
        description=data.get("description", ""),
        active=data.get("active", True),
    )
    _check_team(team, actor)
    team.save()
    audit.record(actor, AuditAction.CREATE, team, after=audit.snapshot(team, TEAM_FIELDS))
    return team


@transaction.atomic
def update_team(team: Team, *, actor: Any, data: Mapping[str, Any]) -> Team:
    """Change a team; its site stays (members and orders hang from it)."""
    require_manage(actor, team)
    before = audit.snapshot(team, TEAM_FIELDS)
    team.name = data["name"].strip()
    team.level = data["level"]
    team.parent = data.get("parent")
    team.unit = data.get("unit")
    team.leader = data.get("leader")
    team.description = data.get("description", "")
    team.active = data.get("active", True)
    _check_team(team, actor)
    team.save()
    audit.record(
        actor, AuditAction.UPDATE, team, before=before, after=audit.snapshot(team, TEAM_FIELDS)
    )
    return team


# --- households ------------------------------------------------------------------------------


def _household_snapshot(h: Household, members: list[int]) -> dict[str, Any]:
    return {**audit.snapshot(h, HOUSEHOLD_FIELDS), "members": members}


def _fill_household(h: Household, data: Mapping[str, Any]) -> None:
    region: Region = data["region"]
    if region.level != RegionLevel.COMMUNITY:
        raise PracticeError({"region": [_("Choose a community.")]})
    code = data["code"].strip()
    if Household.objects.filter(code=code).exclude(pk=h.pk).exists():
        raise PracticeError({"code": [_("Another household has this number.")]})
    h.region = region
    h.code = code
    h.address = data["address"].strip()
    h.head_name = data["head_name"].strip()
    h.size = data.get("size") or 1
    h.active = data.get("active", True)
    phone = (data.get("phone") or "").strip()
    if phone:
        h.phone = clean_mobile(phone)
        h.phone_hash = keyed_hash(h.phone, HOUSEHOLD_PHONE)
    elif data.get("clear_phone"):
        h.phone, h.phone_hash = "", ""


def _member_ids(members: Any) -> list[int]:
    return sorted(u.pk for u in (members or []))


@transaction.atomic
def create_household(*, actor: Any, data: Mapping[str, Any]) -> Household:
    """A household of a community the actor runs; its number is unique; the head's phone is a
    mobile number, stored encrypted and found by keyed hash."""
    require_manage(actor, data["region"])
    h = Household()
    _fill_household(h, data)
    try:
        with transaction.atomic():
            h.save()
    except IntegrityError as exc:
        raise PracticeError({"code": [_("Another household has this number.")]}) from exc
    members = _member_ids(data.get("members"))
    h.members.set(members)
    audit.record(actor, AuditAction.CREATE, h, after=_household_snapshot(h, members))
    return h


@transaction.atomic
def update_household(h: Household, *, actor: Any, data: Mapping[str, Any]) -> Household:
    """Change a household (a blank phone keeps the stored one unless ``clear_phone``); moving it
    needs the right to manage both communities."""
    require_manage(actor, h)
    require_manage(actor, data["region"])
    before = _household_snapshot(h, sorted(h.members.values_list("pk", flat=True)))
    _fill_household(h, data)
    h.save()
    members = _member_ids(data.get("members"))
    h.members.set(members)
    audit.record(actor, AuditAction.UPDATE, h, before=before, after=_household_snapshot(h, members))
    return h


def managed_regions(user: Any, *levels: str) -> Any:
    """Regions of ``levels`` the user may run the network of (office or territorial unit over
    them): the choices of the forms."""
    from chuangcheng.accounts.scope import scope_of

    s = scope_of(user)
    qs = Region.objects.filter(level__in=levels).select_related("parent").order_by("path")
    if s.everything:
        return qs
    return qs.filter(s.subtree_q("path", "office", "unit"))
