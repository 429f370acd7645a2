"""The public order pages: ordering at a QR code, following, rating and cancelling by link."""

from __future__ import annotations

from typing import Any

from django.test import Client

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.practice.domain.orders import IP_PURPOSE, NOTICE_VERSION
from chuangcheng.practice.enums import OrderChannel, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, resident_order

S = OrderStatus


def _form(pw: PracticeWorld, **extra: Any) -> dict[str, Any]:
    return {
        "category": pw.meal.pk,
        "description": "送一份午饭",
        "wanted_time": "",
        "requester_name": "路人甲",
        "requester_phone": "13912345678",
        "notice": "on",
        **extra,
    }


def test_site_qr_page_places_an_order_and_goes_to_its_link(pw: PracticeWorld) -> None:
    client = Client()
    url = f"/p/o/{pw.station_c1.public_token}/"
    page = client.get(url)
    assert page.status_code == 200
    assert "requester_phone" in page.context["form"].fields
    got = client.post(url, _form(pw), REMOTE_ADDR="10.0.0.8")
    order = ServiceOrder.objects.get()
    assert got.status_code == 302
    assert got["Location"] == f"/p/order/{order.public_token}/"
    assert (order.channel, order.site, order.requester_user) == (
        OrderChannel.SITE_QR,
        pw.station_c1,
        None,
    )
    assert order.notice_version == NOTICE_VERSION
    assert order.ip_hash == keyed_hash("10.0.0.8", IP_PURPOSE)
    follow = client.get(got["Location"])
    assert order.code in follow.content.decode()


def test_household_qr_page_asks_no_name_or_phone(pw: PracticeWorld) -> None:
    client = Client()
    url = f"/p/o/{pw.h1.public_token}/"
    page = client.get(url)
    assert "requester_phone" not in page.context["form"].fields
    assert "137****0001" in page.content.decode()
    assert "13700000001" not in page.content.decode()
    client.post(url, {"category": pw.clean.pk, "notice": "on"})
    order = ServiceOrder.objects.get()
    assert (order.channel, order.household, order.requester_name) == (
        OrderChannel.HOUSEHOLD_QR,
        pw.h1,
        "王大妈",
    )


def test_public_order_needs_the_notice(pw: PracticeWorld) -> None:
    got = Client().post(f"/p/o/{pw.station_c1.public_token}/", _form(pw, notice=""))
    assert got.status_code == 200 and "notice" in got.context["form"].errors
    assert not ServiceOrder.objects.exists()


def test_too_many_orders_from_one_address_get_a_friendly_429(
    pw: PracticeWorld, settings: Any
) -> None:
    settings.PRACTICE_ORDER_RATE_LIMIT = 1
    client = Client()
    url = f"/p/o/{pw.station_c1.public_token}/"
    assert client.post(url, _form(pw), REMOTE_ADDR="10.0.0.9").status_code == 302
    busy = client.post(url, _form(pw), REMOTE_ADDR="10.0.0.9")
    assert busy.status_code == 429
    assert busy.context["inner"] == "practice/orders/public_busy.html"
    assert client.post(url, _form(pw), REMOTE_ADDR="10.0.0.10").status_code == 302
    assert ServiceOrder.objects.count() == 2


def test_unknown_or_inactive_tokens_are_404(pw: PracticeWorld) -> None:
    client = Client()
    assert client.get("/p/o/nope/").status_code == 404
    assert client.get("/p/order/nope/").status_code == 404
    pw.station_c1.active = False
    pw.station_c1.save()
    assert client.get(f"/p/o/{pw.station_c1.public_token}/").status_code == 404


def test_the_link_rates_a_completed_order(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.COMPLETED)
    client = Client()
    url = f"/p/order/{order.public_token}/"
    page = client.get(url)
    assert page.context["may_rate"] and not page.context["may_cancel"]
    assert page.context["volunteer_name"] == "志**"
    client.post(url, {"action": "rate", "rating": "4", "comment": "不错"})
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.rating, fresh.rating_comment) == (S.RATED, 4, "不错")
    client.post(url, {"action": "rate", "rating": "1"})
    assert ServiceOrder.objects.get(pk=order.pk).rating == 4


def test_the_link_cancels_until_a_volunteer_takes_it(pw: PracticeWorld) -> None:
    taken = bring_to(pw, resident_order(pw), S.ACCEPTED)
    client = Client()
    client.post(f"/p/order/{taken.public_token}/", {"action": "cancel", "reason": "不要了"})
    assert ServiceOrder.objects.get(pk=taken.pk).status == S.ACCEPTED
    waiting = bring_to(pw, resident_order(pw), S.OPEN)
    client.post(f"/p/order/{waiting.public_token}/", {"action": "cancel", "reason": "不要了"})
    assert ServiceOrder.objects.get(pk=waiting.pk).status == S.CANCELLED


def test_the_follow_page_shows_no_phone_or_full_name(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    text = Client().get(f"/p/order/{order.public_token}/").content.decode()
    assert "13700000009" not in text and "志愿者甲" not in text
