"""The banks' API: the same scope as the pages (other district → 404), refusals as 409, and a
body sent twice with one ``client_ref`` acted on once."""

from __future__ import annotations

import json
from decimal import Decimal

from django.test import Client

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import award_points, owner_account
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods
from chuangcheng.practice.enums import Book
from chuangcheng.practice.models import Goods
from tests.conftest import login
from tests.practice.conftest import PracticeWorld

D = Decimal
API = "/api/v1/practice/bank"


def post(c: Client, path: str, body: dict) -> object:
    return c.post(f"{API}{path}", json.dumps(body), content_type="application/json")


def test_award_and_redeem_through_the_api(pw: PracticeWorld) -> None:
    item = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "serve", "title": "志愿服务", "points": 10, "monthly_cap": 2},
    )
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "毛巾", "price": 15, "stock": 1}
    )
    c = login(pw.world.user_s1)
    body = {"item": item.pk, "household": pw.h1.pk, "client_ref": "a1"}
    first = post(c, "/awards", body)
    assert first.status_code == 201 and first.json()["balance"] == "10.00"
    again = post(c, "/awards", body)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert post(c, "/awards", {"item": item.pk, "household": pw.h1.pk}).status_code == 201
    capped = post(c, "/awards", {"item": item.pk, "household": pw.h1.pk})
    assert capped.status_code == 409 and "2 次" in capped.json()["detail"]
    assert (
        post(c, "/awards", {"item": item.pk, "household": pw.other_household.pk}).status_code == 404
    )
    assert post(c, "/awards", {"item": item.pk}).status_code == 422
    made = post(c, "/redemptions", {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "r"})
    assert made.status_code == 201
    assert (made.json()["balance"], made.json()["stock"]) == ("5.00", 0)
    assert (
        post(
            c, "/redemptions", {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "r"}
        ).status_code
        == 200
    )
    out = post(c, "/redemptions", {"goods": goods.pk, "volunteer": pw.vol1.pk})
    assert out.status_code == 409 and "积分不足" in out.json()["detail"]
    rid = made.json()["id"]
    assert (
        post(login(pw.other_office), f"/redemptions/{rid}/reverse", {"reason": "x"}).status_code
        == 404
    )
    back = post(c, f"/redemptions/{rid}/reverse", {"reason": "退回"})
    assert back.status_code == 200 and back.json()["status"] == "reversed"
    assert Goods.objects.get(pk=goods.pk).stock == 1
    assert ledger.balance(owner_account(pw.h1)) == D("20")
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_lists_and_statement_are_scoped(pw: PracticeWorld) -> None:
    item = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "serve", "title": "志愿服务", "points": 10},
    )
    other_item = save_item(
        actor=pw.other_office,
        region=pw.other_district,
        data={"code": "serve", "title": "西城志愿服务", "points": 4},
    )
    save_goods(actor=pw.other_office, site=pw.other_station, data={"name": "肥皂", "price": 3})
    award_points(actor=pw.world.office, item=item, owner=pw.h1)
    award_points(actor=pw.other_office, item=other_item, owner=pw.other_household)
    c = login(pw.world.office)
    page = c.get(f"{API}/accounts", {"book": "points"}).json()
    assert page["count"] == 1
    assert page["items"][0]["household"] == pw.h1.pk and page["items"][0]["balance"] == "10.00"
    assert [i["title"] for i in c.get(f"{API}/convention-items").json()] == ["志愿服务"]
    assert c.get(f"{API}/goods").json() == []
    own = owner_account(pw.h1)
    st = c.get(f"{API}/accounts/{own.pk}/statement", {"start": "2020-01-01", "end": "2099-01-01"})
    assert st.status_code == 200
    assert [(line["amount"], line["balance"]) for line in st.json()["lines"]] == [
        ("10.00", "10.00")
    ]
    other = owner_account(pw.other_household)
    assert (
        c.get(
            f"{API}/accounts/{other.pk}/statement", {"start": "2020-01-01", "end": "2099-01-01"}
        ).status_code
        == 404
    )
    assert login(pw.res1).get(f"{API}/accounts").status_code == 403
