"""The five orders in the browser at 375 px (issue 8's done criterion): a resident orders on a
phone by the household QR code (点单), the station dispatches on a phone (派单), the volunteer
accepts (接单) and completes with hours (圆单) on a phone, and the resident rates by the order's
link (评单). Each step takes at most four taps; the hours land in the time bank exactly once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.enums import Book, OrderStatus
from chuangcheng.practice.models import ServiceOrder
from tests.e2e.conftest import fits, log_in, shot
from tests.practice.conftest import PracticeWorld, pw  # noqa: F401 (the fixture)
from tests.practice.order_helpers import hours_of

pytestmark = pytest.mark.django_db(transaction=True)
MAX_TAPS = 4


class Taps:
    """Counts the taps of one step."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.n = 0

    def tap(self, selector: str) -> None:
        self.page.locator(selector).first.tap()
        self.n += 1


def _step(page: Any, name: str) -> Taps:
    assert fits(page), name
    shot(page, f"practice-orders-{name}-375")
    return Taps(page)


def test_five_orders_on_phones(
    browser: Any,
    phone: Any,
    live_server: Any,
    pw: PracticeWorld,  # noqa: F811
    password: str,
) -> None:
    base = live_server.url
    resident = phone  # no account: the QR code on the door is the key

    # 点单: scan the household code, tap the service, tick the notice, send.
    resident.goto(f"{base}/p/o/{pw.h1.public_token}/")
    taps = _step(resident, "order")
    taps.tap("label.po-tile:has-text('助餐')")
    resident.fill("#id_description", "帮忙买一份午饭")
    taps.tap("#id_notice")
    taps.tap("button[data-step=submit]")
    resident.wait_for_url("**/p/order/**")
    assert taps.n <= MAX_TAPS
    follow_url = resident.url
    order = ServiceOrder.objects.get()
    assert (order.status, order.household, order.requester_name) == (
        OrderStatus.ORDERED,
        pw.h1,
        "王大妈",
    )
    assert order.code in resident.inner_text("h1")
    _step(resident, "ordered")

    # 派单: the street office's clerk, on a phone, from the board.
    staff = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ).new_page()
    log_in(staff, base, "unit_s1", password)
    staff.goto(f"{base}/practice/orders/")
    taps = _step(staff, "board")
    taps.tap(f"a:has-text('{order.code}')")
    staff.wait_for_url(f"**/practice/orders/{order.pk}/")
    assert fits(staff)
    shot(staff, "practice-orders-dispatch-375")
    taps.tap("button[data-volunteer='志愿者甲']")
    staff.wait_for_load_state("networkidle")
    assert taps.n <= MAX_TAPS
    assert "已派单" in staff.inner_text(".messages")
    order.refresh_from_db()
    assert (order.status, order.assignee) == (OrderStatus.DISPATCHED, pw.vol1)

    # 接单: the volunteer opens the task and accepts it.
    volunteer = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    ).new_page()
    log_in(volunteer, base, "vol1", password)
    volunteer.goto(f"{base}/practice/tasks/")
    taps = _step(volunteer, "tasks")
    assert volunteer.inner_text("[data-banked]") == "0.0"
    taps.tap(f"a[data-order='{order.code}']")
    taps.tap("button[data-step=accept]")
    volunteer.wait_for_load_state("networkidle")
    assert taps.n <= MAX_TAPS
    order.refresh_from_db()
    assert (order.status, order.accepted_by) == (OrderStatus.ACCEPTED, pw.vol1)

    # 圆单: tap 圆单, tap the 2-hour preset, submit.
    taps = _step(volunteer, "accepted")
    taps.tap("a[data-step=complete]")
    volunteer.wait_for_url("**/complete/")
    assert fits(volunteer)
    taps.tap("button[data-hours='2']")
    assert volunteer.input_value("#id_hours") == "2"
    shot(volunteer, "practice-orders-complete-375")
    taps.tap("button[data-step=submit]")
    volunteer.wait_for_url("**/practice/tasks/")
    assert taps.n <= MAX_TAPS
    assert volunteer.inner_text("[data-banked]") == "2.0"
    _step(volunteer, "credited")
    order.refresh_from_db()
    assert (order.status, order.hours) == (OrderStatus.COMPLETED, Decimal("2.0"))
    assert hours_of(pw.vol1) == Decimal("2.0")

    # 评单: back on the order's link, five stars and send.
    resident.goto(follow_url)
    taps = _step(resident, "rate")
    taps.tap(".po-stars label[title='5']")
    resident.fill("#id_comment", "很及时，谢谢！")
    taps.tap("button[data-step=rate]")
    resident.wait_for_load_state("networkidle")
    assert taps.n <= MAX_TAPS
    _step(resident, "rated")
    order.refresh_from_db()
    assert (order.status, order.rating, order.rating_comment) == (
        OrderStatus.RATED,
        5,
        "很及时，谢谢！",
    )
    # Credited once: 2 hours to the volunteer, the district's issued account −2, book at 0.
    assert hours_of(pw.vol1) == Decimal("2.0")
    assert ledger.book_total(Book.TIME) == 0
