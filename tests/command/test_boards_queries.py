"""Each board answers in the same number of queries with few and with many rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.inspections.enums import RoundKind, RoundStatus
from chuangcheng.inspections.models import Round, RoundPoint
from tests.command.boards_data import build, more
from tests.conftest import World, login
from tests.factories import PointFactory
from tests.scoring.conftest import build_scored
from tests.scoring.pages_data import october


def _round(world: World, framework: Any, n: int) -> None:
    today = timezone.localdate()
    for i in range(n):
        rnd = Round.objects.create(
            name=f"today {i}",
            kind=RoundKind.ROUTINE,
            framework=framework,
            region=world.district,
            period_start=today - dt.timedelta(days=1),
            period_end=today + dt.timedelta(days=1),
            seed=i,
            status=RoundStatus.OPEN,
        )
        RoundPoint.objects.create(round=rnd, point=world.p1)


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("leader", "/board/leader/"),
        ("office", "/board/leader/"),
        ("office", "/board/office/"),
        ("user_s1", "/board/unit/"),
        ("user_line", "/board/unit/"),
        ("office", "/command/screen/"),
        ("office", "/command/screen/data.json"),
        ("leader", "/api/v1/dashboard/leader"),
        ("user_s1", "/api/v1/dashboard/unit"),
        ("office", "/api/v1/dashboard/screen"),
    ],
)
def test_board_queries_do_not_grow_with_the_data(world: World, who: str, path: str) -> None:
    now = timezone.now()
    scored = build_scored(world)
    october(world, scored)
    build(world, now)
    _round(world, scored.framework, 1)
    client = login(getattr(world, who))
    client.get(path)  # warm the session and compute the live runs
    few = _count(client, path)
    more(world, now, 30)
    _round(world, scored.framework, 12)
    for i in range(10):
        PointFactory(
            code=f"Q{i:05d}", type=world.market, region=world.c2, territorial_unit=world.unit_s2
        )
    assert _count(client, path) == few
