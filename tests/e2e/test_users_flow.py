"""The office creates an account and grants it a unit; the person logs in the first time."""

from __future__ import annotations

import pytest

from chuangcheng.accounts.models import User
from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

INITIAL = "Dhm#2024start"
CHOSEN = "Dhm#2024mine!"


def test_office_creates_user_with_unit_grant_who_changes_password_and_sees_s1(
    page, live_server, world, password
):
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/accounts/users/new/")
    page.fill("#id_username", "dhm_new")
    page.fill("#id_display_name", "东华门新联络员")
    page.fill("#id_password", INITIAL)
    page.select_option("#id_role", "unit")
    page.select_option("#id_unit", world.unit_c1.code)  # first grant: the community's unit
    page.click("main form button.btn-primary")
    page.wait_for_load_state("networkidle")
    user = User.objects.get(username="dhm_new")
    assert user.must_change_password
    assert "账号已创建。" in page.inner_text("body")
    assert page.inner_text("main h1").strip() == "东华门新联络员"

    # A second grant: the street's unit 东华门街道办事处.
    page.goto(f"{base}/accounts/users/{user.pk}/")
    page.select_option("form[action$='/grants/'] select[name=role]", "unit")
    page.select_option("form[action$='/grants/'] select[name=unit]", world.unit_s1.code)
    page.click("form[action$='/grants/'] button.btn-primary")
    page.wait_for_url(f"{base}/accounts/users/{user.pk}/")
    assert "授权已添加。" in page.inner_text("body")
    scopes = [
        t.split(" ")[0].strip()
        for t in page.locator("main table.data tbody td:nth-child(2)").all_inner_texts()
    ]
    assert sorted(scopes) == sorted(["多福巷社区居委会", "东华门街道办事处"])
    assert sorted(user.grants.values_list("unit__code", flat=True)) == ["C001", "S001"]
    shot(page, "e2e-user-granted")

    # The person logs in: the password must be changed before anything else.
    page.context.clear_cookies()
    log_in(page, base, "dhm_new", INITIAL)
    assert page.url == f"{base}/accounts/password/"
    assert "请先设置您自己的密码再继续。" in page.inner_text("main")
    page.goto(f"{base}/points/")
    assert page.url == f"{base}/accounts/password/"
    page.fill("#id_old_password", INITIAL)
    page.fill("#id_new_password1", CHOSEN)
    page.fill("#id_new_password2", CHOSEN)
    page.click("main form button.btn-primary")
    page.wait_for_url(f"{base}/")
    assert "密码已修改。" in page.inner_text("body")
    user.refresh_from_db()
    assert not user.must_change_password

    page.goto(f"{base}/points/")
    body = page.inner_text("main")
    assert "多福巷" in body and "景山市场" not in body
    assert page.goto(f"{base}/points/{world.p2.code}/").status == 404
    shot(page, "e2e-new-user-points")
