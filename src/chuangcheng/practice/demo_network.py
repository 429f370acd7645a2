"""The demo district's practice network (新时代文明实践), loaded after the district itself.

``load_demo_network(stdout)`` creates, once: the service categories; the district's practice
centre, an institute per street and a station per community; a volunteer corps, a brigade per
street, a squad per community and two brigades sponsored by line units (城管委, 市场监管局);
four volunteers per community, each with an account (volunteer grant over their community),
real-name ID and phone (fake, valid checksums), skills, free slots and their squad; and eight
households per community. The demo account ``volunteer`` (郑晓雨) is the first volunteer of
多福巷社区 and ``resident`` (王淑珍) heads its first household.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.core.crypto import keyed_hash
from chuangcheng.demo.names import People
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.practice.enums import SiteKind, Slot, TeamLevel
from chuangcheng.practice.models import (
    Household,
    PracticeSite,
    ServiceCategory,
    Team,
    Volunteer,
)

DISTRICT_CODE = "110101"
HOME_COMMUNITY = "110101001001"  # 多福巷社区: where the demo volunteer and resident live
VOLUNTEERS_PER_COMMUNITY = 4
HOUSEHOLDS_PER_COMMUNITY = 8
SPONSORS = ("cgw", "scjg")

CATEGORIES = (
    ("meal", "助餐送餐"),
    ("clean", "助洁保洁"),
    ("escort", "陪同就医"),
    ("shopping", "代买代办"),
    ("repair", "家电维修"),
    ("haircut", "义务理发"),
    ("chat", "陪伴聊天"),
    ("psych", "心理慰藉"),
    ("tutoring", "课业辅导"),
    ("legal", "法律咨询"),
)
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(area: str, born: dt.date, seq: int) -> str:
    """A resident ID number with a valid GB 11643 check digit (fake: nobody has it)."""
    body = f"{area}{born:%Y%m%d}{seq % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True))
    return body + "10X98765432"[total % 11]


def is_loaded() -> bool:
    return PracticeSite.objects.filter(region__code=DISTRICT_CODE, kind=SiteKind.CENTRE).exists()


def load_demo_network(stdout: Any = None) -> int:
    """Build the network once; returns how many volunteers were registered (0 when present or
    when the demo district is not loaded)."""
    district = Region.objects.filter(code=DISTRICT_CODE).first()
    if district is None or is_loaded():
        return 0
    with transaction.atomic():
        count = _build(district)
    if stdout is not None:
        stdout.write(
            _("Practice network: %(sites)d sites, %(teams)d teams, %(volunteers)d volunteers.")
            % {
                "sites": PracticeSite.objects.count(),
                "teams": Team.objects.count(),
                "volunteers": count,
            }
        )
    return count


def _build(district: Region) -> int:
    rng = random.Random(8)
    categories = ServiceCategory.objects.bulk_create(
        [ServiceCategory(code=c, name=n, seq=i) for i, (c, n) in enumerate(CATEGORIES, 1)]
    )
    streets = list(
        Region.objects.filter(parent=district, level=RegionLevel.STREET).order_by("code")
    )
    communities = list(
        Region.objects.filter(parent__in=streets, level=RegionLevel.COMMUNITY).order_by("code")
    )
    centre = PracticeSite.objects.create(
        kind=SiteKind.CENTRE,
        name="东城区新时代文明实践中心",
        region=district,
        address="东城区东四北大街",
        opening_hours="周一至周日 9:00-17:00",
        lat=district.center_lat,
        lng=district.center_lng,
    )
    institutes = {
        s.pk: s2
        for s, s2 in zip(
            streets,
            PracticeSite.objects.bulk_create(
                [
                    PracticeSite(
                        kind=SiteKind.INSTITUTE,
                        name=f"{s.name}新时代文明实践所",
                        region=s,
                        parent=centre,
                        lat=s.center_lat,
                        lng=s.center_lng,
                        opening_hours="周一至周五 9:00-17:00",
                    )
                    for s in streets
                ]
            ),
            strict=True,
        )
    }
    stations = PracticeSite.objects.bulk_create(
        [
            PracticeSite(
                kind=SiteKind.STATION,
                name=f"{c.name}新时代文明实践站",
                region=c,
                parent=institutes[c.parent_id],  # type: ignore[index]
                lat=c.center_lat,
                lng=c.center_lng,
                opening_hours="周一至周六 9:00-17:00",
                min_redeem_balance=20,
            )
            for c in communities
        ]
    )
    corps = Team.objects.create(
        name="东城区新时代文明实践志愿服务总队", level=TeamLevel.CORPS, site=centre
    )
    brigades = {
        s.pk: t
        for s, t in zip(
            streets,
            Team.objects.bulk_create(
                [
                    Team(
                        name=f"{s.name}志愿服务支队",
                        level=TeamLevel.BRIGADE,
                        site=institutes[s.pk],
                        parent=corps,
                    )
                    for s in streets
                ]
            ),
            strict=True,
        )
    }
    squads = Team.objects.bulk_create(
        [
            Team(
                name=f"{c.name}志愿服务小队",
                level=TeamLevel.SQUAD,
                site=station,
                parent=brigades[c.parent_id],  # type: ignore[index]
            )
            for c, station in zip(communities, stations, strict=True)
        ]
    )
    sponsors = list(Unit.objects.filter(code__in=SPONSORS).order_by("code"))
    unit_teams = Team.objects.bulk_create(
        [
            Team(
                name=f"{u.name}志愿服务队",
                level=TeamLevel.BRIGADE,
                site=centre,
                parent=corps,
                unit=u,
            )
            for u in sponsors
        ]
    )
    volunteers = _volunteers(rng, communities, squads, categories, unit_teams)
    _households(rng, communities)
    return volunteers


def _volunteers(
    rng: random.Random,
    communities: list[Region],
    squads: list[Team],
    categories: list[ServiceCategory],
    unit_teams: list[Team],
) -> int:
    people = People(rng, phone_prefix="1371000")
    password = make_password(settings.DEMO_PASSWORD)
    now = timezone.now()
    demo_volunteer = User.objects.filter(username="volunteer").first()
    rows: list[Volunteer] = []
    users: list[User] = []
    slots = list(Slot.values)
    for c in communities:
        for n in range(1, VOLUNTEERS_PER_COMMUNITY + 1):
            is_demo = demo_volunteer is not None and c.code == HOME_COMMUNITY and n == 1
            name = demo_volunteer.display_name if is_demo else people.name()
            phone = "13810000005" if is_demo else people.phone()
            born = dt.date(rng.randint(1955, 2004), rng.randint(1, 12), rng.randint(1, 28))
            ident = id_number(DISTRICT_CODE, born, len(rows) + 1)
            user = demo_volunteer if is_demo else None
            if user is None:
                user = User(
                    username=f"v{c.code}{n:02d}",
                    display_name=name,
                    phone=phone,
                    password=password,
                    must_change_password=False,
                    password_changed_at=now,
                )
                users.append(user)
            rows.append(
                Volunteer(
                    user=user,
                    name=name,
                    id_number=ident,
                    id_hash=keyed_hash(ident, "practice.volunteer.id"),
                    phone=phone,
                    phone_hash=keyed_hash(phone, "practice.volunteer.phone"),
                    region=c,
                    availability=sorted(rng.sample(slots, rng.randint(1, 3))),
                    registered_at=(now - dt.timedelta(days=rng.randint(30, 900))).date(),
                )
            )
    User.objects.bulk_create(users)
    Grant.objects.bulk_create(
        [Grant(user=u, role=Role.VOLUNTEER, region=v.region) for u, v in _pairs(users, rows)]
    )
    Volunteer.objects.bulk_create(rows)
    squad_of = {s.site.region_id: s for s in squads}
    skills = Volunteer.skills.through
    teams = Volunteer.teams.through
    skill_rows = []
    team_rows = []
    for i, v in enumerate(rows):
        for cat in rng.sample(categories, rng.randint(1, 3)):
            skill_rows.append(skills(volunteer_id=v.pk, servicecategory_id=cat.pk))
        team_rows.append(teams(volunteer_id=v.pk, team_id=squad_of[v.region_id].pk))
        if i % 9 == 0:
            team_rows.append(teams(volunteer_id=v.pk, team_id=unit_teams[i % len(unit_teams)].pk))
    skills.objects.bulk_create(skill_rows)
    teams.objects.bulk_create(team_rows)
    # Each squad is led by its first volunteer.
    for squad in squads:
        first = next(v for v in rows if v.region_id == squad.site.region_id)
        squad.leader = first
    Team.objects.bulk_update(squads, ["leader"])
    return len(rows)


def _pairs(users: list[User], rows: list[Volunteer]) -> list[tuple[User, Volunteer]]:
    """The new accounts with their volunteer rows (the demo volunteer already has a grant)."""
    by_user = {id(v.user): v for v in rows}
    return [(u, by_user[id(u)]) for u in users]


def _address(rng: random.Random, community: Region) -> str:
    compound = f"{community.name.removesuffix('社区')}{rng.randint(1, 60)}号院"
    flat = f"{rng.randint(1, 6)}0{rng.randint(1, 4)}"
    return f"{compound}{rng.randint(1, 8)}号楼{rng.randint(1, 4)}单元{flat}"


def _households(rng: random.Random, communities: list[Region]) -> None:
    people = People(rng, phone_prefix="1361000")
    resident = User.objects.filter(username="resident").first()
    rows = []
    for c in communities:
        for n in range(1, HOUSEHOLDS_PER_COMMUNITY + 1):
            is_demo = resident is not None and c.code == HOME_COMMUNITY and n == 1
            head = resident.display_name if is_demo else people.name()
            phone = "13810000006" if is_demo else people.phone()
            rows.append(
                Household(
                    region=c,
                    code=f"{c.code}-{n:03d}",
                    address=_address(rng, c),
                    head_name=head,
                    phone=phone,
                    phone_hash=keyed_hash(phone, "practice.household.phone"),
                    size=rng.randint(1, 5),
                )
            )
    Household.objects.bulk_create(rows)
    if resident is not None:
        home = next(h for h in rows if h.code == f"{HOME_COMMUNITY}-001")
        home.members.add(resident)
