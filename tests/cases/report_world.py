"""Fixtures for the report tests: street and community outlines, reporters and a post helper."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import User
from tests.conftest import World, login
from tests.factories import UserFactory, grant


def square(lng0: float, lat0: float, lng1: float, lat1: float) -> dict[str, Any]:
    ring = [[lng0, lat0], [lng1, lat0], [lng1, lat1], [lng0, lat1], [lng0, lat0]]
    return {"type": "Polygon", "coordinates": [ring]}


@dataclass
class People:
    supervisor: User  # 义务监督员 in 东华门街道
    resident: User  # 市民 in 多福巷社区
    resident2: User  # another 市民
    office_s1: User  # the office of 东华门街道 only


@pytest.fixture(name="people")
def people_fixture(world: World) -> People:
    """Outlines: 东华门 (and 多福巷) span 116.40–116.41 E, 景山 (and 吉祥) 116.39–116.40 E, all
    39.92–39.93 N; p1 (116.405, 39.925) lies in 多福巷, p2 (116.396, 39.928) in 景山."""
    east = square(116.40, 39.92, 116.41, 39.93)
    west = square(116.39, 39.92, 116.40, 39.93)
    for region, shape in ((world.s1, east), (world.c1, east), (world.s2, west), (world.c2, west)):
        region.boundary = shape
        region.save(update_fields=["boundary"])
    supervisor = UserFactory(username="supervisor", display_name="监督员吴")
    grant(supervisor, Role.SUPERVISOR, region=world.s1)
    resident = UserFactory(username="resident", display_name="市民王")
    grant(resident, Role.RESIDENT, region=world.c1)
    resident2 = UserFactory(username="resident2", display_name="市民李")
    grant(resident2, Role.RESIDENT, region=world.c2)
    office_s1 = UserFactory(username="office_s1", display_name="东华门文明办")
    grant(office_s1, Role.OFFICE, region=world.s1)
    return People(supervisor, resident, resident2, office_s1)


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def report_post(user: User, client: Client | None = None, **fields: Any) -> Any:
    """POST the 随手拍 form; ``photos`` is a list of uploads, the rest are form fields."""
    data: dict[str, Any] = {"description": "多福巷口垃圾堆放很久了", "notice": "on"}
    data.update(fields)
    return (client or login(user)).post("/report/", data)
