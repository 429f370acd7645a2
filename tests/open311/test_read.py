"""GET endpoints against GeoReport v2: discovery, services, definitions, requests, errors."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain import actions
from chuangcheng.cases.enums import Moderation, PhotoStage
from chuangcheng.cases.models import Case, Category
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.conftest import World
from tests.open311.conftest import add_photo, children, now_local, public_case, xml

BASE = "/open311/v2/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def get(path: str, **params: Any) -> Any:
    return Client().get(BASE + path, params, **EN)


# Discovery -------------------------------------------------------------------------------------


def test_discovery_json(world: World) -> None:
    resp = get("discovery.json")
    assert resp.status_code == 200
    assert resp["Content-Type"] == "application/json; charset=utf-8"
    data = resp.json()
    assert data["changeset"] == "2026-11-22T08:00:00+08:00"
    assert data["contact"] == (
        "For help, contact the civilization office (文明办) that runs this platform."
    )
    assert "Open311 keys page" in data["key_service"]
    assert data["endpoints"] == [
        {
            "specification": "http://wiki.open311.org/GeoReport_v2",
            "url": "http://testserver/open311/v2",
            "changeset": "2026-11-22T08:00:00+08:00",
            "type": "production",
            "formats": ["text/xml", "application/json"],
        }
    ]


def test_discovery_xml_and_changeset_follows_category_edits(
    world: World, categories: dict[str, Category], settings: Any
) -> None:
    settings.OPEN311_CONTACT = "api@dongcheng.example.gov.cn"
    entry = audit.record(world.office, AuditAction.UPDATE, categories["S0101"], after={"x": 1})
    resp = get("discovery.xml")
    assert resp["Content-Type"] == "text/xml; charset=utf-8"
    root = xml(resp.content)
    assert root.tag == "discovery"
    assert [c.tag for c in root] == ["changeset", "contact", "key_service", "endpoints"]
    expected = entry.at.astimezone(dt.timezone(dt.timedelta(hours=8))).isoformat("T", "seconds")
    assert root.findtext("changeset") == expected
    assert root.findtext("contact") == "api@dongcheng.example.gov.cn"
    (endpoint,) = root.find("endpoints")  # type: ignore[misc]
    assert endpoint.tag == "endpoint"
    assert children(endpoint) | {"formats": None} == {
        "specification": "http://wiki.open311.org/GeoReport_v2",
        "url": "http://testserver/open311/v2",
        "changeset": expected,
        "type": "production",
        "formats": None,
    }
    assert [f.text for f in endpoint.find("formats")] == ["text/xml", "application/json"]  # type: ignore[union-attr]


# Services --------------------------------------------------------------------------------------


def test_services_are_the_active_subclasses(world: World, categories: dict[str, Category]) -> None:
    Category.objects.filter(code="S0102").update(active=False)
    Category.objects.filter(code="B06").update(active=False)  # hides B0601 and B0602
    data = get("services.json").json()
    # 42 standard subclasses (19 部件 + 23 事件) less the three hidden ones; no class is listed.
    assert len(data) == 39
    codes = [s["service_code"] for s in data]
    assert codes[:3] == ["S0101", "S0103", "S0104"]
    assert "S0102" not in codes and "B0601" not in codes and "S01" not in codes
    assert data[0] == {
        "service_code": "S0101",
        "service_name": "暴露垃圾",
        "description": "Event (事件) · 市容环境 · 暴露垃圾. "
        "Problems of this kind are handled within 24 hours of dispatch.",
        "metadata": False,
        "type": "realtime",
        "keywords": "垃圾, 暴露垃圾, 垃圾堆, 杂物, 堆放, 乱扔",
        "group": "市容环境",
    }


def test_services_xml(world: World, categories: dict[str, Category]) -> None:
    root = xml(get("services.xml").content)
    assert root.tag == "services"
    assert {c.tag for c in root} == {"service"}
    assert len(root) == 42
    assert children(root[0]) == {
        "service_code": "S0101",
        "service_name": "暴露垃圾",
        "description": "Event (事件) · 市容环境 · 暴露垃圾. "
        "Problems of this kind are handled within 24 hours of dispatch.",
        "metadata": "false",
        "type": "realtime",
        "keywords": "垃圾, 暴露垃圾, 垃圾堆, 杂物, 堆放, 乱扔",
        "group": "市容环境",
    }


def test_services_default_to_chinese(world: World, categories: dict[str, Category]) -> None:
    first = Client().get(BASE + "services.json").json()[0]
    assert first["description"] == "事件 · 市容环境 · 暴露垃圾。此类问题在派遣后 24 小时内处置。"


def test_service_definition_has_no_attributes(
    world: World, categories: dict[str, Category]
) -> None:
    assert get("services/S0101.json").json() == {"service_code": "S0101", "attributes": []}
    root = xml(get("services/S0101.xml").content)
    assert root.tag == "service_definition"
    assert [(c.tag, c.text, len(c)) for c in root] == [
        ("service_code", "S0101", 0),
        ("attributes", None, 0),
    ]


@pytest.mark.parametrize("code", ["X999", "S01", "S0102"])
def test_unknown_class_or_inactive_service_is_404(
    world: World, categories: dict[str, Category], code: str
) -> None:
    Category.objects.filter(code="S0102").update(active=False)
    resp = get(f"services/{code}.json")
    assert resp.status_code == 404
    assert resp.json() == [{"code": 404, "description": f"service_code {code} was not found."}]
    root = xml(get(f"services/{code}.xml").content)
    assert root.tag == "errors"
    assert [children(e) for e in root] == [
        {"code": "404", "description": f"service_code {code} was not found."}
    ]


# Errors common to every endpoint ---------------------------------------------------------------


def test_jurisdiction_is_checked_when_given(world: World, settings: Any) -> None:
    settings.OPEN311_JURISDICTION = "dongcheng.example.gov.cn"
    assert get("services.json").status_code == 200
    assert get("services.json", jurisdiction_id="dongcheng.example.gov.cn").status_code == 200
    resp = get("services.json", jurisdiction_id="sf.gov")
    assert resp.status_code == 404
    assert resp.json() == [
        {"code": 404, "description": "jurisdiction_id sf.gov is not served here."}
    ]
    root = xml(get("requests.xml", jurisdiction_id="sf.gov").content)
    assert [children(e) for e in root] == [
        {"code": "404", "description": "jurisdiction_id sf.gov is not served here."}
    ]


def test_unknown_format_and_method(world: World) -> None:
    resp = get("services.csv")
    assert resp.status_code == 404
    assert resp.json() == [{"code": 404, "description": "Formats served: .json and .xml."}]
    resp = Client().delete(BASE + "requests.json", **EN)
    assert resp.status_code == 405
    assert resp["Allow"] == "GET, POST"
    assert resp.json() == [{"code": 405, "description": "Method DELETE is not allowed here."}]
    assert Client().post(BASE + "services.xml", **EN).status_code == 405


# Requests --------------------------------------------------------------------------------------


@pytest.fixture
def cases(world: World, categories: dict[str, Category]) -> dict[str, Case]:
    """a: open, dispatched, with photos; b: not registered (closed); c: awaiting moderation;
    d: 100 days old; e: refused for public display; f: approved but uncategorized."""
    now = now_local()
    a = public_case(
        world,
        categories["S0101"],
        reported=now - dt.timedelta(days=1),
        dispatch_due=now + dt.timedelta(days=2),
        reporter_phone="13812345678",
    )
    b = public_case(
        world, categories["S0105"], reported=now - dt.timedelta(days=10), point=world.p2
    )
    actions.reject(b, actor=world.office, reason="非本辖区问题")
    c = public_case(world, categories["S0101"], reported=now - dt.timedelta(days=2), approve=False)
    d = public_case(world, categories["S0101"], reported=now - dt.timedelta(days=100))
    e = public_case(world, categories["S0101"], reported=now - dt.timedelta(days=3))
    Case.objects.filter(pk=e.pk).update(public=Moderation.REJECTED)
    f = public_case(world, categories["S0101"], reported=now - dt.timedelta(days=4))
    Case.objects.filter(pk=f.pk).update(category=None)
    Case.objects.filter(pk=a.pk).update(updated_at=now - dt.timedelta(hours=5))
    for case in (a, b, c, d, e, f):
        case.refresh_from_db()
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "now": now}  # type: ignore[dict-item]


def ids(resp: Any) -> list[str]:
    assert resp.status_code == 200, resp.content
    return [r["service_request_id"] for r in resp.json()]


def test_request_fields_exact(world: World, cases: dict[str, Any]) -> None:
    a, now = cases["a"], cases["now"]
    add_photo(a, moderation=Moderation.APPROVED, stage=PhotoStage.AFTER)
    add_photo(a, moderation=Moderation.PENDING)
    add_photo(a, moderation=Moderation.APPROVED, public_copy=False)
    shown = add_photo(a, moderation=Moderation.APPROVED)
    (row,) = get(f"requests/{a.number}.json").json()
    assert row == {
        "service_request_id": a.number,
        "status": "open",
        "status_notes": "Dispatched",
        "service_name": "暴露垃圾",
        "service_code": "S0101",
        "description": "路口垃圾堆放",
        "agency_responsible": "东华门街道办事处",
        "service_notice": "Problems of this kind are handled within 24 hours of dispatch.",
        "requested_datetime": (now - dt.timedelta(days=1)).isoformat(),
        "updated_datetime": (now - dt.timedelta(hours=5)).isoformat(),
        "expected_datetime": (now + dt.timedelta(days=2)).isoformat(),
        "address": "北京市东城区",
        "address_id": None,
        "zipcode": None,
        "lat": 39.925,
        "long": 116.405,
        "media_url": f"http://testserver/photos/{shown.pk}/public/",
    }
    assert row["requested_datetime"].endswith("+08:00")


def test_closed_request_and_xml_shape(world: World, cases: dict[str, Any]) -> None:
    b = cases["b"]
    root = xml(get(f"requests/{b.number}.xml").content)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    fields = children(request)
    assert list(fields) == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    ]  # fmt: skip
    assert (fields["status"], fields["status_notes"], fields["service_code"]) == (
        "closed",
        "Not registered",
        "S0105",
    )
    assert (fields["lat"], fields["long"]) == ("39.928", "116.396")
    assert fields["agency_responsible"] is None and fields["expected_datetime"] is None
    assert fields["media_url"] is None and fields["address_id"] is None


def test_default_window_is_90_days_and_only_public_cases(
    world: World, cases: dict[str, Any]
) -> None:
    a, b = cases["a"], cases["b"]
    assert ids(get("requests.json")) == [a.number, b.number]
    root = xml(get("requests.xml").content)
    assert [r.findtext("service_request_id") for r in root] == [a.number, b.number]


def test_filters(world: World, cases: dict[str, Any]) -> None:
    a, b, c, d, now = cases["a"], cases["b"], cases["c"], cases["d"], cases["now"]
    w3c = lambda days: (now - dt.timedelta(days=days)).isoformat()  # noqa: E731
    assert ids(get("requests.json", service_code="S0105")) == [b.number]
    assert ids(get("requests.json", service_code="S0105,S0101")) == [a.number, b.number]
    assert ids(get("requests.json", status="open")) == [a.number]
    assert ids(get("requests.json", status="closed")) == [b.number]
    assert ids(get("requests.json", status="open,closed")) == [a.number, b.number]
    assert ids(get("requests.json", start_date=w3c(150), end_date=w3c(60))) == [d.number]
    assert ids(get("requests.json", start_date=w3c(15))) == [a.number, b.number]
    # end only: the 90 days before it (d, 100 days old, stays out).
    assert ids(get("requests.json", end_date=w3c(5))) == [b.number]
    # service_request_id overrides every other filter, and still shows only public cases.
    wanted = f"{a.number},{c.number},{d.number},2020-999999"
    assert ids(get("requests.json", service_request_id=wanted, status="closed")) == [
        a.number,
        d.number,
    ]


def test_dates_with_offsets_and_literal_times(
    world: World, categories: dict[str, Category]
) -> None:
    march = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    case = public_case(world, categories["S0101"], reported=march)
    window = {"start_date": "2026-02-20T00:00:00+08:00", "end_date": "2026-03-10T00:00:00Z"}
    rows = get("requests.json", **window).json()
    assert [(r["service_request_id"], r["requested_datetime"]) for r in rows] == [
        (case.number, "2026-03-01T10:00:00+08:00")
    ]
    # 02:00 UTC is 10:00 in Beijing: an end at 01:59:59Z leaves the case out.
    assert (
        get(
            "requests.json", start_date="2026-03-01T00:00:00Z", end_date="2026-03-01T01:59:59Z"
        ).json()
        == []
    )
    assert ids(
        get("requests.json", start_date="2026-03-01T00:00:00Z", end_date="2026-03-01T02:00:00Z")
    ) == [case.number]
    # An unescaped '+' arrives as a space; the offset is still read.
    raw = Client().get(
        BASE
        + "requests.json?start_date=2026-03-01T09:00:00+08:00&end_date=2026-03-01T11:00:00+08:00",
        **EN,
    )
    assert ids(raw) == [case.number]  # fmt: skip


W3C = "must be a W3C date and time such as 2026-01-31T08:00:00+08:00."
SPAN = "start_date and end_date may not span more than 90 days."
STATUS = "status must be open, closed or both, separated by a comma."
JAN1, FEB1, APR2 = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", "2026-04-02T00:00:00Z"


@pytest.mark.parametrize(
    ("query", "problems"),
    [
        ({"start_date": "yesterday"}, [f"start_date {W3C}"]),
        ({"end_date": "2026-13-01T00:00:00Z"}, [f"end_date {W3C}"]),
        ({"start_date": JAN1, "end_date": APR2}, [SPAN]),
        ({"start_date": FEB1, "end_date": JAN1}, ["end_date is before start_date."]),
        ({"status": "pending"}, [STATUS]),
        ({"status": "done", "start_date": "x"}, [f"start_date {W3C}", STATUS]),
    ],
)
def test_bad_filters_are_400(world: World, query: dict[str, str], problems: list[str]) -> None:
    resp = get("requests.json", **query)
    assert resp.status_code == 400
    assert resp.json() == [{"code": 400, "description": p} for p in problems]


def test_span_of_exactly_90_days_is_allowed(world: World) -> None:
    resp = get("requests.json", start_date="2026-01-01T00:00:00Z", end_date="2026-04-01T00:00:00Z")
    assert resp.status_code == 200 and resp.json() == []


def test_hidden_cases_answer_404(world: World, cases: dict[str, Any]) -> None:
    for key in ("c", "e", "f"):
        number = cases[key].number
        resp = get(f"requests/{number}.json")
        assert resp.status_code == 404
        assert resp.json() == [
            {"code": 404, "description": f"Service request {number} was not found."}
        ]
    assert get("requests/2020-999999.xml").status_code == 404


def test_no_reporter_data_ever(world: World, cases: dict[str, Any]) -> None:
    a = cases["a"]
    assert a.reporter_phone == "13812345678" and a.reporter_name == "李四"
    for path in (
        "requests.json",
        "requests.xml",
        f"requests/{a.number}.json",
        f"requests/{a.number}.xml",
    ):
        body = get(path).content.decode()
        assert a.number in body
        for secret in ("13812345678", "李四", "reporter", "文明办王科长"):
            assert secret not in body, (path, secret)  # fmt: skip


def test_more_than_1000_are_cut_at_1000(
    world: World, cases: dict[str, Any], monkeypatch: Any
) -> None:
    monkeypatch.setattr("chuangcheng.open311.queries.MAX_RESULTS", 1)
    assert ids(get("requests.json")) == [cases["a"].number]


def test_get_responses_allow_any_origin(world: World) -> None:
    assert get("requests.json")["Access-Control-Allow-Origin"] == "*"


def _count_queries(path: str) -> tuple[int, int]:
    """Queries run and requests returned."""
    with CaptureQueriesContext(connection) as ctx:
        resp = get(path)
    rows = len(json.loads(resp.content)) if path.endswith(".json") else len(xml(resp.content))
    return len(ctx.captured_queries), rows


def test_request_list_query_count_is_constant(
    world: World, categories: dict[str, Category]
) -> None:
    now = now_local()
    made: list[Case] = []

    def grow(n: int) -> None:
        # One case a day: two at p1 in one category on one day would be merged at intake.
        for _ in range(n):
            case = public_case(
                world,
                categories["S0101"],
                reported=now - dt.timedelta(days=len(made) + 1),
                dispatch_due=now + dt.timedelta(days=1),
            )
            add_photo(case, moderation=Moderation.APPROVED)
            made.append(case)

    grow(2)
    small, rows_small = _count_queries("requests.json")
    grow(6)
    large, rows_large = _count_queries("requests.json")
    assert (rows_small, rows_large) == (2, 8)
    # Three for the answer, one for the shared rate limiter's counter (core/ratelimit.py).
    assert small == large == 4
    assert _count_queries("requests.xml") == (4, 8)


def test_only_approved_category_audit_moves_changeset(
    world: World, categories: dict[str, Category]
) -> None:
    audit.record(world.office, AuditAction.UPDATE, world.p1, after={"x": 1})
    assert AuditEntry.objects.count() >= 1
    assert get("discovery.json").json()["changeset"] == "2026-11-22T08:00:00+08:00"
