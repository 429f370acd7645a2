"""Shared fixtures. ``world`` is a tiny district with two streets whose data must never leak."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType
from tests.factories import (
    PASSWORD,
    PointFactory,
    PointTypeFactory,
    RegionFactory,
    UnitFactory,
    UserFactory,
    grant,
)


@dataclass
class World:
    district: Region
    s1: Region  # 东华门街道
    s2: Region  # 景山街道
    c1: Region  # a community under s1
    c2: Region  # a community under s2
    unit_s1: Unit
    unit_s2: Unit
    unit_c1: Unit
    line_cg: Unit  # 城管委
    line_sj: Unit  # 市场监管局
    alley: PointType
    market: PointType
    p1: Point  # in c1: territorial unit_c1, line 城管委
    p2: Point  # in s2: territorial unit_s2, line 市场监管局
    office: User
    leader: User
    auditor: User
    user_s1: User
    user_s2: User
    user_line: User
    inspector: User
    nobody: User  # logged in, no grant


@pytest.fixture
def world(db: None) -> World:
    d = RegionFactory(code="110101", name="东城区", level=RegionLevel.DISTRICT)
    s1 = RegionFactory(code="110101001", name="东华门街道", parent=d)
    s2 = RegionFactory(code="110101002", name="景山街道", parent=d)
    c1 = RegionFactory(
        code="110101001001", name="多福巷社区", level=RegionLevel.COMMUNITY, parent=s1
    )
    c2 = RegionFactory(code="110101002001", name="吉祥社区", level=RegionLevel.COMMUNITY, parent=s2)
    unit_s1 = UnitFactory(
        code="S001", name="东华门街道办事处", kind=UnitKind.TERRITORIAL, region=s1
    )
    unit_s2 = UnitFactory(code="S002", name="景山街道办事处", kind=UnitKind.TERRITORIAL, region=s2)
    unit_c1 = UnitFactory(
        code="C001", name="多福巷社区居委会", kind=UnitKind.TERRITORIAL, region=c1, parent=unit_s1
    )
    line_cg = UnitFactory(code="L001", name="区城管委", kind=UnitKind.LINE, region=d)
    line_sj = UnitFactory(code="L002", name="区市场监管局", kind=UnitKind.LINE, region=d)
    alley = PointTypeFactory(code="alley", name="背街小巷")
    market = PointTypeFactory(code="market", name="农贸市场")
    p1 = PointFactory(
        code="P00001",
        name="多福巷",
        type=alley,
        region=c1,
        territorial_unit=unit_c1,
        line_unit=line_cg,
        lng=Decimal("116.405000"),
        lat=Decimal("39.925000"),
    )
    p2 = PointFactory(
        code="P00002",
        name="景山市场",
        type=market,
        region=s2,
        territorial_unit=unit_s2,
        line_unit=line_sj,
        lng=Decimal("116.396000"),
        lat=Decimal("39.928000"),
    )
    office = UserFactory(username="office", display_name="文明办王科长")
    grant(office, Role.OFFICE, region=d)
    leader = UserFactory(username="leader", display_name="区领导")
    grant(leader, Role.LEADER, region=d)
    auditor = UserFactory(username="auditor", display_name="审计管理员")
    grant(auditor, Role.AUDITOR, region=d)
    user_s1 = UserFactory(username="unit_s1", display_name="东华门联络员")
    grant(user_s1, Role.UNIT, unit=unit_s1)
    user_s2 = UserFactory(username="unit_s2", display_name="景山联络员")
    grant(user_s2, Role.UNIT, unit=unit_s2)
    user_line = UserFactory(username="unit_line", display_name="城管委联络员")
    grant(user_line, Role.UNIT, unit=line_cg)
    inspector = UserFactory(username="inspector", display_name="督查员甲")
    grant(inspector, Role.INSPECTOR, region=s1)
    nobody = UserFactory(username="nobody", display_name="无授权")
    return World(
        district=d,
        s1=s1,
        s2=s2,
        c1=c1,
        c2=c2,
        unit_s1=unit_s1,
        unit_s2=unit_s2,
        unit_c1=unit_c1,
        line_cg=line_cg,
        line_sj=line_sj,
        alley=alley,
        market=market,
        p1=p1,
        p2=p2,
        office=office,
        leader=leader,
        auditor=auditor,
        user_s1=user_s1,
        user_s2=user_s2,
        user_line=user_line,
        inspector=inspector,
        nobody=nobody,
    )


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def categories(db: None) -> dict[str, Any]:
    """The standard case categories by code (``S0101`` 暴露垃圾, ``B0101`` 井盖 …)."""
    from chuangcheng.cases.catalog import load_categories
    from chuangcheng.cases.models import Category

    load_categories()
    return {c.code: c for c in Category.objects.all()}
