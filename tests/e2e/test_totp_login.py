"""An administrator logs in with a TOTP code: enrolment at first login, then the code step."""

from __future__ import annotations

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import SecondFactor
from tests.e2e.conftest import SHOTS, enter_totp, fits, shot, totp_code
from tests.factories import UserFactory, grant


def _password_step(pg, base: str, username: str, password: str) -> None:
    pg.goto(f"{base}/accounts/login/")
    pg.fill("#id_username", username)
    pg.fill("#id_password", password)
    pg.click("button[type=submit]")
    pg.wait_for_load_state("networkidle")


def test_admin_enrols_and_logs_in_with_totp_on_a_phone(phone, live_server, world, password):
    admin = UserFactory(username="secadmin", display_name="安全管理员")
    grant(admin, Role.SECADMIN, region=world.district)
    base = live_server.url
    _password_step(phone, base, "secadmin", password)
    assert phone.url == f"{base}/accounts/login/enrol/"
    assert phone.evaluate("document.querySelector('.mfa-qr').naturalWidth") > 0
    secret = SecondFactor.objects.get(user=admin).secret
    assert phone.inner_text("#mfa-secret").replace(" ", "") == secret
    assert fits(phone)
    shot(phone, "auth-enrol-375")
    phone.fill("#id_code", "000000")
    phone.click("button[type=submit]")
    phone.wait_for_load_state("networkidle")
    assert "动态码不正确或已被使用" in phone.inner_text("body")
    enter_totp(phone, "secadmin")
    assert phone.url == f"{base}/"
    phone.context.clear_cookies()
    _password_step(phone, base, "secadmin", password)
    assert phone.url == f"{base}/accounts/login/code/"
    assert fits(phone)
    shot(phone, "auth-code-375")
    enter_totp(phone, "secadmin")
    assert phone.url == f"{base}/"
    phone.goto(f"{base}/accounts/me/")
    section = phone.inner_text("#two-step")
    assert "已开启" in section and "不能关闭" in section
    assert fits(phone)
    phone.locator("#two-step").screenshot(path=str(SHOTS / "auth-profile-375.png"))


def test_profile_two_step_section_and_code_step_on_a_desktop(page, live_server, world, password):
    base = live_server.url
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    page.goto(f"{base}/accounts/me/")
    assert "未开启" in page.inner_text("#two-step")
    page.click("#two-step a.btn")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.querySelector('.mfa-qr').naturalWidth") > 0
    assert page.url == f"{base}/accounts/me/2fa/"
    shot(page, "auth-setup-desktop")
    page.fill("#id_code", totp_code("office"))
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/accounts/me/"
    assert "已开启" in page.inner_text("#two-step")
    shot(page, "auth-profile-desktop")
    page.context.clear_cookies()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", "office")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/accounts/login/code/"
    shot(page, "auth-code-desktop")
    enter_totp(page, "office")
    assert page.url == f"{base}/"
