"""文明储蓄银行 in the browser at 375 px (issue 8's done criterion): station staff award points to
a household found by its number, then redeem an item at the counter; the stock and the balance
drop exactly once although the button is clicked twice, and a replay of the same form is refused
by the server's one-time token as well."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import owner_account
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods
from chuangcheng.practice.enums import Book
from chuangcheng.practice.models import Goods, PointsAward, Redemption
from tests.e2e.conftest import fits, log_in, shot
from tests.practice.conftest import pw  # noqa: F401 (the practice network fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def test_award_then_redeem_once_on_a_phone(
    phone: Any,
    live_server: Any,
    pw: Any,  # noqa: F811
    password: str,
) -> None:
    item = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": "sort", "title": "垃圾分类", "points": 12},
    )
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "洗衣液", "price": 10, "stock": 3}
    )
    base = live_server.url
    log_in(phone, base, "unit_s1", password)

    # Award: the household number goes straight to the form; one tap on the item, one on Award.
    phone.goto(f"{base}/practice/bank/award/")
    phone.fill("#bk-q", "H-C1-001")
    phone.press("#bk-q", "Enter")
    phone.wait_for_load_state("networkidle")
    assert phone.url.endswith(f"/practice/bank/award/h/{pw.h1.pk}/")
    assert fits(phone)
    shot(phone, "practice-bank-award-375")
    phone.click(f".bk-items label:has-text('{item.title}')")
    phone.fill("#id_note", "桶前分类投放")
    phone.click("form[data-once] button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "12" in phone.inner_text(".messages")
    assert PointsAward.objects.filter(account__household=pw.h1).count() == 1
    account = owner_account(pw.h1)
    assert ledger.balance(account) == Decimal("12")

    # Redeem: choose the counter, find the household, double-click Redeem on the goods.
    phone.goto(f"{base}/practice/bank/redeem/?site={pw.station_c1.pk}")
    phone.fill("#bk-q", "王")
    phone.press("#bk-q", "Enter")
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    phone.click(".bk-owner")
    phone.wait_for_load_state("networkidle")
    assert "12" in phone.inner_text("[data-balance]")
    assert fits(phone)
    shot(phone, "practice-bank-redeem-375")
    form = phone.locator(f"form[data-once]:has(input[name=goods][value='{goods.pk}'])")
    ref = form.locator("input[name=ref]").input_value()
    csrf = form.locator("input[name=csrfmiddlewaretoken]").input_value()
    form.locator("button[type=submit]").dblclick()
    phone.wait_for_load_state("networkidle")
    assert "洗衣液" in phone.inner_text(".messages")
    assert "2" in phone.inner_text("[data-balance]")
    shot(phone, "practice-bank-redeemed-375")
    assert Goods.objects.get(pk=goods.pk).stock == 2
    assert ledger.balance(account) == Decimal("2")
    assert Redemption.objects.count() == 1

    # The same form replayed (its token already used): nothing more is taken.
    status = phone.evaluate(
        """async ([url, ref, csrf, goods]) => {
            const body = new URLSearchParams(
                {csrfmiddlewaretoken: csrf, goods, quantity: "1", ref});
            const r = await fetch(url, {method: "POST", body, credentials: "same-origin"});
            return r.status;
        }""",
        [phone.url, ref, csrf, str(goods.pk)],
    )
    assert status == 200
    assert Goods.objects.get(pk=goods.pk).stock == 2
    assert ledger.balance(account) == Decimal("2")
    assert Redemption.objects.count() == 1
    assert ledger.book_total(Book.POINTS) == Decimal("0")
    assert ledger.book_total(Book.TIME) == Decimal("0")
