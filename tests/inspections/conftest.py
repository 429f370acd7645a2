"""Fixtures for field inspection: a small framework with field clauses, more points over three
streets, inspectors with home streets, and a photo."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point
from tests.conftest import World
from tests.factories import PointFactory, RegionFactory, UnitFactory, UserFactory, grant


@dataclass
class Checklist:
    framework: Framework
    clean: Node  # standard, field, alley only
    posters: Node  # standard, field + material, alley and market
    survey: Node  # standard, survey only: never on a checklist
    market: Node  # content with its own score and no standards: field, market
    archive: Node  # standard, material only, alley: never on a checklist


def build_checklist(world: World) -> Checklist:
    """An active framework with field, survey and material clauses for alleys and markets."""
    framework = Framework.objects.create(
        code="fw", version=1, name="测评体系", status=FrameworkStatus.ACTIVE
    )

    def node(level: str, text: str, parent: Node | None = None, **kw: Any) -> Node:
        seq = Node.objects.filter(framework=framework).count() + 1
        return Node.objects.create(
            framework=framework, level=level, text=text, parent=parent, seq=seq, **kw
        )

    project = node(NodeLevel.PROJECT, "公共环境")
    indicator = node(NodeLevel.INDICATOR, "市容环境", project)
    content = node(NodeLevel.CONTENT, "道路街巷整洁", indicator, score=Decimal(3))
    clean = node(
        NodeLevel.STANDARD, "路面平整，无垃圾、无积存污水", content, number="1", methods=["field"]
    )
    clean.point_types.set([world.alley])
    posters = node(
        NodeLevel.STANDARD,
        "无乱贴乱画，无小广告",
        content,
        number="2",
        methods=["material", "field"],
    )
    posters.point_types.set([world.alley, world.market])
    survey = node(NodeLevel.STANDARD, "市民满意率", content, number="3", methods=["survey"])
    survey.point_types.set([world.alley])
    archive = node(NodeLevel.STANDARD, "有保洁台账", content, number="4", methods=["material"])
    archive.point_types.set([world.alley])
    market = node(
        NodeLevel.CONTENT,
        "农贸市场划行归市，有消毒记录",
        indicator,
        score=Decimal(2),
        methods=["field"],
    )
    market.point_types.set([world.market])
    return Checklist(framework, clean, posters, survey, market, archive)


@pytest.fixture
def fw(world: World) -> Checklist:
    return build_checklist(world)


@dataclass
class Streets:
    s3: Region  # 交道口街道, no units of its own in the world
    alleys: dict[str, Point]  # code → point
    markets: dict[str, Point]


@pytest.fixture
def streets(world: World) -> Streets:
    """Ten alleys (6 in s1 counting p1, 3 in s2, 1 in s3) and three markets (p2 plus one each
    in s1 and s3)."""
    s3 = RegionFactory(code="110101003", name="交道口街道", parent=world.district)
    unit_s3 = UnitFactory(
        code="S003", name="交道口街道办事处", kind=UnitKind.TERRITORIAL, region=s3
    )

    def make(code: str, type_: Any, region: Region, unit: Any, line: Any) -> Point:
        return PointFactory(
            code=code,
            name=f"点位{code}",
            type=type_,
            region=region,
            territorial_unit=unit,
            line_unit=line,
            lng=Decimal("116.40"),
            lat=Decimal("39.92"),
        )

    alleys = {world.p1.code: world.p1}
    for code in ("A0101", "A0102", "A0103", "A0104", "A0105"):
        alleys[code] = make(code, world.alley, world.s1, world.unit_s1, world.line_cg)
    for code in ("A0201", "A0202", "A0203"):
        alleys[code] = make(code, world.alley, world.c2, world.unit_s2, world.line_cg)
    alleys["A0301"] = make("A0301", world.alley, s3, unit_s3, None)
    markets = {world.p2.code: world.p2}
    markets["M0101"] = make("M0101", world.market, world.c1, world.unit_c1, world.line_sj)
    markets["M0301"] = make("M0301", world.market, s3, unit_s3, world.line_sj)
    # An inactive alley is never drawn.
    PointFactory(
        code="A0199",
        type=world.alley,
        region=world.s1,
        territorial_unit=world.unit_s1,
        active=False,
    )
    return Streets(s3, alleys, markets)


def inspector(username: str, region: Region, home: Region | None = None) -> User:
    user = UserFactory(username=username, display_name=f"督查员{username}", home_region=home)
    grant(user, Role.INSPECTOR, region=region)
    return user


def use_media(settings: Any, tmp_path: Path) -> Path:
    """Photos go to a fresh directory, so a test can list every file written."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    return use_media(settings, tmp_path)


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())
