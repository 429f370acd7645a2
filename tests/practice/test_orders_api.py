"""/api/v1/practice/orders: scoped list and detail, ordering, each step, one error shape."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.orders import NOTICE_VERSION
from chuangcheng.practice.enums import Book, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.conftest import login
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, hours_of, resident_order, staff_order

S = OrderStatus
API = "/api/v1/practice/orders"


def post(client: Client, url: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_list_is_scoped_and_filtered(pw: PracticeWorld) -> None:
    a = resident_order(pw)
    bring_to(pw, staff_order(pw), S.DISPATCHED)
    got = login(pw.world.office).get(API).json()
    assert got["count"] == 2
    assert {i["code"] for i in got["items"]} == set(
        ServiceOrder.objects.values_list("code", flat=True)
    )
    one = login(pw.world.office).get(f"{API}?status=ordered").json()
    assert [i["id"] for i in one["items"]] == [a.pk]
    item = one["items"][0]
    assert (item["requester_phone"], item["category"], item["region"]) == (
        "137****0009",
        "meal",
        pw.world.c1.code,
    )
    assert login(pw.other_office).get(API).json() == {"count": 0, "items": []}


def test_list_keeps_its_query_count(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    client.get(API)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(API).status_code == 200
        return len(ctx.captured_queries)

    bring_to(pw, resident_order(pw), S.ACCEPTED)
    small = count()
    for status in (S.DISPATCHED, S.OPEN, S.ACCEPTED, S.COMPLETED) * 4:
        bring_to(pw, staff_order(pw), status)
    assert count() == small


def test_detail_has_the_timeline_and_is_404_outside_scope(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    got = login(pw.vol1_user).get(f"{API}/{order.pk}")
    assert got.status_code == 200
    body = got.json()
    assert [e["to_status"] for e in body["events"]] == ["ordered", "dispatched", "accepted"]
    assert body["accepted_by"] == {"id": pw.vol1.pk, "name": "志愿者甲"}
    for user in (pw.other_office, pw.other_vol_user, pw.vol2_user):
        missing = login(user).get(f"{API}/{order.pk}")
        assert missing.status_code == 404
        assert missing.json() == {"detail": "Not found.", "code": "not_found", "errors": []}


def test_create_by_resident_and_by_staff(pw: PracticeWorld) -> None:
    got = post(
        login(pw.res1),
        API,
        {
            "category": "meal",
            "site": pw.station_c1.pk,
            "requester_name": "王大妈",
            "requester_phone": "13700000001",
            "notice_version": NOTICE_VERSION,
        },
    )
    assert got.status_code == 201
    assert (got.json()["channel"], got.json()["status"]) == ("phone", "ordered")
    staff = post(login(pw.world.office), API, {"category": "clean", "household": "H-C1-001"})
    assert staff.status_code == 201
    assert (staff.json()["channel"], staff.json()["requester_name"]) == ("staff", "王大妈")


def test_create_errors(pw: PracticeWorld) -> None:
    client = login(pw.res1)
    bad = post(client, API, {"category": "meal", "site": pw.station_c1.pk, "requester_name": "王"})
    assert bad.status_code == 422
    assert bad.json()["code"] == "invalid"
    assert bad.json()["errors"] == [{"loc": ["body", "notice"], "msg": "请阅读并同意隐私告知。"}]
    unknown = post(client, API, {"category": "nope", "site": pw.station_c1.pk})
    assert unknown.json()["errors"][0]["loc"] == ["body", "category"]
    other = post(client, API, {"category": "meal", "site": pw.other_station.pk})
    assert other.status_code == 422  # a site the resident cannot see is unknown
    # Without a grant no station is visible, so none is known.
    nobody = post(
        login(pw.world.nobody),
        API,
        {"category": "meal", "site": pw.station_c1.pk, "requester_name": "王"},
    )
    assert nobody.status_code == 422
    assert nobody.json()["errors"][0]["loc"] == ["body", "site"]
    assert ServiceOrder.objects.count() == 0


def test_the_five_steps_through_the_api(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    office, vol, res = login(pw.world.office), login(pw.vol1_user), login(pw.res1)
    got = post(office, f"{API}/{order.pk}/dispatch", {"volunteer": pw.vol1.pk})
    assert (got.status_code, got.json()["status"]) == (200, "dispatched")
    assert post(vol, f"{API}/{order.pk}/accept").json()["status"] == "accepted"
    done = post(vol, f"{API}/{order.pk}/complete", {"hours": "2.5", "note": "送到"})
    assert (done.json()["status"], done.json()["hours"]) == ("completed", "2.5")
    rated = post(res, f"{API}/{order.pk}/rate", {"rating": 5, "comment": "好"})
    assert (rated.json()["status"], rated.json()["rating"]) == ("rated", 5)
    assert hours_of(pw.vol1) == Decimal("2.5")
    assert ledger.book_total(Book.TIME) == 0


def test_step_errors_share_one_shape(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    vol = login(pw.vol1_user)
    refused = post(vol, f"{API}/{order.pk}/accept")  # vol1 sees it? no: 404 until dispatched
    assert refused.status_code == 404
    bring_to(pw, order, S.DISPATCHED)
    forbidden = post(login(pw.world.office), f"{API}/{order.pk}/rate", {"rating": 5})
    assert forbidden.status_code == 403
    assert forbidden.json() == {
        "detail": "You may not do this to this order.",
        "code": "forbidden",
        "errors": [],
    }
    early = post(vol, f"{API}/{order.pk}/complete", {"hours": "1"})
    assert early.status_code == 403  # not taken by vol1 yet
    post(vol, f"{API}/{order.pk}/accept")
    invalid = post(vol, f"{API}/{order.pk}/complete", {"hours": "25"})
    assert invalid.status_code == 422
    assert invalid.json()["errors"][0]["loc"] == ["body", "hours"]
    post(vol, f"{API}/{order.pk}/complete", {"hours": "1"})
    conflict = post(vol, f"{API}/{order.pk}/complete", {"hours": "1"})
    assert conflict.status_code == 409
    assert conflict.json()["code"] == "refused"
    assert conflict.json()["detail"] == "该订单当前为“已圆单”，不能变为“已圆单”。"
    assert hours_of(pw.vol1) == Decimal("1")
    bad_rating = post(login(pw.res1), f"{API}/{order.pk}/rate", {"rating": 9})
    assert bad_rating.status_code == 422


def test_dispatch_and_cancel_denied_outside_scope(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    other = login(pw.other_office)
    assert post(other, f"{API}/{order.pk}/dispatch", {"open": True}).status_code == 404
    assert post(other, f"{API}/{order.pk}/cancel", {"reason": "x"}).status_code == 404
    wrong = post(
        login(pw.world.office), f"{API}/{order.pk}/dispatch", {"volunteer": pw.other_vol.pk}
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["loc"] == ["body", "volunteer"]
    opened = post(login(pw.world.office), f"{API}/{order.pk}/dispatch", {"open": True})
    assert opened.json()["status"] == "open"
    reassign = post(login(pw.world.office), f"{API}/{order.pk}/dispatch", {"team": pw.squad_c1.pk})
    assert reassign.status_code == 422  # a reason is needed
    cancelled = post(login(pw.res1), f"{API}/{order.pk}/cancel", {"reason": "不要了"})
    assert cancelled.json()["status"] == "cancelled"
