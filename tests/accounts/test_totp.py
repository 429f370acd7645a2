"""TOTP second factor: enrolment at login, the code step, replay, lockout, profile."""

from __future__ import annotations

import pyotp
import pytest
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

from chuangcheng.accounts import mfa
from chuangcheng.accounts.models import SecondFactor, User
from chuangcheng.core.models import AuditAction, AuditEntry
from tests.conftest import login

pytestmark = pytest.mark.django_db

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
WRONG = "不正确或已被使用"


def _password_step(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


def _enrolled(user: User) -> SecondFactor:
    return SecondFactor.objects.create(user=user, secret=SECRET, confirmed_at=timezone.now())


def _logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_window_is_one_step_each_way_and_codes_run_forward() -> None:
    at = 1_800_000_000
    step = at // 30
    totp = pyotp.TOTP(SECRET)
    found = [
        mfa._matching_step(SECRET, totp.generate_otp(s), 0, at) for s in range(step - 2, step + 3)
    ]
    assert found == [None, step - 1, step, step + 1, None]
    assert mfa._matching_step(SECRET, totp.generate_otp(step), step, at) is None
    assert mfa._matching_step(SECRET, totp.generate_otp(step + 1), step, at) == step + 1
    assert mfa._matching_step(SECRET, "12345", 0, at) is None


def test_required_role_enrols_at_first_login(world, password) -> None:
    client = Client()
    resp = _password_step(client, "auditor", password)
    assert resp.headers["Location"] == "/accounts/login/enrol/"
    assert not _logged_in(client)
    assert client.get("/audit/").status_code == 302  # to the login page: not logged in
    page = client.get("/accounts/login/enrol/")
    factor = SecondFactor.objects.get(user=world.auditor)
    assert factor.confirmed_at is None
    assert mfa.grouped_secret(factor) in page.content.decode()
    qr = client.get("/accounts/2fa/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert qr["Cache-Control"].startswith("no-store")
    wrong = client.post("/accounts/login/enrol/", {"code": "000000"})
    assert wrong.status_code == 200 and WRONG in wrong.content.decode()
    assert User.objects.get(pk=world.auditor.pk).failed_logins == 1
    assert (
        AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, outcome="bad_otp").count() == 1
    )
    ok = client.post("/accounts/login/enrol/", {"code": pyotp.TOTP(factor.secret).now()})
    assert ok.status_code == 302 and ok.headers["Location"] == "/"
    assert _logged_in(client)
    factor.refresh_from_db()
    assert factor.confirmed_at is not None and factor.last_step > 0
    assert User.objects.get(pk=world.auditor.pk).failed_logins == 0
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor_name="auditor").count() == 1
    assert client.get("/audit/").status_code == 200


def test_secret_is_encrypted_at_rest(world) -> None:
    _enrolled(world.auditor)
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM accounts_secondfactor")
        (raw,) = cursor.fetchone()
    assert raw.startswith("gAAAA") and SECRET not in raw


def test_code_step_and_a_code_is_used_once(world, password) -> None:
    _enrolled(world.auditor)
    client = Client()
    resp = _password_step(client, "auditor", password)
    assert resp.headers["Location"] == "/accounts/login/code/"
    code = pyotp.TOTP(SECRET).now()
    assert client.post("/accounts/login/code/", {"code": code}).status_code == 302
    assert _logged_in(client)
    other = Client()
    _password_step(other, "auditor", password)
    replay = other.post("/accounts/login/code/", {"code": code})
    assert replay.status_code == 200 and WRONG in replay.content.decode()
    assert not _logged_in(other)
    assert User.objects.get(pk=world.auditor.pk).failed_logins == 1


def test_five_wrong_codes_lock_the_account(world, password) -> None:
    _enrolled(world.auditor)
    client = Client()
    _password_step(client, "auditor", password)
    for _ in range(3):
        client.post("/accounts/login/code/", {"code": "000000"})
    # A right password again does not wipe the count of wrong codes.
    _password_step(client, "auditor", password)
    assert User.objects.get(pk=world.auditor.pk).failed_logins == 3
    client.post("/accounts/login/code/", {"code": "000000"})
    last = client.post("/accounts/login/code/", {"code": "000000"})
    assert "锁定" in last.content.decode()
    user = User.objects.get(pk=world.auditor.pk)
    assert user.locked_until is not None
    minutes = (user.locked_until - timezone.now()).total_seconds() / 60
    assert 29 < minutes <= 30
    assert AuditEntry.objects.filter(outcome="bad_otp").count() == 4
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED).count() == 1
    # The pending login is gone, and the password step refuses while locked.
    assert (
        client.post("/accounts/login/code/", {"code": pyotp.TOTP(SECRET).now()}).status_code == 302
    )
    assert not _logged_in(client)
    again = _password_step(client, "auditor", password)
    assert again.status_code == 200 and "锁定" in again.content.decode()


def test_roles_without_the_requirement_log_in_with_a_password(world, password) -> None:
    client = Client()
    resp = _password_step(client, "office", password)
    assert resp.headers["Location"] == "/" and _logged_in(client)
    assert not SecondFactor.objects.exists()


@override_settings(MFA_REQUIRED_ROLES=())
def test_setting_decides_which_roles_need_it(world, password) -> None:
    client = Client()
    assert _password_step(client, "auditor", password).headers["Location"] == "/"
    assert _logged_in(client)


def test_voluntary_enrolment_on_the_profile_and_turning_it_off(world, password) -> None:
    client = login(world.office)
    profile = client.get("/accounts/me/").content.decode()
    assert "/accounts/me/2fa/" in profile
    page = client.get("/accounts/me/2fa/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert client.get("/accounts/2fa/qr.svg").status_code == 200
    factor = SecondFactor.objects.get(user=world.office)
    assert client.post("/accounts/me/2fa/", {"code": "000000"}).status_code == 200
    assert (
        client.post("/accounts/me/2fa/", {"code": pyotp.TOTP(factor.secret).now()}).status_code
        == 302
    )
    assert mfa.confirmed(world.office) is not None
    fresh = Client()
    assert _password_step(fresh, "office", password).headers["Location"] == "/accounts/login/code/"
    factor.refresh_from_db()
    next_code = pyotp.TOTP(factor.secret).generate_otp(factor.last_step + 1)
    assert client.post("/accounts/me/2fa/off/", {"code": next_code}).status_code == 302
    assert not SecondFactor.objects.filter(user=world.office).exists()
    entries = AuditEntry.objects.filter(note="TOTP", object_id=str(world.office.pk))
    assert [e.after for e in entries.order_by("id")] == [
        {"second_factor": True},
        {"second_factor": False},
    ]


def test_required_second_factor_cannot_be_turned_off(world) -> None:
    _enrolled(world.auditor)
    client = login(world.auditor)
    client.post("/accounts/me/2fa/off/", {"code": pyotp.TOTP(SECRET).now()})
    assert SecondFactor.objects.filter(user=world.auditor).exists()


def test_qr_is_not_served_without_a_pending_enrolment(world) -> None:
    assert Client().get("/accounts/2fa/qr.svg").status_code == 404
    assert login(world.office).get("/accounts/2fa/qr.svg").status_code == 404
