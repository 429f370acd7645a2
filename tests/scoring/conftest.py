"""Fixtures for scoring: a small framework whose scores are computed by hand in the tests, and
a quick way to record what an inspector observed at a point on a day."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.inspections.enums import RoundKind, RoundStatus
from chuangcheng.inspections.models import Inspection, Observation, Round, RoundPoint
from chuangcheng.points.models import Point
from chuangcheng.scoring.models import ClauseRule
from tests.conftest import World

_seq = itertools.count(1)


@dataclass
class Scored:
    """The framework (max 10 points):

    1 公共环境 (project)
      1.1 市容环境 (indicator)
        1.1.1 道路街巷整洁 (content, 3 points for its two standards together; alleys; ratio)
          1.1.1.1 路面整洁 (field)   1.1.1.2 无小广告 (field)
        1.1.2 农贸市场 (content)
          1.1.2.1 划行归市 (2 points; field at markets; deduct 0.5 per failure)
          1.1.2.2 消毒记录 (1 point; field at markets + survey; weights field 0.7, survey 0.3)
      1.2 群众评价 (indicator)
        1.2.1 满意度 (content)
          1.2.1.1 市民满意 (2 points; survey only: 未测 until surveys exist)
    2 公共文明 (project)
      2.1 秩序 (indicator) / 2.1.1 无乱停车 (content, 2 points; alleys; ratio)
    """

    framework: Framework
    project1: Node
    indicator_env: Node
    clean: Node  # content 1.1.1
    clean_ground: Node
    clean_posters: Node
    market: Node  # content 1.1.2
    market_rows: Node  # 1.1.2.1
    market_records: Node  # 1.1.2.2
    indicator_view: Node
    satisfaction: Node  # 1.2.1.1
    project2: Node
    parking: Node  # 2.1.1


def build_scored(world: World) -> Scored:
    fw = Framework.objects.create(
        code="SC", version=1, name="测试测评体系", status=FrameworkStatus.ACTIVE
    )

    def node(level: str, number: str, text: str, parent: Node | None = None, **kw: Any) -> Node:
        return Node.objects.create(
            framework=fw,
            level=level,
            number=number,
            text=text,
            parent=parent,
            seq=next(_seq),
            **kw,
        )

    p1 = node(NodeLevel.PROJECT, "1", "公共环境")
    env = node(NodeLevel.INDICATOR, "1.1", "市容环境", p1)
    clean = node(
        NodeLevel.CONTENT, "1.1.1", "道路街巷整洁", env, score=Decimal(3), lead_unit=world.line_cg
    )
    ground = node(NodeLevel.STANDARD, "1.1.1.1", "路面整洁", clean, methods=["field"])
    posters = node(NodeLevel.STANDARD, "1.1.1.2", "无小广告", clean, methods=["field"])
    for n in (ground, posters):
        n.point_types.set([world.alley])
    market = node(NodeLevel.CONTENT, "1.1.2", "农贸市场", env)
    rows = node(
        NodeLevel.STANDARD,
        "1.1.2.1",
        "划行归市",
        market,
        score=Decimal(2),
        methods=["field"],
        lead_unit=world.line_sj,
    )
    records = node(
        NodeLevel.STANDARD,
        "1.1.2.2",
        "消毒记录",
        market,
        score=Decimal(1),
        methods=["field", "survey"],
        lead_unit=world.line_sj,
    )
    for n in (rows, records):
        n.point_types.set([world.market])
    ClauseRule.objects.create(node=rows, field_rule="deduct", deduction=Decimal("0.5"))
    ClauseRule.objects.create(node=records, weights={"field": 0.7, "survey": 0.3})
    view = node(NodeLevel.INDICATOR, "1.2", "群众评价", p1)
    sat_content = node(NodeLevel.CONTENT, "1.2.1", "满意度", view)
    sat = node(
        NodeLevel.STANDARD, "1.2.1.1", "市民满意", sat_content, score=Decimal(2), methods=["survey"]
    )
    p2 = node(NodeLevel.PROJECT, "2", "公共文明")
    order = node(NodeLevel.INDICATOR, "2.1", "秩序", p2)
    parking = node(
        NodeLevel.CONTENT,
        "2.1.1",
        "无乱停车",
        order,
        score=Decimal(2),
        methods=["field"],
        lead_unit=world.line_cg,
    )
    parking.point_types.set([world.alley])
    return Scored(
        fw, p1, env, clean, ground, posters, market, rows, records, view, sat, p2, parking
    )


@pytest.fixture
def scored(world: World) -> Scored:
    return build_scored(world)


def at(day: str, hour: int = 10) -> dt.datetime:
    """A local time on a day given as YYYY-MM-DD."""
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def observe(
    framework: Framework,
    point: Point,
    day: str,
    results: dict[Node, str],
    *,
    received: dt.datetime | None = None,
) -> Inspection:
    """Record one inspection at ``point`` on ``day`` with a result per clause, in a round of its
    own (a point is inspected once per round). ``received`` defaults to the observation time."""
    when = at(day)
    rnd = Round.objects.create(
        name=f"R{next(_seq)}",
        kind=RoundKind.ROUTINE,
        framework=framework,
        region=point.region,
        period_start=when.date(),
        period_end=when.date(),
        seed=1,
        status=RoundStatus.OPEN,
    )
    rp = RoundPoint.objects.create(round=rnd, point=point)
    inspection = Inspection.objects.create(
        round_point=rp,
        client_id=uuid.uuid4(),
        observed_at=when,
    )
    if received is not None:
        Inspection.objects.filter(pk=inspection.pk).update(received_at=received)
    Observation.objects.bulk_create(
        [Observation(inspection=inspection, clause=n, result=r) for n, r in results.items()]
    )
    return inspection
