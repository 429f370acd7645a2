"""The banks' pages: allowed, denied (403) and out of scope (404, with the other district's
household, station and goods present); balances after page actions computed by hand."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import award_points, owner_account
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods
from chuangcheng.practice.domain.redeem import redeem
from chuangcheng.practice.enums import Book
from chuangcheng.practice.models import (
    ConventionItem,
    Goods,
    Household,
    LedgerAccount,
    PointsAward,
    Redemption,
)
from tests.cases.report_images import jpeg
from tests.conftest import login
from tests.practice.conftest import PracticeWorld

D = Decimal
B = "/practice/bank"


@pytest.fixture
def bank(pw: PracticeWorld) -> dict[str, object]:
    item = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "sort", "title": "垃圾分类", "points": 5, "monthly_cap": 4},
    )
    other_item = save_item(
        actor=pw.other_office,
        region=pw.other_district,
        data={"code": "sort", "title": "西城垃圾分类", "points": 7},
    )
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "毛巾", "price": 15, "stock": 2}
    )
    other_goods = save_goods(
        actor=pw.other_office, site=pw.other_station, data={"name": "肥皂", "price": 3, "stock": 9}
    )
    award_points(actor=pw.other_office, item=other_item, owner=pw.other_household)
    return {"item": item, "other_item": other_item, "goods": goods, "other_goods": other_goods}


def balanced() -> None:
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_award_on_the_phone_pages(pw: PracticeWorld, bank: dict) -> None:
    c = login(pw.world.user_s1)
    found = c.get(f"{B}/award/", {"q": "王"})
    assert found.status_code == 200 and "王大妈" in found.content.decode()
    # a household of another street or district is not found, and its page is 404
    assert "李大爷" not in c.get(f"{B}/award/", {"q": "李"}).content.decode()
    assert "赵奶奶" not in c.get(f"{B}/award/", {"q": "赵"}).content.decode()
    assert c.get(f"{B}/award/h/{pw.h2.pk}/").status_code == 404
    assert c.get(f"{B}/award/h/{pw.other_household.pk}/").status_code == 404
    # the exact household number, or its door QR link, goes straight to the form
    direct = c.get(f"{B}/award/", {"q": "H-C1-001"})
    assert direct.status_code == 302 and direct["Location"] == f"{B}/award/h/{pw.h1.pk}/"
    scanned = c.get(f"{B}/award/", {"q": f"https://x.example/p/o/{pw.h1.public_token}/"})
    assert scanned["Location"] == f"{B}/award/h/{pw.h1.pk}/"
    page = c.get(f"{B}/award/h/{pw.h1.pk}/")
    assert page.status_code == 200 and "西城垃圾分类" not in page.content.decode()
    ref = page.context["form"].initial["ref"]
    data = {"item": bank["item"].pk, "note": "桶前分类", "ref": ref}
    assert c.post(f"{B}/award/h/{pw.h1.pk}/", data).status_code == 302
    assert c.post(f"{B}/award/h/{pw.h1.pk}/", data).status_code == 302  # a double tap
    assert PointsAward.objects.filter(account__household=pw.h1).count() == 1
    assert ledger.balance(owner_account(pw.h1)) == D("5")
    # another district's item cannot be posted
    bad = c.post(f"{B}/award/h/{pw.h1.pk}/", {"item": bank["other_item"].pk, "ref": "x" * 32})
    assert bad.status_code == 400
    assert c.get(f"{B}/award/v/{pw.vol1.pk}/").status_code == 200
    balanced()


def test_award_pages_denied_to_residents_and_volunteers(pw: PracticeWorld, bank: dict) -> None:
    for user in (pw.res1, pw.vol1_user, pw.world.leader):
        c = login(user)
        assert c.get(f"{B}/award/").status_code == 403
        assert c.get(f"{B}/redeem/").status_code == 403


def test_redeem_counter_takes_once_and_refuses_clearly(pw: PracticeWorld, bank: dict) -> None:
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)  # 15 points
    c = login(pw.world.user_s1)
    step1 = c.get(f"{B}/redeem/", {"site": pw.station_c1.pk, "q": "王"})
    assert step1.status_code == 200
    assert [s.pk for s in step1.context["sites"]] == [pw.institute.pk, pw.station_c1.pk]
    url = f"{B}/redeem/{pw.station_c1.pk}/h/{pw.h1.pk}/"
    page = c.get(url)
    ((goods, ref),) = page.context["shelf"]
    assert goods.pk == bank["goods"].pk
    post = {"goods": goods.pk, "quantity": 1, "ref": ref}
    assert c.post(url, post).status_code == 302
    assert c.post(url, post).status_code == 302  # the same form again
    assert Goods.objects.get(pk=goods.pk).stock == 1
    assert ledger.balance(owner_account(pw.h1)) == D("0")
    refused = c.post(url, {"goods": goods.pk, "quantity": 1, "ref": "b" * 32})
    assert refused.status_code == 400
    assert "积分不足：需要 15 分，现有 0 分。" in refused.content.decode()
    # out of scope: the other district's station, household and goods
    assert c.get(f"{B}/redeem/{pw.other_station.pk}/h/{pw.h1.pk}/").status_code == 404
    assert c.get(f"{B}/redeem/{pw.station_c1.pk}/h/{pw.other_household.pk}/").status_code == 404
    other = c.post(url, {"goods": bank["other_goods"].pk, "quantity": 1, "ref": "c" * 32})
    assert other.status_code == 400 and Goods.objects.get(pk=bank["other_goods"].pk).stock == 9
    # the unit of the other street runs no counter here
    assert login(pw.world.user_s2).get(url).status_code == 404
    r = Redemption.objects.get()
    assert login(pw.other_office).get(f"{B}/redemptions/{r.pk}/reverse/").status_code == 404
    done = c.post(f"{B}/redemptions/{r.pk}/reverse/", {"reason": "商品退回"})
    assert done.status_code == 302
    assert Goods.objects.get(pk=goods.pk).stock == 2
    assert ledger.balance(owner_account(pw.h1)) == D("15")
    balanced()


def test_shop_pages_scoped_and_audited(pw: PracticeWorld, bank: dict) -> None:
    c = login(pw.world.user_s1)
    assert c.get(f"{B}/shop/").status_code == 200
    assert c.get(f"{B}/shop/{pw.station_c1.pk}/").status_code == 200
    assert c.get(f"{B}/shop/{pw.other_station.pk}/").status_code == 404
    assert c.get(f"{B}/shop/{pw.station_c2.pk}/").status_code == 404
    assert c.get(f"{B}/shop/goods/{bank['other_goods'].pk}/").status_code == 404
    made = c.post(f"{B}/shop/{pw.station_c1.pk}/", {"name": "牙膏", "price": 12, "stock": 4})
    assert made.status_code == 302
    goods = Goods.objects.get(name="牙膏")
    restock = c.post(
        f"{B}/shop/goods/{goods.pk}/", {"action": "stock", "delta": "-5", "reason": "盘点"}
    )
    assert restock.status_code == 400  # only 4 in stock
    c.post(f"{B}/shop/goods/{goods.pk}/", {"action": "stock", "delta": "6", "reason": "到货"})
    assert Goods.objects.get(pk=goods.pk).stock == 10
    rules = c.post(
        f"{B}/shop/{pw.station_c1.pk}/rules/",
        {"min_balance": "20", "w0_day": "5", "w0_from": "09:00", "w0_until": "11:30"},
    )
    assert rules.status_code == 302
    pw.station_c1.refresh_from_db()
    assert pw.station_c1.min_redeem_balance == 20
    assert [str(w) for w in pw.station_c1.redemption_windows.all()] == ["5 09:00:00-11:30:00"]
    assert AuditEntry.objects.filter(object_type="practice.practicesite").count() == 1


def test_convention_page_office_defines_others_read(pw: PracticeWorld, bank: dict) -> None:
    office = login(pw.world.office)
    page = office.get(f"{B}/convention/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "垃圾分类" in text and "西城垃圾分类" not in text
    made = office.post(
        f"{B}/convention/new/",
        {
            "code": "dog",
            "title": "文明养犬",
            "points": 3,
            "monthly_cap": 2,
            "seq": 1,
            "active": "on",
        },
    )
    assert made.status_code == 302
    assert ConventionItem.objects.get(code="dog").region == pw.world.district
    assert office.get(f"{B}/convention/{bank['other_item'].pk}/").status_code == 404
    unit = login(pw.world.user_s1)
    assert unit.get(f"{B}/convention/new/").status_code == 403
    assert unit.get(f"{B}/convention/{bank['item'].pk}/").status_code == 403
    resident = login(pw.res1)
    assert "垃圾分类" in resident.get(f"{B}/convention/").content.decode()
    assert office.post(f"{B}/convention/{bank['item'].pk}/toggle/").status_code == 302
    assert ConventionItem.objects.get(pk=bank["item"].pk).active is False


def test_accounts_list_scoped_with_constant_queries(pw: PracticeWorld, bank: dict) -> None:
    c = login(pw.world.office)
    c.get(f"{B}/accounts/")  # the session's first save is not the list's
    counts = []
    for n in (2, 20):
        while LedgerAccount.objects.filter(region=pw.world.c1).count() < n:
            k = Household.objects.count()
            h = Household.objects.create(
                region=pw.world.c1, code=f"H-X-{k:03d}", address=f"{k}号", head_name=f"户主{k}"
            )
            award_points(actor=pw.world.office, item=bank["item"], owner=h)
        with CaptureQueriesContext(connection) as ctx:
            page = c.get(f"{B}/accounts/", {"book": "points"})
        assert page.status_code == 200
        assert len(page.context["rows"]) == n
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    text = page.content.decode()
    assert "赵奶奶" not in text
    assert all(balance == D("5") for _a, balance in page.context["rows"])
    assert "赵奶奶" in login(pw.other_office).get(f"{B}/accounts/").content.decode()
    assert login(pw.res1).get(f"{B}/accounts/").status_code == 403


def test_statement_export_and_correction(pw: PracticeWorld, bank: dict) -> None:
    award, _c = award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1, note="主动")
    account = owner_account(pw.h1)
    other = owner_account(pw.other_household)
    office = login(pw.world.office)
    page = office.get(f"{B}/accounts/{account.pk}/")
    assert page.status_code == 200 and page.context["st"].closing == D("5")
    assert office.get(f"{B}/accounts/{other.pk}/").status_code == 404
    assert office.get(f"{B}/accounts/{other.pk}/statement.csv").status_code == 404
    csv = office.get(f"{B}/accounts/{account.pk}/statement.csv")
    assert csv.status_code == 200
    body = csv.content.decode("utf-8-sig")
    assert "垃圾分类 · 主动" in body and body.strip().splitlines()[-1].endswith(",5.0")
    xlsx = office.get(f"{B}/accounts/{account.pk}/statement.xlsx")
    assert xlsx.content[:2] == b"PK"
    assert (
        AuditEntry.objects.filter(action="export", object_type="practice.ledgeraccount").count()
        == 2
    )
    # the resident reads their own statement, not another's
    resident = login(pw.res1)
    assert resident.get(f"{B}/accounts/{account.pk}/").status_code == 200
    assert resident.get(f"{B}/accounts/{owner_account(pw.h2).pk}/").status_code == 404
    # corrections: the office only, within its district
    url = f"{B}/transactions/{award.txn_id}/correct/"
    assert login(pw.world.user_s1).get(url).status_code == 403
    assert login(pw.other_office).get(url).status_code == 404
    assert office.post(url, {"reason": ""}).status_code == 400
    assert office.post(f"{url}?account={account.pk}", {"reason": "重复录入"}).status_code == 302
    assert ledger.balance(account) == D("0")
    balanced()


def test_home_and_my_balance(pw: PracticeWorld, bank: dict) -> None:
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)
    award_points(actor=pw.world.office, item=bank["item"], owner=pw.h1)
    redeem(actor=pw.world.office, goods=bank["goods"], owner=pw.h1)
    home = login(pw.world.office).get(f"{B}/")
    assert home.status_code == 200
    # the other district's award of 7 is not counted here
    assert (home.context["awarded"], home.context["awards"]) == (D("15"), 3)
    assert (home.context["redeemed"], home.context["redemptions"]) == (D("15"), 1)
    assert [g.name for g in home.context["low"]] == ["毛巾"]
    assert login(pw.res1).get(f"{B}/").status_code == 403
    mine = login(pw.res1).get(f"{B}/mine/")
    assert mine.status_code == 200
    (card,) = mine.context["cards"]
    assert card["balance"] == D("0") and len(card["entries"]) == 4
    assert [c["site"].pk for c in mine.context["counters"]] == [pw.station_c1.pk]
    other = login(pw.other_vol_user).get(f"{B}/mine/")
    assert other.context["cards"] == []
    assert [c["site"].pk for c in other.context["counters"]] == [pw.other_station.pk]


def test_award_with_an_evidence_photo(
    pw: PracticeWorld, bank: dict, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)
    c = login(pw.world.user_s1)
    page = c.get(f"{B}/award/h/{pw.h1.pk}/")
    ref = page.context["form"].initial["ref"]
    photo = SimpleUploadedFile("证据.jpg", jpeg(), content_type="image/jpeg")
    made = c.post(f"{B}/award/h/{pw.h1.pk}/", {"item": bank["item"].pk, "ref": ref, "photo": photo})
    assert made.status_code == 302
    award = PointsAward.objects.get(account__household=pw.h1)
    assert award.photo is not None
    thumb = c.get(f"{B}/awards/{award.pk}/photo/")
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
    assert login(pw.res1).get(f"{B}/awards/{award.pk}/photo/").status_code == 200
    assert login(pw.other_office).get(f"{B}/awards/{award.pk}/photo/").status_code == 404
    assert login(pw.world.user_s2).get(f"{B}/awards/{award.pk}/photo/").status_code == 404
    bad = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    refused = c.post(
        f"{B}/award/h/{pw.h1.pk}/", {"item": bank["item"].pk, "ref": "z" * 32, "photo": bad}
    )
    assert refused.status_code == 400
    assert PointsAward.objects.count() == 2  # h1's and the other district's
