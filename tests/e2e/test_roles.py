"""Each role logs in through the browser and sees exactly its share of the district."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _text(page) -> str:
    return page.inner_text("main")


def test_office_sees_whole_district_and_users(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "office", password)
    assert "总览" in page.title()
    nav = page.inner_text("nav.sidenav")
    assert "用户与授权" in nav and "审计日志" not in nav
    page.goto(f"{base}/points/")
    body = _text(page)
    assert "多福巷" in body and "景山市场" in body
    page.goto(f"{base}/accounts/users/")
    assert "东华门联络员" in _text(page)
    shot(page, "e2e-office-users")


def test_street_unit_sees_only_its_street(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "unit_s1", password)
    nav = page.inner_text("nav.sidenav")
    assert "用户与授权" not in nav and "审计日志" not in nav
    page.goto(f"{base}/points/")
    body = _text(page)
    assert "多福巷" in body and "景山市场" not in body
    response = page.goto(f"{base}/points/{world.p2.code}/")
    assert response.status == 404
    response = page.goto(f"{base}/units/{world.unit_s2.code}/")
    assert response.status == 404
    response = page.goto(f"{base}/accounts/users/")
    assert response.status == 404


def test_line_department_sees_the_points_it_answers_for(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "unit_line", password)
    page.goto(f"{base}/points/")
    body = _text(page)
    assert "多福巷" in body and "景山市场" not in body


def test_leader_reads_but_cannot_edit(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "leader", password)
    page.goto(f"{base}/points/{world.p1.code}/")
    assert "多福巷" in _text(page)
    assert page.locator(f"a[href='/points/{world.p1.code}/edit/']").count() == 0
    response = page.goto(f"{base}/points/{world.p1.code}/edit/")
    assert response.status == 403  # in scope, so it exists for them; editing is refused


def test_auditor_reads_the_audit_log(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "auditor", password)
    page.goto(f"{base}/audit/")
    body = _text(page)
    assert "审计日志" in page.title()
    assert "auditor" in body  # the auditor's own login is recorded


def test_user_without_grant_sees_no_data(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "nobody", password)
    page.goto(f"{base}/points/")
    body = _text(page)
    assert "多福巷" not in body and "景山市场" not in body


def test_wrong_password_gives_a_clear_message(page, live_server, world) -> None:
    base = live_server.url
    log_in(page, base, "office", "not-the-password")
    assert "用户名或密码不正确" in page.inner_text("body")


def test_language_switch_to_english(page, live_server, world, password) -> None:
    base = live_server.url
    log_in(page, base, "office", password)
    page.click("form.langform button")
    page.wait_for_load_state("networkidle")
    assert "Overview" in page.inner_text("main")
    page.click("form.langform button")
    page.wait_for_load_state("networkidle")
    assert "总览" in page.inner_text("main")
