"""Open311 client libraries from PyPI against the live server, as integrators would use them.

- ``three`` 0.8.0 (Code for America's wrapper) covers all six calls — discovery, services, a
  service definition, POST with an api_key and a photo, GET requests, GET one request — in JSON.
  It was written for Python 2; one shim, applied here and not to the installed files, makes it
  import on Python 3.12: its core does ``from itertools import ifilter``, the Python 2 name of
  the builtin ``filter``, so ``itertools.ifilter`` is provided while the module is imported. Its
  XML mode stays Python-2-only (``dict.keys()[0]``, and ``relaxml`` calls the removed
  ``Element.getchildren()``), hence JSON with it.
- ``georeport`` 0.3.1 (Python 3, read-only) reads services, definitions and requests in XML
  (through ``xmltodict``) and JSON.
- ``open311`` 1.1 is not used: its package imports its own modules Python-2 style
  (``from api import API``), which would need ``sys.path`` surgery rather than a shim.
"""

from __future__ import annotations

import importlib
import itertools
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from chuangcheng.cases.enums import CaseSource, Moderation
from chuangcheng.cases.models import Case, Category, Photo
from chuangcheng.open311.domain.keys import revoke_key
from chuangcheng.open311.models import Submission
from tests.conftest import World
from tests.images import jpeg
from tests.open311.conftest import Key

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def three(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    monkeypatch.setattr(itertools, "ifilter", filter, raising=False)
    module = importlib.import_module("three")
    yield module
    # monkeypatch removes itertools.ifilter again; three.core keeps the name it bound.


@pytest.fixture
def endpoint(live_server: Any) -> str:
    return f"{live_server.url}/open311/v2/"


def approve(number: str) -> Case:
    """What staff moderation does before a request is readable by the public."""
    Case.objects.filter(number=number).update(public=Moderation.APPROVED)
    Photo.objects.filter(case__number=number).update(
        moderation=Moderation.APPROVED, public_image="public/00/blurred.jpg"
    )
    return Case.objects.get(number=number)


def test_three_full_cycle(
    three: ModuleType,
    endpoint: str,
    live_server: Any,
    mapped: World,
    api_key: Key,
    categories: dict[str, Category],
    tmp_path: Path,
) -> None:
    client = three.Three(endpoint, api_key=api_key.raw, format="json")

    discovery = client.discovery()
    (entry,) = discovery["endpoints"]
    assert entry["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert entry["url"] == f"{live_server.url}/open311/v2"
    assert entry["formats"] == ["text/xml", "application/json"]

    services = client.services()
    assert len(services) == 42
    assert (services[0]["service_code"], services[0]["group"], services[0]["type"]) == (
        "S0101",
        "市容环境",
        "realtime",
    )
    assert client.services("S0101") == {"service_code": "S0101", "attributes": []}
    assert client.services("NOPE") == [{"code": 404, "description": "未找到 service_code NOPE。"}]

    photo = tmp_path / "litter.jpg"
    photo.write_bytes(jpeg())
    with photo.open("rb") as media:
        posted = client.post(
            "S0101",
            lat="39.925",
            long="116.405",
            address="多福巷 12 号门口",
            name="Wei Wang",
            phone="13812345678",
            email="wei@example.com",
            description="垃圾堆在巷口三天了",
            media=media,
        )
    assert client.post_response.status_code == 200
    (receipt,) = posted
    assert receipt["service_notice"] == (
        "已收到：每条请求均由文明办审核后再行处置。此类问题在派遣后 24 小时内处置。"
    )
    number = receipt["service_request_id"]
    case = Case.objects.get(number=number)
    assert (case.source, case.region, case.reporter_name, case.reporter_phone) == (
        CaseSource.OPEN311,
        mapped.c1,
        "Wei Wang",
        "13812345678",
    )
    assert case.photos.count() == 1
    assert Submission.objects.get(case=case).email == "wei@example.com"

    # Awaiting moderation: not public yet.
    assert client.requests() == []
    assert client.request(number) == [{"code": 404, "description": f"未找到服务请求 {number}。"}]

    approve(number)
    photo_pk = Photo.objects.get(case=case).pk
    (listed,) = client.requests()
    assert listed["service_request_id"] == number
    assert (listed["status"], listed["lat"], listed["long"]) == ("open", 39.925, 116.405)
    assert listed["media_url"] == f"{live_server.url}/photos/{photo_pk}/public/"
    assert "13812345678" not in str(listed) and "Wei" not in str(listed)
    assert [r["service_request_id"] for r in client.requests("S0101")] == [number]
    assert client.requests("S0102") == []
    # three's own date helper sends start_date/end_date as W3C datetimes.
    assert client.requests(between=["01-01-2020", "03-01-2020"]) == []
    assert client.request(number) == [listed]


def test_three_post_refusals(
    three: ModuleType, endpoint: str, mapped: World, api_key: Key, categories: dict[str, Category]
) -> None:
    client = three.Three(endpoint, api_key=api_key.raw, format="json")
    refused = client.post("S0101", lat="31.23", long="121.47", description="上海的问题")
    assert client.post_response.status_code == 400
    assert refused == [{"code": 400, "description": "该位置不在本平台覆盖的区域内。"}]
    revoke_key(api_key.key, actor=mapped.office)
    refused = client.post("S0101", lat="39.925", long="116.405", description="垃圾")
    assert client.post_response.status_code == 403
    assert refused == [{"code": 403, "description": "api_key 缺失、无效或已被吊销。"}]
    assert Case.objects.count() == 0


def test_georeport_reads_xml_and_json(
    endpoint: str, world: World, categories: dict[str, Category]
) -> None:
    from georeport import GeoReport

    from tests.open311.conftest import now_local, public_case

    case = public_case(world, categories["S0105"], reported=now_local())
    as_xml = GeoReport(endpoint, output_format="xml")
    services = as_xml.get_service_list()
    assert len(services) == 42
    assert services[0]["service_code"] == "S0101" and services[0]["metadata"] == "false"
    assert as_xml.get_service_definition("S0105") == {"service_code": "S0105", "attributes": None}
    # xmltodict gives one request as a dict, several as a list.
    listed = as_xml.get_service_requests(status="open", service_code="S0105")
    assert listed["service_request_id"] == case.number
    assert (listed["status"], listed["service_name"], listed["address_id"]) == (
        "open",
        "公厕不洁",
        None,
    )
    assert Decimal(listed["lat"]) == case.lat
    assert as_xml.get_service_request(case.number)["service_code"] == "S0105"

    as_json = GeoReport(endpoint)
    assert [s["service_code"] for s in as_json.get_service_list()][:2] == ["S0101", "S0102"]
    assert as_json.get_service_requests(status="closed") == []
    assert as_json.get_service_request(case.number)["status_notes"] == "待受理"
