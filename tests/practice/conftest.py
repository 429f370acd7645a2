"""A small practice network on top of ``world`` (district 东城区; streets s1 东华门, s2 景山;
communities c1 多福巷 under s1, c2 吉祥 under s2):

- sites: ``centre`` (district), ``institute`` (s1), ``station_c1`` (c1), ``station_c2`` (c2);
- categories ``meal`` 助餐, ``clean`` 助洁, ``escort`` 陪医;
- teams: ``corps`` 东城区志愿服务总队 (centre), ``squad_c1`` 多福巷小队 (station_c1);
- volunteers: ``vol1`` (account ``vol1_user``, volunteer grant over c1, in squad_c1, skills meal
  and clean), ``vol2`` (account ``vol2_user``, volunteer grant over c2, no team);
- residents: ``res1`` (resident grant over c1, member of household ``h1`` 多福巷1号);
  household ``h2`` in c2;
- another district (西城区) with its own office ``other_office``, station ``other_station``,
  volunteer ``other_vol`` and household ``other_household``, which nobody in ``world`` may see.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.practice.enums import SiteKind, TeamLevel
from chuangcheng.practice.models import (
    Household,
    PracticeSite,
    ServiceCategory,
    Team,
    Volunteer,
)
from tests.conftest import World
from tests.factories import RegionFactory, UserFactory, grant


@dataclass
class PracticeWorld:
    world: World
    centre: PracticeSite
    institute: PracticeSite
    station_c1: PracticeSite
    station_c2: PracticeSite
    meal: ServiceCategory
    clean: ServiceCategory
    escort: ServiceCategory
    corps: Team
    squad_c1: Team
    vol1: Volunteer
    vol1_user: User
    vol2: Volunteer
    vol2_user: User
    res1: User
    h1: Household
    h2: Household
    other_district: Region
    other_office: User
    other_station: PracticeSite
    other_vol: Volunteer
    other_vol_user: User
    other_household: Household


@pytest.fixture
def pw(world: World) -> PracticeWorld:
    w = world
    centre = PracticeSite.objects.create(
        kind=SiteKind.CENTRE, name="东城区新时代文明实践中心", region=w.district
    )
    institute = PracticeSite.objects.create(
        kind=SiteKind.INSTITUTE, name="东华门街道新时代文明实践所", region=w.s1, parent=centre
    )
    station_c1 = PracticeSite.objects.create(
        kind=SiteKind.STATION, name="多福巷社区新时代文明实践站", region=w.c1, parent=institute
    )
    station_c2 = PracticeSite.objects.create(
        kind=SiteKind.STATION, name="吉祥社区新时代文明实践站", region=w.c2, parent=centre
    )
    meal = ServiceCategory.objects.create(code="meal", name="助餐", seq=1)
    clean = ServiceCategory.objects.create(code="clean", name="助洁", seq=2)
    escort = ServiceCategory.objects.create(code="escort", name="陪医", seq=3)
    corps = Team.objects.create(name="东城区志愿服务总队", level=TeamLevel.CORPS, site=centre)
    squad_c1 = Team.objects.create(
        name="多福巷小队", level=TeamLevel.SQUAD, site=station_c1, parent=corps
    )
    vol1_user = UserFactory(username="vol1", display_name="志愿者甲")
    grant(vol1_user, Role.VOLUNTEER, region=w.c1)
    vol1 = Volunteer.objects.create(
        user=vol1_user,
        name="志愿者甲",
        id_number="110101199001011234",
        phone="13900000001",
        region=w.c1,
        registered_at=dt.date(2026, 1, 5),
    )
    vol1.skills.set([meal, clean])
    vol1.teams.set([squad_c1])
    vol2_user = UserFactory(username="vol2", display_name="志愿者乙")
    grant(vol2_user, Role.VOLUNTEER, region=w.c2)
    vol2 = Volunteer.objects.create(
        user=vol2_user, name="志愿者乙", region=w.c2, registered_at=dt.date(2026, 2, 1)
    )
    res1 = UserFactory(username="res1", display_name="居民王")
    grant(res1, Role.RESIDENT, region=w.c1)
    h1 = Household.objects.create(
        region=w.c1, code="H-C1-001", address="多福巷1号", head_name="王大妈", phone="13700000001"
    )
    h1.members.set([res1])
    h2 = Household.objects.create(
        region=w.c2, code="H-C2-001", address="吉祥胡同2号", head_name="李大爷"
    )
    other_district = RegionFactory(code="110102", name="西城区", level=RegionLevel.DISTRICT)
    other_c = RegionFactory(
        code="110102001001", name="西长安街社区", level=RegionLevel.COMMUNITY, parent=other_district
    )
    other_office = UserFactory(username="other_office", display_name="西城文明办")
    grant(other_office, Role.OFFICE, region=other_district)
    other_station = PracticeSite.objects.create(
        kind=SiteKind.STATION, name="西长安街社区新时代文明实践站", region=other_c
    )
    other_vol_user = UserFactory(username="other_vol", display_name="西城志愿者")
    grant(other_vol_user, Role.VOLUNTEER, region=other_c)
    other_vol = Volunteer.objects.create(
        user=other_vol_user, name="西城志愿者", region=other_c, registered_at=dt.date(2026, 3, 1)
    )
    other_household = Household.objects.create(
        region=other_c, code="H-XC-001", address="西长安街9号", head_name="赵奶奶"
    )
    return PracticeWorld(
        world=w,
        centre=centre,
        institute=institute,
        station_c1=station_c1,
        station_c2=station_c2,
        meal=meal,
        clean=clean,
        escort=escort,
        corps=corps,
        squad_c1=squad_c1,
        vol1=vol1,
        vol1_user=vol1_user,
        vol2=vol2,
        vol2_user=vol2_user,
        res1=res1,
        h1=h1,
        h2=h2,
        other_district=other_district,
        other_office=other_office,
        other_station=other_station,
        other_vol=other_vol,
        other_vol_user=other_vol_user,
        other_household=other_household,
    )
