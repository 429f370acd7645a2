"""A dispatched case lets its deadline pass; one scheduler pass escalates it (督办); the unit's
user sees it in the top bar and the inbox, the office sees the texts to the unit's head and
contact (masked) and the 督办 step on the case's timeline."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from chuangcheng.alerts.models import WarningRule
from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.enums import CaseAction, CaseSource
from chuangcheng.cases.models import Case, CaseEvent
from chuangcheng.orgs.models import Unit
from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _overdue_case(world, categories) -> Case:
    Unit.objects.filter(pk=world.unit_s1.pk).update(
        head_name="刘建国",
        head_phone="13900000001",
        contact_name="陈静",
        contact_phone="13900000002",
    )
    world.unit_s1.refresh_from_db()
    case = create_case(
        CaseData(
            source=CaseSource.INSPECTION,
            description="多福巷口堆放生活垃圾和废旧家具，散发异味。",
            category=categories["S0101"],
            point=world.p1,
        ),
        actor=world.inspector,
    )
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    # The deadline passes.
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    return case


def test_overdue_case_is_escalated_and_seen(page, phone, live_server, world, categories, password):
    # The preset warning rules would add a warning of their own to the bell (the same pass runs
    # alerts.evaluate); tests/e2e/test_alerts.py follows that one.
    WarningRule.objects.update(enabled=False)
    case = _overdue_case(world, categories)
    base = live_server.url
    log_in(page, base, "unit_s1", password)
    assert page.locator("#bell .bell-count").count() == 0

    out = StringIO()
    call_command("scheduler", "--once", "--inline", stdout=out)
    assert "cases.escalate_overdue" in out.getvalue()
    assert CaseEvent.objects.filter(case=case, action=CaseAction.ESCALATE).count() == 1

    # The unit's user: a count on the bell, the notification in the inbox.
    page.goto(base + "/")
    badge = page.locator("#bell .bell-count")
    badge.wait_for()
    assert badge.inner_text() == "1"
    page.click("#bell")
    page.wait_for_load_state("networkidle")
    item = page.locator("li.notice.unread")
    assert item.count() == 1
    assert f"案件 {case.number} 已超期，列入督办" in item.inner_text()
    shot(page, "inbox-desktop")
    page.click("text=标为已读")
    page.wait_for_load_state("networkidle")
    assert page.locator("li.notice.unread").count() == 0
    assert page.locator("#bell .bell-count").count() == 0

    # Another street's unit sees nothing.
    log_in(phone, base, "unit_s2", password)
    phone.goto(base + "/inbox/")
    assert "暂无通知" in phone.inner_text("main")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375

    # The office: the texts to the head and the contact, numbers masked.
    page.context.clear_cookies()
    log_in(page, base, "office", password)
    page.goto(base + "/outbox/")
    text = page.inner_text("main")
    assert "139****0001" in text and "139****0002" in text
    assert "13900000001" not in page.content()
    assert "刘建国" in text and "陈静" in text and case.number in text
    shot(page, "outbox-desktop")
    # The 督办 step on the case's timeline, where the case pages exist.
    try:
        detail = reverse("cases:detail", args=[case.pk])
    except NoReverseMatch:
        detail = ""
    if detail:
        page.goto(base + detail)
        assert "超期督办" in page.inner_text("main")


def test_inbox_and_outbox_fit_a_phone(phone, live_server, world, categories, password):
    _overdue_case(world, categories)
    call_command("scheduler", "--once", "--inline", stdout=StringIO())
    base = live_server.url
    log_in(phone, base, "unit_s1", password)
    phone.locator("#bell .bell-count").wait_for()
    phone.goto(base + "/inbox/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "inbox-phone")
    phone.context.clear_cookies()
    log_in(phone, base, "office", password)
    phone.goto(base + "/outbox/")
    phone.wait_for_load_state("networkidle")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "outbox-phone")
