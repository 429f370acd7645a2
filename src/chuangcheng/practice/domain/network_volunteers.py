"""Volunteers registered with their real name (实名注册).

- The 18-character resident ID number is checked against GB 11643 (region, birth date, check
  character) and stored encrypted; ``id_hash`` (keyed, purpose ``practice.volunteer.id``) finds
  it and refuses a second registration of the same person, also under a race (unique index).
- The mobile phone is checked, stored encrypted and hashed (``practice.volunteer.phone``).
- Skills are service categories, availability a list of :class:`Slot` values; teams must be of
  a site at or above the volunteer's community; an account may be linked, once.

Every change is audited with personal fields redacted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.core import audit
from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.network import clean_mobile, require_manage
from chuangcheng.practice.enums import Slot
from chuangcheng.practice.models import ServiceCategory, Team, Volunteer

ID_PURPOSE = "practice.volunteer.id"
PHONE_PURPOSE = "practice.volunteer.phone"

_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"

VOLUNTEER_FIELDS = (
    "user_id",
    "name",
    "id_number",
    "phone",
    "region_id",
    "availability",
    "availability_note",
    "registered_at",
    "active",
)


def id_number_problem(value: str, today: dt.date | None = None) -> str:
    """Why ``value`` is not a valid resident ID number (GB 11643-1999), or "" when it is."""
    if not _ID_SHAPE.match(value):
        return _("An ID number has 18 characters: 17 digits and a digit or X.")
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return _("The birth date in the ID number does not exist.")
    if born.year < 1900 or born > (today or timezone.localdate()):
        return _("The birth date in the ID number does not exist.")
    total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
    if _CHECK[total % 11] != value[17]:
        return _("The check character of the ID number is wrong: please check the number.")
    return ""


def clean_id_number(value: str, field: str = "id_number") -> str:
    """The ID number upper-cased and without spaces, or :class:`PracticeError`."""
    cleaned = re.sub(r"\s", "", value or "").upper()
    problem = id_number_problem(cleaned)
    if problem:
        raise PracticeError({field: [problem]})
    return cleaned


def id_hash(id_number: str) -> str:
    return keyed_hash(id_number, ID_PURPOSE)


def phone_hash(phone: str) -> str:
    return keyed_hash(phone, PHONE_PURPOSE)


def _snapshot(v: Volunteer, skills: Sequence[int], teams: Sequence[int]) -> dict[str, Any]:
    return {
        **audit.snapshot(v, VOLUNTEER_FIELDS),
        "skills": sorted(skills),
        "teams": sorted(teams),
    }


def _check_region(region: Region) -> None:
    if region.level != RegionLevel.COMMUNITY:
        raise PracticeError({"region": [_("Choose the community the volunteer lives in.")]})


def _check_teams(region: Region, teams: Sequence[Team], actor: Any) -> None:
    """Each team is visible to the actor and belongs to a site at or above ``region`` (one
    query for all of them)."""
    paths = dict(
        Team.objects.visible_to(actor)
        .filter(pk__in=[t.pk for t in teams])
        .values_list("pk", "site__region__path")
    )
    for team in teams:
        if team.pk not in paths or not region.path.startswith(paths[team.pk]):
            raise PracticeError(
                {
                    "teams": [
                        _(
                            "“%(team)s” is not a team of this community "
                            "or the street and district above it."
                        )
                        % {"team": team.name}
                    ]
                }
            )


def _check_user(user: User | None, volunteer: Volunteer | None) -> None:
    if user is None:
        return
    taken = Volunteer.objects.filter(user=user)
    if volunteer is not None:
        taken = taken.exclude(pk=volunteer.pk)
    if taken.exists():
        raise PracticeError({"user": [_("This account is already linked to another volunteer.")]})


def _check_slots(slots: Sequence[str]) -> list[str]:
    unknown = [s for s in slots if s not in Slot.values]
    if unknown:
        raise PracticeError(
            {"availability": [_("Unknown time slot: %(s)s.") % {"s": ", ".join(unknown)}]}
        )
    return [s for s in Slot.values if s in slots]  # stored in the enum's order


def _ensure_new_person(hashed: str, volunteer: Volunteer | None) -> None:
    others = Volunteer.objects.filter(id_hash=hashed)
    if volunteer is not None:
        others = others.exclude(pk=volunteer.pk)
    if others.exists():
        raise PracticeError(
            {"id_number": [_("A volunteer with this ID number is already registered.")]}
        )


@transaction.atomic
def register_volunteer(*, actor: Any, data: Mapping[str, Any]) -> Volunteer:
    """Register a volunteer in a community the actor runs. Refused: a bad or already registered
    ID number, a bad mobile number, a team outside the community's reach, an account already
    linked."""
    region: Region = data["region"]
    require_manage(actor, region)
    _check_region(region)
    id_number = clean_id_number(data.get("id_number", ""))
    phone = clean_mobile(data.get("phone", ""))
    hashed = id_hash(id_number)
    _ensure_new_person(hashed, None)
    teams = list(data.get("teams") or [])
    _check_teams(region, teams, actor)
    user = data.get("user")
    _check_user(user, None)
    volunteer = Volunteer(
        user=user,
        name=data["name"].strip(),
        id_number=id_number,
        id_hash=hashed,
        phone=phone,
        phone_hash=phone_hash(phone),
        region=region,
        availability=_check_slots(list(data.get("availability") or [])),
        availability_note=(data.get("availability_note") or "").strip(),
        registered_at=data.get("registered_at") or timezone.localdate(),
        active=data.get("active", True),
    )
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:  # the same person registered a moment ago elsewhere
        raise PracticeError(
            {"id_number": [_("A volunteer with this ID number is already registered.")]}
        ) from exc
    skills = [c.pk for c in data.get("skills") or []]
    volunteer.skills.set(skills)
    volunteer.teams.set(teams)
    audit.record(
        actor,
        AuditAction.CREATE,
        volunteer,
        after=_snapshot(volunteer, skills, [t.pk for t in teams]),
    )
    return volunteer


@transaction.atomic
def update_volunteer(volunteer: Volunteer, *, actor: Any, data: Mapping[str, Any]) -> Volunteer:
    """Change a volunteer. A blank ID number or phone keeps the stored one (the form never shows
    them in clear); a new ID number is checked and must not belong to someone else."""
    require_manage(actor, volunteer)
    region: Region = data["region"]
    require_manage(actor, region)
    _check_region(region)
    before = _snapshot(
        volunteer,
        list(volunteer.skills.values_list("pk", flat=True)),
        list(volunteer.teams.values_list("pk", flat=True)),
    )
    changed = []  # the audit shows personal fields only as "<set>": say which ones changed
    if (data.get("id_number") or "").strip():
        id_number = clean_id_number(data["id_number"])
        if id_number != volunteer.id_number:
            changed.append("id_number")
        hashed = id_hash(id_number)
        _ensure_new_person(hashed, volunteer)
        volunteer.id_number, volunteer.id_hash = id_number, hashed
    if (data.get("phone") or "").strip():
        phone = clean_mobile(data["phone"])
        if phone != volunteer.phone:
            changed.append("phone")
        volunteer.phone = phone
        volunteer.phone_hash = phone_hash(phone)
    teams = list(data.get("teams") or [])
    _check_teams(region, teams, actor)
    user = data.get("user")
    _check_user(user, volunteer)
    volunteer.user = user
    volunteer.name = data["name"].strip()
    volunteer.region = region
    volunteer.availability = _check_slots(list(data.get("availability") or []))
    volunteer.availability_note = (data.get("availability_note") or "").strip()
    volunteer.registered_at = data.get("registered_at") or volunteer.registered_at
    volunteer.active = data.get("active", True)
    try:
        with transaction.atomic():
            volunteer.save()
    except IntegrityError as exc:
        raise PracticeError(
            {"id_number": [_("A volunteer with this ID number is already registered.")]}
        ) from exc
    skills = [c.pk for c in data.get("skills") or []]
    volunteer.skills.set(skills)
    volunteer.teams.set(teams)
    after = _snapshot(volunteer, skills, [t.pk for t in teams])
    note = ", ".join(changed) + " changed" if changed else ""
    audit.record(actor, AuditAction.UPDATE, volunteer, before=before, after=after, note=note)
    return volunteer


def skill_choices() -> list[ServiceCategory]:
    return list(ServiceCategory.objects.filter(active=True))
