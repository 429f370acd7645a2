"""A window scheme on top of ``world``: three 窗口单位 points, two in 东华门 (s1), one in 景山
(s2); dimensions A (10) and B (10), so a total is out of 20; one flag a month; two ratings
qualify; default star thresholds 90/80/70/60."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.awards.domain.rating import rate
from chuangcheng.awards.models import RedFlagRating, RedFlagScheme
from chuangcheng.points.models import Point, PointType
from tests.conftest import World
from tests.factories import PointFactory, PointTypeFactory, UserFactory, grant

MONTH = dt.date(2026, 10, 1)


@dataclass
class Windows:
    world: World
    scheme: RedFlagScheme
    window: PointType
    w1: Point  # in c1 (under s1), territorial unit_c1
    w2: Point  # in s1, territorial unit_s1
    w3: Point  # in s2, territorial unit_s2
    insp2: User  # district inspector
    insp3: User  # district inspector

    def rate(self, user: User, point: Point, a: int, b: int, day: dt.date = MONTH) -> RedFlagRating:
        rating, _created = rate(
            actor=user, scheme=self.scheme, target=point, scores={"A": a, "B": b}, today=day
        )
        return rating


@pytest.fixture
def windows(world: World) -> Windows:
    return make_windows(world)


def make_windows(world: World) -> Windows:
    window = PointTypeFactory(code="window", name="窗口单位")
    scheme = RedFlagScheme.objects.create(
        code="test-windows",
        name="测试窗口红旗",
        dimensions=[{"name": "A", "max": 10}, {"name": "B", "max": 10}],
        winners=1,
        min_ratings=2,
    )
    scheme.point_types.add(window)
    RedFlagScheme.objects.filter(code="window-red-flag").update(active=False)

    def point(code: str, name: str, region, unit) -> Point:  # type: ignore[no-untyped-def]
        return PointFactory(
            code=code,
            name=name,
            type=window,
            region=region,
            territorial_unit=unit,
            line_unit=None,
            lng=Decimal("116.400000"),
            lat=Decimal("39.920000"),
        )

    w1 = point("W1", "多福巷便民服务站", world.c1, world.unit_c1)
    w2 = point("W2", "东华门政务服务中心", world.s1, world.unit_s1)
    w3 = point("W3", "景山政务服务中心", world.s2, world.unit_s2)
    insp2 = UserFactory(username="insp2", display_name="督查员乙")
    grant(insp2, Role.INSPECTOR, region=world.district)
    insp3 = UserFactory(username="insp3", display_name="督查员丙")
    grant(insp3, Role.INSPECTOR, region=world.district)
    return Windows(world, scheme, window, w1, w2, w3, insp2, insp3)
