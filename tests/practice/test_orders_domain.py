"""Service orders in the domain: placing, who may take which step, the hours in the time bank."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditEntry
from chuangcheng.core.models_messages import Notification
from chuangcheng.practice.domain import ledger, orders_complete, orders_flow
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.orders import (
    NOTICE_VERSION,
    PHONE_PURPOSE,
    OrderInput,
    OrderRateLimitedError,
    place_order,
)
from chuangcheng.practice.enums import Book, OrderChannel, OrderStatus, SystemAccount, TxnKind
from chuangcheng.practice.models import LedgerTransaction, OrderEvent, ServiceOrder
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, hours_of, resident_order, staff_order

D = Decimal
S = OrderStatus


def _issued(pw: PracticeWorld) -> Decimal:
    account = ledger.system_account(Book.TIME, SystemAccount.TIME_ISSUED, pw.world.district)
    return ledger.balance(account)


# 点单 -------------------------------------------------------------------------------------------


def test_resident_order_is_numbered_and_keeps_the_phone_encrypted(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    assert re.fullmatch(r"FW-\d{4}-\d{6}", order.code)
    assert order.code.endswith(f"-{order.pk:06d}")
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.channel, fresh.requester_user) == (
        S.ORDERED,
        OrderChannel.PHONE,
        pw.res1,
    )
    assert fresh.requester_phone == "13700000009"
    assert fresh.requester_phone_hash == keyed_hash("13700000009", PHONE_PURPOSE)
    assert fresh.requester_phone_masked == "137****0009"
    assert fresh.notice_version == NOTICE_VERSION
    assert (fresh.site, fresh.region) == (pw.station_c1, pw.world.c1)
    event = OrderEvent.objects.get(order=order)
    assert (event.from_status, event.to_status, event.actor) == ("", S.ORDERED, pw.res1)
    entry = AuditEntry.objects.get(object_type="practice.serviceorder", object_id=str(order.pk))
    assert "requester_phone" not in entry.after  # type: ignore[operator]


def test_two_orders_get_two_codes(pw: PracticeWorld) -> None:
    a, b = resident_order(pw), staff_order(pw)
    assert a.code != b.code
    assert ServiceOrder.objects.filter(code__startswith="FW-").count() == 2


def test_household_qr_takes_name_phone_and_address_from_the_household(
    pw: PracticeWorld,
) -> None:
    data = OrderInput(
        category=pw.meal,
        requester_name="冒名",
        requester_phone="13911112222",
        household=pw.h1,
        notice_version=NOTICE_VERSION,
    )
    order = place_order(data, actor=None, channel=OrderChannel.HOUSEHOLD_QR, ip_hash="ip1")
    assert (order.requester_name, order.requester_phone, order.address) == (
        "王大妈",
        "13700000001",
        "多福巷1号",
    )
    assert (order.site, order.household, order.requester_user) == (pw.station_c1, pw.h1, None)
    assert order.ip_hash == "ip1"


def test_site_qr_needs_a_phone_and_the_notice(pw: PracticeWorld) -> None:
    data = OrderInput(category=pw.meal, requester_name="路人", site=pw.station_c1)
    with pytest.raises(PracticeError) as caught:
        place_order(data, actor=None, channel=OrderChannel.SITE_QR)
    assert set(caught.value.errors) == {"requester_phone", "notice"}
    assert not ServiceOrder.objects.exists()


def test_public_orders_are_limited_per_address_and_hour(
    pw: PracticeWorld, settings: object
) -> None:
    settings.PRACTICE_ORDER_RATE_LIMIT = 2  # type: ignore[attr-defined]
    data = OrderInput(
        category=pw.meal,
        requester_name="路人",
        requester_phone="13911112222",
        site=pw.station_c1,
        notice_version=NOTICE_VERSION,
    )
    for _n in range(2):
        place_order(data, actor=None, channel=OrderChannel.SITE_QR, ip_hash="same")
    with pytest.raises(OrderRateLimitedError):
        place_order(data, actor=None, channel=OrderChannel.SITE_QR, ip_hash="same")
    place_order(data, actor=None, channel=OrderChannel.SITE_QR, ip_hash="other")
    assert ServiceOrder.objects.count() == 3


def test_staff_orders_only_at_stations_they_run(pw: PracticeWorld) -> None:
    staff_order(pw, actor=pw.world.user_s1)  # 东华门街道办 runs 多福巷's station
    with pytest.raises(PermissionDenied):
        staff_order(pw, actor=pw.world.user_s2)  # 景山 does not
    with pytest.raises(PermissionDenied):
        staff_order(pw, actor=pw.other_office)
    with pytest.raises(PermissionDenied):
        staff_order(pw, actor=pw.world.leader)  # leaders read only


def test_a_resident_cannot_order_at_another_districts_station(pw: PracticeWorld) -> None:
    with pytest.raises(PermissionDenied):
        resident_order(pw, site=pw.other_station)


def test_only_the_volunteer_themselves_may_order_on_their_hours(pw: PracticeWorld) -> None:
    with pytest.raises(PermissionDenied):
        resident_order(pw, paid_by=pw.vol1)


def test_a_past_day_or_an_unknown_time_of_day_is_refused(pw: PracticeWorld) -> None:
    import datetime as dt

    with pytest.raises(PracticeError) as caught:
        resident_order(pw, wanted_on=dt.date(2020, 1, 1), wanted_time="night")
    assert set(caught.value.errors) == {"wanted_on", "wanted_time"}


# 派单 and 接单 ----------------------------------------------------------------------------------


def test_dispatch_notifies_the_volunteer_and_accept_the_requester(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    orders_flow.dispatch(order, actor=pw.world.office, volunteer=pw.vol1)
    assert Notification.objects.filter(recipient=pw.vol1_user, key__contains=":dispatched:")
    orders_flow.accept(order, actor=pw.vol1_user)
    assert Notification.objects.filter(recipient=pw.res1, key=f"practice-order:{order.pk}:accepted")
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.accepted_by, fresh.assignee) == (S.ACCEPTED, pw.vol1, pw.vol1)


def test_only_the_dispatched_volunteer_accepts(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.DISPATCHED)
    with pytest.raises(PermissionDenied):
        orders_flow.accept(order, actor=pw.vol2_user)
    with pytest.raises(PermissionDenied):
        orders_flow.accept(order, actor=pw.res1)
    assert ServiceOrder.objects.get(pk=order.pk).status == S.DISPATCHED


def test_a_team_member_accepts_an_order_dispatched_to_the_team(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    orders_flow.dispatch(order, actor=pw.world.office, team=pw.squad_c1)
    assert Notification.objects.filter(recipient=pw.vol1_user).count() == 1
    with pytest.raises(PermissionDenied):
        orders_flow.accept(order, actor=pw.vol2_user)  # not in the squad
    orders_flow.accept(order, actor=pw.vol1_user)
    assert ServiceOrder.objects.get(pk=order.pk).accepted_by == pw.vol1


def test_an_open_order_is_taken_by_a_volunteer_of_its_region_only(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.OPEN)
    for outsider in (pw.vol2_user, pw.other_vol_user):
        with pytest.raises(PermissionDenied):
            orders_flow.accept(order, actor=outsider)
    orders_flow.accept(order, actor=pw.vol1_user)
    assert ServiceOrder.objects.get(pk=order.pk).accepted_by == pw.vol1


def test_dispatch_needs_exactly_one_target_and_station_staff(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    with pytest.raises(PracticeError):
        orders_flow.dispatch(order, actor=pw.world.office)
    with pytest.raises(PracticeError):
        orders_flow.dispatch(order, actor=pw.world.office, volunteer=pw.vol1, team=pw.squad_c1)
    with pytest.raises(PracticeError):  # a volunteer the office does not manage
        orders_flow.dispatch(order, actor=pw.world.office, volunteer=pw.other_vol)
    for outsider in (pw.other_office, pw.world.user_s2, pw.vol1_user, pw.res1):
        with pytest.raises(PermissionDenied):
            orders_flow.dispatch(order, actor=outsider, volunteer=pw.vol1)
    assert ServiceOrder.objects.get(pk=order.pk).status == S.ORDERED


def test_reassigning_tells_the_volunteer_who_had_it(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    orders_flow.reassign(order, actor=pw.world.office, reason="志愿者请假", volunteer=pw.vol2)
    assert Notification.objects.filter(recipient=pw.vol1_user, key__contains=":withdrawn:")
    assert Notification.objects.filter(recipient=pw.vol2_user, key__contains=":dispatched:")
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.assignee, fresh.accepted_by) == (S.DISPATCHED, pw.vol2, None)


# 圆单: hours in the time bank ------------------------------------------------------------------


def test_completion_credits_exactly_the_hours_from_the_district(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    orders_complete.complete(order, actor=pw.vol1_user, hours="2.5", note="送餐")
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.hours, fresh.completion_note) == (S.COMPLETED, D("2.5"), "送餐")
    txn = fresh.credit_txn
    assert txn is not None
    assert (txn.book, txn.kind) == (Book.TIME, TxnKind.SERVICE_CREDIT)
    assert hours_of(pw.vol1) == D("2.5")
    assert _issued(pw) == D("-2.5")
    assert ledger.book_total(Book.TIME) == 0
    assert Notification.objects.filter(recipient=pw.res1, key__endswith=":completed").exists()


def test_two_orders_add_up_in_the_volunteers_account(pw: PracticeWorld) -> None:
    for hours in ("1.5", "3"):
        order = bring_to(pw, staff_order(pw), S.ACCEPTED)
        orders_complete.complete(order, actor=pw.vol1_user, hours=hours)
    assert hours_of(pw.vol1) == D("4.5")
    assert _issued(pw) == D("-4.5")
    assert LedgerTransaction.objects.count() == 2
    assert ledger.book_total(Book.TIME) == 0


@pytest.mark.parametrize("hours", ["0", "-1", "24.5", "1.25", "abc", ""])
def test_bad_hours_are_refused_and_nothing_is_credited(pw: PracticeWorld, hours: str) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    with pytest.raises(PracticeError) as caught:
        orders_complete.complete(order, actor=pw.vol1_user, hours=hours)
    assert set(caught.value.errors) == {"hours"}
    assert ServiceOrder.objects.get(pk=order.pk).status == S.ACCEPTED
    assert not LedgerTransaction.objects.exists()
    assert ledger.book_total(Book.TIME) == 0


def test_24_hours_is_the_most(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    orders_complete.complete(order, actor=pw.vol1_user, hours="24")
    assert hours_of(pw.vol1) == D("24")


def test_only_the_volunteer_who_took_it_or_staff_complete(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    for outsider in (pw.vol2_user, pw.res1, pw.other_office):
        with pytest.raises(PermissionDenied):
            orders_complete.complete(order, actor=outsider, hours="1")
    orders_complete.complete(order, actor=pw.world.user_s1, hours="1")
    assert hours_of(pw.vol1) == D("1")  # credited to the volunteer, not the clerk


def _paid_order(pw: PracticeWorld, banked: str) -> ServiceOrder:
    """vol2 has ``banked`` hours and orders for family at 多福巷, paying with them; vol1 serves."""
    if D(banked):
        earn = bring_to(pw, staff_order(pw, site=pw.station_c2), S.OPEN)
        orders_flow.accept(earn, actor=pw.vol2_user)
        orders_complete.complete(earn, actor=pw.vol2_user, hours=banked)
    data = OrderInput(
        category=pw.meal,
        requester_name="乙的母亲",
        requester_phone="13500000001",
        site=pw.station_c2,
        paid_by=pw.vol2,
        notice_version=NOTICE_VERSION,
    )
    order = place_order(data, actor=pw.vol2_user, channel=OrderChannel.PHONE)
    orders_flow.dispatch(order, actor=pw.world.office, volunteer=pw.vol1)
    orders_flow.accept(order, actor=pw.vol1_user)
    return order


def test_banked_hours_pay_for_a_family_order(pw: PracticeWorld) -> None:
    order = _paid_order(pw, "3")
    orders_complete.complete(order, actor=pw.vol1_user, hours="2")
    assert hours_of(pw.vol2) == D("1")
    assert hours_of(pw.vol1) == D("2")
    assert _issued(pw) == D("-3")  # nothing new issued: the hours moved from payer to provider
    txn = ServiceOrder.objects.get(pk=order.pk).credit_txn
    assert txn is not None and txn.kind == TxnKind.SERVICE_SPEND
    assert ledger.book_total(Book.TIME) == 0


def test_paying_with_too_few_banked_hours_is_refused(pw: PracticeWorld) -> None:
    order = _paid_order(pw, "1.5")
    with pytest.raises(PracticeError) as caught:
        orders_complete.complete(order, actor=pw.vol1_user, hours="2")
    assert "1.5" in caught.value.errors["hours"][0]
    assert ServiceOrder.objects.get(pk=order.pk).status == S.ACCEPTED
    assert (hours_of(pw.vol2), hours_of(pw.vol1)) == (D("1.5"), D("0"))
    assert ledger.book_total(Book.TIME) == 0
    orders_complete.complete(order, actor=pw.vol1_user, hours="1.5")
    assert (hours_of(pw.vol2), hours_of(pw.vol1)) == (D("0"), D("1.5"))


def test_the_payer_cannot_serve_their_own_paid_order(pw: PracticeWorld) -> None:
    data = OrderInput(
        category=pw.meal,
        requester_name="甲的父亲",
        requester_phone="13500000002",
        site=pw.station_c1,
        paid_by=pw.vol1,
        notice_version=NOTICE_VERSION,
    )
    order = place_order(data, actor=pw.vol1_user, channel=OrderChannel.PHONE)
    with pytest.raises(PracticeError):
        orders_flow.dispatch(order, actor=pw.world.office, volunteer=pw.vol1)
    orders_flow.open_to_volunteers(order, actor=pw.world.office)
    with pytest.raises(PracticeError):
        orders_flow.accept(order, actor=pw.vol1_user)


# 评单 and cancelling ----------------------------------------------------------------------------


def test_the_requester_rates_once(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.COMPLETED)
    with pytest.raises(PermissionDenied):
        orders_flow.rate(order, actor=pw.world.office, rating=5)
    with pytest.raises(PracticeError):
        orders_flow.rate(order, actor=pw.res1, rating=6)
    orders_flow.rate(order, actor=pw.res1, rating=4, comment="准时")
    fresh = ServiceOrder.objects.get(pk=order.pk)
    assert (fresh.status, fresh.rating, fresh.rating_comment) == (S.RATED, 4, "准时")
    assert Notification.objects.filter(recipient=pw.vol1_user, key__endswith=":rated").exists()
    with pytest.raises(PracticeError):
        orders_flow.rate(order, actor=pw.res1, rating=5)


def test_an_anonymous_order_is_rated_through_its_link(pw: PracticeWorld) -> None:
    data = OrderInput(category=pw.meal, household=pw.h1, notice_version=NOTICE_VERSION)
    order = place_order(data, actor=None, channel=OrderChannel.HOUSEHOLD_QR)
    bring_to(pw, order, S.COMPLETED)
    with pytest.raises(PermissionDenied):
        orders_flow.rate(order, actor=None, rating=5)
    orders_flow.rate(order, actor=None, rating=5, by_link=True)
    assert ServiceOrder.objects.get(pk=order.pk).rating == 5


def test_the_link_cancels_only_before_a_volunteer_took_the_order(pw: PracticeWorld) -> None:
    order = bring_to(pw, resident_order(pw), S.ACCEPTED)
    with pytest.raises(PracticeError):
        orders_flow.cancel(order, actor=None, reason="不要了", by_link=True)
    other = bring_to(pw, resident_order(pw), S.DISPATCHED)
    orders_flow.cancel(other, actor=None, reason="不要了", by_link=True)
    fresh = ServiceOrder.objects.get(pk=other.pk)
    assert (fresh.status, fresh.cancel_reason) == (S.CANCELLED, "不要了")
    assert Notification.objects.filter(recipient=pw.vol1_user, key__endswith=":cancelled")


def test_cancel_needs_a_reason_and_the_requester_or_staff(pw: PracticeWorld) -> None:
    order = resident_order(pw)
    with pytest.raises(PracticeError):
        orders_flow.cancel(order, actor=pw.res1, reason=" ")
    for outsider in (pw.vol1_user, pw.other_office, pw.world.leader):
        with pytest.raises(PermissionDenied):
            orders_flow.cancel(order, actor=outsider, reason="x")
    orders_flow.cancel(order, actor=pw.res1, reason="自己解决了")
    assert ServiceOrder.objects.get(pk=order.pk).status == S.CANCELLED
