"""The order pages: allowed and denied (the other district's people get 404), each step by
form, and lists keeping their query count."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.practice.domain import ledger
from chuangcheng.practice.enums import Book, OrderChannel, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.conftest import login
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, hours_of, resident_order, staff_order

S = OrderStatus


def _count(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session caches a few things; count the next one
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _orders(pw: PracticeWorld, n: int) -> None:
    for i in range(n):
        order = staff_order(pw) if i % 2 else resident_order(pw)
        bring_to(pw, order, [S.ORDERED, S.DISPATCHED, S.OPEN, S.ACCEPTED, S.COMPLETED][i % 5])


# The board ------------------------------------------------------------------------------------


def test_board_lists_the_stations_orders(pw: PracticeWorld) -> None:
    a = resident_order(pw)
    bring_to(pw, staff_order(pw), S.DISPATCHED)
    page = login(pw.world.office).get("/practice/orders/")
    assert page.status_code == 200
    text = page.content.decode()
    assert a.code in text
    assert page.context["page"].paginator.count == 2


def test_board_filters(pw: PracticeWorld) -> None:
    resident_order(pw)
    bring_to(pw, staff_order(pw), S.DISPATCHED)
    client = login(pw.world.office)
    assert client.get("/practice/orders/?status=dispatched").context["page"].paginator.count == 1
    url = f"/practice/orders/?category={pw.clean.pk}&site={pw.station_c1.pk}"
    assert client.get(url).context["page"].paginator.count == 1
    assert client.get("/practice/orders/?flag=any").context["page"].paginator.count == 0
    assert client.get("/practice/orders/?status=bogus").context["page"].paginator.count == 2


def test_flagged_orders_come_first(pw: PracticeWorld) -> None:
    first, second = resident_order(pw), resident_order(pw)
    ServiceOrder.objects.filter(pk=first.pk).update(flag="untaken")
    orders = login(pw.world.office).get("/practice/orders/").context["orders"]
    assert [o.pk for o in orders] == [first.pk, second.pk]


def test_the_other_district_sees_nothing_of_ours(pw: PracticeWorld) -> None:
    resident_order(pw)
    page = login(pw.other_office).get("/practice/orders/")
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 0


def test_residents_and_volunteers_do_not_get_the_board(pw: PracticeWorld) -> None:
    for user in (pw.res1, pw.vol1_user, pw.world.nobody):
        assert login(user).get("/practice/orders/").status_code == 403


def test_board_keeps_its_query_count(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    _orders(pw, 2)
    small = _count(client, "/practice/orders/")
    _orders(pw, 18)
    assert _count(client, "/practice/orders/") == small


# One order --------------------------------------------------------------------------------------


def test_detail_for_staff_requester_and_volunteer_and_404_for_the_rest(
    pw: PracticeWorld,
) -> None:
    order = bring_to(pw, resident_order(pw), S.DISPATCHED)
    url = f"/practice/orders/{order.pk}/"
    for user in (pw.world.office, pw.world.user_s1, pw.res1, pw.vol1_user, pw.world.leader):
        assert login(user).get(url).status_code == 200, user
    for user in (pw.other_office, pw.other_vol_user, pw.vol2_user, pw.world.user_s2):
        assert login(user).get(url).status_code == 404, user


def test_detail_offers_what_the_user_may_do(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    staff = login(pw.world.office).get(f"/practice/orders/{order.pk}/").context
    assert staff["assignable"] and staff["may_cancel"] and not staff["may_accept"]
    assert [s.volunteer for s in staff["suggestions"]] == [pw.vol1]  # skilled, of 多福巷
    assert pw.squad_c1 in staff["teams"] and pw.corps in staff["teams"]
    bring_to(pw, order, S.DISPATCHED)
    vol = login(pw.vol1_user).get(f"/practice/orders/{order.pk}/").context
    assert vol["may_accept"] and not vol["assignable"] and not vol["may_cancel"]
    req = login(pw.res1).get(f"/practice/orders/{order.pk}/").context
    assert req["may_cancel"] and not req["may_accept"] and not req["may_call"]


def test_dispatch_by_form(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    url = f"/practice/orders/{order.pk}/dispatch/"
    got = login(pw.world.user_s1).post(url, {"volunteer": pw.vol1.pk})
    assert got.status_code == 302
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.assignee) == (S.DISPATCHED, pw.vol1)
    # Reassigning needs a reason; with one, the order opens to volunteers.
    login(pw.world.user_s1).post(url, {"open": "1"})
    assert ServiceOrder.objects.get(pk=order.pk).status == S.DISPATCHED
    login(pw.world.user_s1).post(url, {"open": "1", "reason": "甲没空"})
    assert ServiceOrder.objects.get(pk=order.pk).status == S.OPEN


def test_dispatch_denied(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.DISPATCHED)
    url = f"/practice/orders/{order.pk}/dispatch/"
    assert login(pw.other_office).post(url, {"volunteer": pw.other_vol.pk}).status_code == 404
    assert login(pw.vol1_user).post(url, {"open": "1"}).status_code == 403
    # A volunteer of the other district is not one the office may choose.
    got = login(pw.world.office).post(url, {"volunteer": pw.other_vol.pk, "reason": "x"})
    assert got.status_code == 404
    assert ServiceOrder.objects.get(pk=order.pk).assignee == pw.vol1


def test_dispatch_to_a_team_by_form(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    login(pw.world.office).post(f"/practice/orders/{order.pk}/dispatch/", {"team": pw.squad_c1.pk})
    assert ServiceOrder.objects.get(pk=order.pk).team == pw.squad_c1


def test_cancel_by_form(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    url = f"/practice/orders/{order.pk}/cancel/"
    assert login(pw.other_office).post(url, {"reason": "x"}).status_code == 404
    assert login(pw.res1).post(url, {"reason": "不需要了"}).status_code == 302
    assert ServiceOrder.objects.get(pk=order.pk).status == S.CANCELLED


def test_call_hands_the_number_to_the_dialer_audited(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    url = f"/practice/orders/{order.pk}/call/"
    got = login(pw.vol1_user).get(url)
    assert (got.status_code, got["Location"]) == (302, "tel:13700000009")
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW_PERSONAL, object_id=str(order.pk)
    ).exists()
    assert login(pw.res1).get(url).status_code == 403
    assert login(pw.other_office).get(url).status_code == 404
    page = login(pw.world.office).get(f"/practice/orders/{order.pk}/").content.decode()
    assert "13700000009" not in page and "137****0009" in page


# The volunteer's phone pages -------------------------------------------------------------------


def test_my_tasks_lists_and_banked_hours(pw: PracticeWorld) -> None:
    waiting = bring_to(pw, resident_order(pw), S.DISPATCHED)
    open_here = bring_to(pw, resident_order(pw), S.OPEN)
    doing = bring_to(pw, resident_order(pw), S.ACCEPTED)
    done = bring_to(pw, resident_order(pw), S.COMPLETED)
    bring_to(pw, staff_order(pw, site=pw.station_c2), S.OPEN)  # 吉祥: not near vol1
    page = login(pw.vol1_user).get("/practice/tasks/")
    assert page.status_code == 200
    c = page.context
    assert [o.pk for o in c["for_me"]] == [waiting.pk]
    assert [o.pk for o in c["open_near"]] == [open_here.pk]
    assert [o.pk for o in c["doing"]] == [doing.pk]
    assert [o.pk for o in c["done"]] == [done.pk]
    assert c["banked"] == Decimal("2.0")


def test_my_tasks_is_for_volunteers(pw: PracticeWorld) -> None:
    for user in (pw.res1, pw.world.office, pw.world.nobody):
        assert login(user).get("/practice/tasks/").status_code == 403


def test_my_tasks_keeps_its_query_count(pw: PracticeWorld) -> None:
    client = login(pw.vol1_user)
    _orders(pw, 5)
    small = _count(client, "/practice/tasks/")
    _orders(pw, 20)
    assert _count(client, "/practice/tasks/") == small


def test_accept_then_complete_by_form_credits_the_hours(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.OPEN)
    client = login(pw.vol1_user)
    got = client.post(f"/practice/orders/{order.pk}/accept/")
    assert got["Location"] == f"/practice/orders/{order.pk}/"
    form = client.get(f"/practice/orders/{order.pk}/complete/")
    assert form.status_code == 200
    assert form.context["form"]["hours"].value() == "1"  # the preset tapped by default
    got = client.post(f"/practice/orders/{order.pk}/complete/", {"hours": "1.5", "note": "好"})
    assert got.status_code == 302
    assert hours_of(pw.vol1) == Decimal("1.5")
    assert ledger.book_total(Book.TIME) == 0


def test_complete_form_shows_refusals(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    got = login(pw.vol1_user).post(f"/practice/orders/{order.pk}/complete/", {"hours": "30"})
    assert got.status_code == 200 and got.context["form"].errors
    assert ServiceOrder.objects.get(pk=order.pk).status == S.ACCEPTED


def test_accept_and_complete_denied(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.DISPATCHED)
    assert login(pw.other_vol_user).post(f"/practice/orders/{order.pk}/accept/").status_code == 404
    assert login(pw.vol2_user).post(f"/practice/orders/{order.pk}/accept/").status_code == 404
    bring_to_accepted = order
    from chuangcheng.practice.domain import orders_flow

    orders_flow.accept(bring_to_accepted, actor=pw.vol1_user)
    url = f"/practice/orders/{order.pk}/complete/"
    assert login(pw.res1).get(url).status_code == 403
    assert login(pw.other_office).post(url, {"hours": "1"}).status_code == 404
    assert ServiceOrder.objects.get(pk=order.pk).status == S.ACCEPTED


def test_rate_by_the_requesters_account(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.COMPLETED)
    url = f"/practice/orders/{order.pk}/rate/"
    login(pw.world.office).post(url, {"rating": "1"})
    assert ServiceOrder.objects.get(pk=order.pk).rating is None
    login(pw.res1).post(url, {"rating": "5", "comment": "谢谢"})
    assert ServiceOrder.objects.get(pk=order.pk).rating == 5


# Ordering with an account -----------------------------------------------------------------------


def _order_form(**extra: Any) -> dict[str, Any]:
    return {"category": "", "description": "帮忙买菜", "wanted_time": "am", **extra}


def test_resident_orders_on_the_order_page(pw: PracticeWorld) -> None:
    client = login(pw.res1)
    form = client.get("/practice/orders/new/").context["form"]
    assert form.initial["requester_name"] == "王大妈"  # from the household
    assert form.initial["site"] == pw.station_c1.pk
    assert "pay_with_hours" not in form.fields
    got = client.post(
        "/practice/orders/new/",
        _order_form(
            category=pw.meal.pk,
            site=pw.station_c1.pk,
            requester_name="王大妈",
            requester_phone="13700000001",
            notice="on",
        ),
    )
    order = ServiceOrder.objects.get()
    assert got["Location"] == f"/practice/orders/{order.pk}/"
    assert (order.channel, order.requester_user, order.wanted_time) == (
        OrderChannel.PHONE,
        pw.res1,
        "am",
    )
    assert login(pw.res1).get("/practice/my-orders/").context["orders"][0].pk == order.pk


def test_the_resident_must_accept_the_notice(pw: PracticeWorld) -> None:
    got = login(pw.res1).post(
        "/practice/orders/new/",
        _order_form(category=pw.meal.pk, site=pw.station_c1.pk, requester_name="王大妈"),
    )
    assert got.status_code == 200 and "notice" in got.context["form"].errors
    assert not ServiceOrder.objects.exists()


def test_staff_order_for_a_household(pw: PracticeWorld) -> None:
    client = login(pw.world.user_s1)
    form = client.get("/practice/orders/new/").context["form"]
    assert list(form.fields["site"].queryset) == [pw.station_c1, pw.institute]
    client.post(
        "/practice/orders/new/",
        _order_form(category=pw.clean.pk, site=pw.station_c1.pk, household="H-C1-001"),
    )
    order = ServiceOrder.objects.get()
    assert (order.channel, order.household, order.requester_name) == (
        OrderChannel.STAFF,
        pw.h1,
        "王大妈",
    )
    # Another district's household number is unknown here.
    got = client.post(
        "/practice/orders/new/",
        _order_form(category=pw.clean.pk, site=pw.station_c1.pk, household="H-XC-001"),
    )
    assert "household" in got.context["form"].errors


def test_a_volunteer_may_pay_with_banked_hours(pw: PracticeWorld) -> None:
    form = login(pw.vol1_user).get("/practice/orders/new/").context["form"]
    assert "pay_with_hours" in form.fields
    login(pw.vol1_user).post(
        "/practice/orders/new/",
        _order_form(
            category=pw.meal.pk,
            site=pw.station_c1.pk,
            requester_name="甲的母亲",
            pay_with_hours="on",
            notice="on",
        ),
    )
    assert ServiceOrder.objects.get().paid_by == pw.vol1


def test_order_page_denied_without_a_grant(pw: PracticeWorld) -> None:
    assert login(pw.world.nobody).get("/practice/orders/new/").status_code == 403
    assert login(pw.world.nobody).get("/practice/my-orders/").status_code == 403


def test_my_orders_shows_only_mine_and_keeps_its_query_count(pw: PracticeWorld) -> None:
    staff_order(pw)
    client = login(pw.res1)
    resident_order(pw)
    small = _count(client, "/practice/my-orders/")
    for _ in range(10):
        bring_to(pw, resident_order(pw), S.ACCEPTED)
    assert _count(client, "/practice/my-orders/") == small
    assert len(client.get("/practice/my-orders/").context["orders"]) == 11


# QR codes ---------------------------------------------------------------------------------------


def test_qr_codes_page_png_svg_and_poster(pw: PracticeWorld) -> None:
    client = login(pw.world.user_s1)
    page = client.get("/practice/orders/qr/")
    assert page.status_code == 200
    assert pw.station_c1 in page.context["sites"]
    assert pw.station_c2 not in page.context["sites"]  # 景山's
    assert pw.h1 in page.context["households"]
    png = client.get(f"/practice/orders/qr/site/{pw.station_c1.pk}.png")
    assert (png.status_code, png["Content-Type"]) == (200, "image/png")
    assert png.content.startswith(b"\x89PNG")
    svg = client.get(f"/practice/orders/qr/household/{pw.h1.pk}.svg?download=1")
    assert svg["Content-Type"] == "image/svg+xml"
    assert "H-C1-001" in svg["Content-Disposition"]
    poster = client.get(f"/practice/orders/qr/household/{pw.h1.pk}/poster/")
    assert poster.status_code == 200
    assert f"/p/o/{pw.h1.public_token}/" in poster.context["public_url"]


def test_qr_codes_denied(pw: PracticeWorld) -> None:
    assert login(pw.res1).get("/practice/orders/qr/").status_code == 403
    other = login(pw.other_office)
    assert pw.station_c1 not in other.get("/practice/orders/qr/").context["sites"]
    for url in (
        f"/practice/orders/qr/site/{pw.station_c1.pk}.png",
        f"/practice/orders/qr/household/{pw.h1.pk}.svg",
        f"/practice/orders/qr/site/{pw.station_c1.pk}/poster/",
        f"/practice/orders/qr/nothing/{pw.h1.pk}.svg",
    ):
        assert other.get(url).status_code == 404, url
    assert (
        login(pw.world.user_s2).get(f"/practice/orders/qr/household/{pw.h1.pk}.png").status_code
        == 404
    )


@pytest.mark.parametrize("size", ["thumb", "full"])
def test_photo_of_another_districts_view_is_404(pw: PracticeWorld, size: str) -> None:
    order = resident_order(pw)
    url = f"/practice/orders/{order.pk}/photos/1/{size}/"
    assert login(pw.other_office).get(url).status_code == 404
    assert login(pw.world.office).get(url).status_code == 404  # no such photo on the order
