import datetime as dt

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from chuangcheng.core.models import AuditEntry
from tests.factories import UserFactory


def _post(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_five_failures_lock_the_account_for_thirty_minutes(password) -> None:
    user = UserFactory(username="clerk")
    client = Client()
    for _ in range(5):
        assert _post(client, "clerk", "wrong").status_code == 200
    user.refresh_from_db()
    assert user.locked_until is not None
    minutes = (user.locked_until - timezone.now()).total_seconds() / 60
    assert 29 < minutes <= 30
    response = _post(client, "clerk", password)
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert AuditEntry.objects.filter(action="locked", object_id=str(user.pk)).count() == 1
    user.locked_until = timezone.now() - dt.timedelta(seconds=1)
    user.save()
    assert _post(client, "clerk", password).status_code == 302


@pytest.mark.django_db
def test_first_login_forces_password_change(password) -> None:
    UserFactory(username="newbie", must_change_password=True)
    client = Client()
    assert _post(client, "newbie", password).status_code == 302
    assert client.get("/").headers["Location"] == "/accounts/password/"
    weak = client.post(
        "/accounts/password/",
        {"old_password": password, "new_password1": "abcdefgh", "new_password2": "abcdefgh"},
    )
    assert weak.status_code == 200 and "三种" in weak.content.decode()
    ok = client.post(
        "/accounts/password/",
        {
            "old_password": password,
            "new_password1": "Civil#City2027",
            "new_password2": "Civil#City2027",
        },
    )
    assert ok.status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
@override_settings(SESSION_IDLE_MINUTES=1)
def test_idle_session_is_logged_out() -> None:
    user = UserFactory()
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200
    session = client.session
    session["cc_last_seen"] = session["cc_last_seen"] - 120
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "idle=1" in response["Location"]
