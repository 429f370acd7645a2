"""The practice network in the browser: a street office registers a volunteer on a phone (375 px)
and finds them in the list with ID number and phone masked; the office reads the network and
the figures on the desktop (1366 px); another district's station answers 404."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.practice.models import Volunteer
from tests.e2e.conftest import fits, log_in, shot
from tests.practice import conftest as practice_fixtures
from tests.practice.conftest import PracticeWorld
from tests.practice.figures_data import build_month

pytestmark = pytest.mark.django_db(transaction=True)
pw = practice_fixtures.pw  # the practice network fixture, for this module's tests

ID_A = "110101199003076632"


def test_register_a_volunteer_on_a_phone_and_see_them_masked(
    phone: Any, live_server: Any, pw: PracticeWorld, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, "unit_s1", password)
    phone.goto(f"{base}/practice/")
    assert fits(phone)
    phone.click("text=志愿者注册")
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    phone.fill("#id_name", "张晓明")
    phone.fill("#id_id_number", "110101199003076633")  # a wrong check character first
    phone.fill("#id_phone", "13800138000")
    phone.select_option("#id_region", str(pw.world.c1.pk))
    phone.click("label:has-text('助餐')")
    phone.click("label:has-text('周末上午')")
    phone.click("label:has-text('多福巷小队')")
    shot(phone, "practice-volunteer-new-375")
    phone.click("button:has-text('保存')")
    phone.wait_for_load_state("networkidle")
    assert "身份证号校验位不正确" in phone.inner_text(".errors")
    assert not Volunteer.objects.filter(name="张晓明").exists()
    phone.fill("#id_id_number", ID_A)
    phone.fill("#id_phone", "13800138000")  # phone fields are not sent back in clear
    phone.click("button:has-text('保存')")
    phone.wait_for_load_state("networkidle")
    assert "志愿者 张晓明 已注册。" in phone.inner_text(".messages")
    assert phone.inner_text("#v-id") == "110101********6632"
    assert phone.inner_text("#v-phone") == "138****8000"
    assert fits(phone)
    shot(phone, "practice-volunteer-detail-375")
    phone.goto(f"{base}/practice/volunteers/?q=张晓明")
    row = phone.inner_text("table.pn-volunteers tbody")
    assert "138****8000" in row and "13800138000" not in row and ID_A not in phone.content()
    assert fits(phone)
    shot(phone, "practice-volunteers-375")
    v = Volunteer.objects.get(name="张晓明")
    assert (v.region, [t.name for t in v.teams.all()]) == (pw.world.c1, ["多福巷小队"])


def test_the_office_reads_the_network_and_the_figures_on_the_desktop(
    page: Any, phone: Any, live_server: Any, pw: PracticeWorld, password: str
) -> None:
    build_month(pw)
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/practice/")
    assert page.locator(".pn-node .pn-name").first.inner_text() == "东城区新时代文明实践中心"
    assert "西长安街" not in page.content()
    shot(page, "practice-network-1366")
    page.goto(f"{base}/practice/figures/?period=2026-05")
    assert page.inner_text("#pf-orders") == "8"
    assert page.inner_text("#pf-fulfil") == "57.1%"
    assert page.inner_text("#pf-sat") == "66.7%"
    shot(page, "practice-figures-1366")
    assert page.goto(f"{base}/practice/sites/{pw.other_station.pk}/").status == 404
    log_in(phone, base, "office", password)
    paths = ("/practice/figures/?period=2026-05", "/practice/sites/", "/practice/teams/")
    for path in (*paths, "/practice/households/"):
        phone.goto(f"{base}{path}")
        assert fits(phone), path
    shot(phone, "practice-figures-375")
