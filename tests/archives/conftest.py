"""Archives on top of ``world`` and the calendar's clauses (tests/agenda/conftest.py):

- clause ``ledger`` (material): lead 城管委 (line_cg), partner 东华门 (unit_s1);
- clause ``plan`` (material + online): lead 景山 (unit_s2);
- clause ``field`` (field only): owes nothing;
- material deadlines: ``ledger`` on 2026-03-31 (lead and partner), ``plan`` on 2026-04-30 and a
  later one on 2026-06-30 (the earliest counts);
- review levels from the migration: 1 区初审, 2 市复审, both by the office; ``office`` decides
  level 1 and ``office2`` (a second clerk of the district office) level 2.

Archive files go to a temporary directory for each test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from chuangcheng.archives.domain.materials import Upload, file_material
from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.archives.models import Material, Requirement, ReviewLevel
from chuangcheng.archives.samples import sample_docx, sample_pdf
from chuangcheng.frameworks.models import Framework, Node
from tests.agenda.conftest import build_clauses, deadline
from tests.conftest import World
from tests.factories import UserFactory, grant

YEAR = 2026


@pytest.fixture(autouse=True)
def archive_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "archives"
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "chuangcheng.archives.storage.PrivateStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@dataclass
class Arch:
    world: World
    framework: Framework
    ledger: Node
    plan: Node
    field: Node
    office2: User
    levels: list[ReviewLevel]

    def req(self, clause: Node, unit: Any, year: int = YEAR) -> Requirement:
        return Requirement.objects.get(clause=clause, unit=unit, year=year)


def build_arch(world: World) -> Arch:
    framework, ledger, plan, field = build_clauses(world)
    deadline(world, "台账材料", dt.date(YEAR, 3, 31), world.line_cg, [world.unit_s1])
    deadline(world, "方案材料", dt.date(YEAR, 6, 30), world.unit_s2, [])
    deadline(world, "方案材料（首批）", dt.date(YEAR, 4, 30), world.unit_s2, [])
    for event_clause, title in ((ledger, "台账材料"), (plan, "方案材料")):
        from chuangcheng.agenda.models import CalendarEvent

        CalendarEvent.objects.filter(title__startswith=title).update(clause=event_clause)
    office2 = UserFactory(username="office2", display_name="文明办李干事")
    grant(office2, Role.OFFICE, region=world.district)
    sync_requirements(YEAR)
    return Arch(world, framework, ledger, plan, field, office2, list(ReviewLevel.objects.all()))


@pytest.fixture
def arch(world: World) -> Arch:
    return build_arch(world)


def pdf_upload(name: str = "台账.pdf", text: str = "志愿服务台账") -> Upload:
    return Upload(name, sample_pdf(text, [f"{text}：2026年第一季度", "共开展活动12次"]))


def docx_upload(name: str = "方案.docx", text: str = "年度工作方案") -> Upload:
    return Upload(name, sample_docx(text, ["全面推进文明城区创建工作"]))


def file_for(
    arch: Arch,
    user: User,
    req: Requirement,
    title: str = "志愿服务台账",
    upload: Upload | None = None,
) -> Material:
    return file_material(
        actor=user,
        unit=req.unit,
        year=req.year,
        title=title,
        upload=upload or pdf_upload(),
        requirements=[req],
    )
