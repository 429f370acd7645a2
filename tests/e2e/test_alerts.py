"""Warnings in the browser: one scheduler pass raises a warning for a unit with overdue cases;
the unit's user opens it on a phone and acknowledges it with a note; another street's unit sees
nothing; the office sees the warning and the counts by level."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from chuangcheng.alerts.enums import WarningStatus
from chuangcheng.alerts.models import Warning
from tests.cases.figures_fixtures import make_case
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def test_unit_acknowledges_a_warning_on_a_phone(page, phone, live_server, world, password):
    now = timezone.now()
    for days in (3, 1):
        make_case(world.c1, world.unit_s1, due=now - dt.timedelta(days=days))
    out = StringIO()
    call_command("scheduler", "--once", "--inline", stdout=out)
    assert "alerts.evaluate" in out.getvalue()
    warning = Warning.objects.get(unit=world.unit_s1)
    assert warning.level == "orange"  # the oldest is 3 days overdue (orange from 2 days)
    base = live_server.url

    log_in(phone, base, "unit_s1", password)
    phone.goto(base + "/alerts/")
    item = phone.locator(".al-item")
    assert item.count() == 1
    assert "东华门街道办事处：2 件超期未处置（督办）" in item.inner_text()
    assert fits(phone)
    phone.click("a.al-title")
    phone.wait_for_load_state("networkidle")
    assert "最早一件应于" in phone.inner_text("main")
    assert "139****1111" in phone.inner_text("main")
    phone.fill("#ack-note", "已安排人员今日处置")
    assert fits(phone)
    shot(phone, "alerts-detail-phone")
    phone.click("#acknowledge")
    phone.wait_for_load_state("networkidle")
    assert "已签收，不再重复提醒。" in phone.inner_text("main")
    assert "已安排人员今日处置" in phone.inner_text("main")
    assert fits(phone)
    warning.refresh_from_db()
    assert (warning.status, warning.acknowledged_by) == (WarningStatus.ACKNOWLEDGED, world.user_s1)

    # Another street's unit sees no warning and cannot open this one.
    log_in(page, base, "unit_s2", password)
    page.goto(base + "/alerts/")
    assert page.locator(".al-item").count() == 0
    response = page.goto(f"{base}/alerts/{warning.pk}/")
    assert response is not None and response.status == 404

    # The office: counts by level, the warning acknowledged.
    page.context.clear_cookies()
    log_in(page, base, "office", password)
    page.goto(base + "/alerts/?status=all")
    assert page.locator(".al-c-orange .n").inner_text() == "1"
    assert "已签收" in page.locator(".al-item").inner_text()
    shot(page, "alerts-list-desktop")
