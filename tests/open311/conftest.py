"""Open311 fixtures: the test district with drawn boundaries, a key, and public cases.

Boundaries (WGS-84 squares): 东华门街道 s1 = 116.40–116.42 × 39.92–39.94 with its community c1 =
116.40–116.41 × 39.92–39.93; 景山街道 s2 = 116.38–116.40 × 39.94–39.96. Shanghai (121.47, 31.23)
lies outside the platform's area.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.enums import CaseSource, Moderation
from chuangcheng.cases.models import Case, Photo
from chuangcheng.open311.domain.keys import issue_key
from chuangcheng.open311.models import Open311Key
from chuangcheng.orgs.models import Region
from tests.conftest import World


def square(lng0: float, lat0: float, lng1: float, lat1: float) -> dict[str, Any]:
    ring = [[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root: Any) -> list[str]:
    return (
        sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
        if root.exists()
        else []
    )


@pytest.fixture
def mapped(world: World) -> World:
    Region.objects.filter(pk=world.s1.pk).update(boundary=square(116.40, 39.92, 116.42, 39.94))
    Region.objects.filter(pk=world.c1.pk).update(boundary=square(116.40, 39.92, 116.41, 39.93))
    Region.objects.filter(pk=world.s2.pk).update(boundary=square(116.38, 39.94, 116.40, 39.96))
    return world


@dataclass
class Key:
    key: Open311Key
    raw: str


@pytest.fixture
def api_key(mapped: World) -> Key:
    key, raw = issue_key(
        name="市民通", owner="东城科技公司 张工", region=mapped.district, actor=mapped.office
    )
    return Key(key, raw)


def public_case(
    world: World,
    category: Any,
    *,
    reported: dt.datetime,
    point: Any = None,
    description: str = "路口垃圾堆放",
    approve: bool = True,
    dispatch_due: dt.datetime | None = None,
    reporter_phone: str = "",
) -> Case:
    """A case at ``point`` (default p1) reported at ``reported``; approved for public display
    unless told otherwise; dispatched to 东华门街道办事处 when ``dispatch_due`` is given."""
    case = create_case(
        CaseData(
            source=CaseSource.RESIDENT,
            description=description,
            category=category,
            point=point or world.p1,
            reported_at=reported,
            reporter_name="李四",
            reporter_phone=reporter_phone,
        ),
        actor=world.office,
    )
    if dispatch_due is not None:
        actions.register(case, actor=world.office)
        actions.dispatch(case, actor=world.office, lead=world.unit_s1, due_at=dispatch_due)
    if approve:
        Case.objects.filter(pk=case.pk).update(public=Moderation.APPROVED)
    case.refresh_from_db()
    return case


def add_photo(
    case: Case, *, moderation: str, public_copy: bool = True, stage: str = "report"
) -> Photo:
    photo = Photo.objects.create(
        case=case,
        stage=stage,
        image=f"photos/00/{case.pk}-{stage}-{moderation}.jpg",
        public_image=f"public/00/{case.pk}-{stage}.jpg" if public_copy else "",
        sha256="0" * 64,
        content_type="image/jpeg",
        size=100,
        moderation=moderation,
    )
    return photo


def xml(body: bytes) -> ET.Element:
    """Parse a response body, checking the declaration the spec requires."""
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    return ET.fromstring(body)


def children(element: ET.Element) -> dict[str, str | None]:
    """Tag → text of an element's direct children."""
    return {child.tag: child.text for child in element}


def now_local() -> dt.datetime:
    return timezone.localtime().replace(microsecond=0)
