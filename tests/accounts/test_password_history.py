"""Password history: the current password and the four before it cannot be chosen again."""

from __future__ import annotations

import pytest
from django.test import Client

from chuangcheng.accounts import domain
from chuangcheng.accounts.models import PasswordHistory, User
from tests.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REUSED = "该密码近期已使用过。新密码不能与最近 5 次使用的密码相同。"
NEW = [f"Civil#City{n}x" for n in range(1, 7)]


def _change(client: Client, old: str, new: str):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


def test_last_five_passwords_are_refused_and_the_sixth_oldest_is_allowed(password) -> None:
    user = UserFactory(username="clerk")
    client = login(user)
    same = _change(client, password, password)
    assert same.status_code == 200 and REUSED in same.content.decode()
    old = password
    for new in NEW[:5]:
        assert _change(client, old, new).status_code == 302
        old = new
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # Current NEW[4] and the four before it (NEW[0..3]) are refused, with nothing written.
    for reused in NEW[:5]:
        resp = _change(client, NEW[4], reused)
        assert resp.status_code == 200 and REUSED in resp.content.decode(), reused
    assert User.objects.get(pk=user.pk).check_password(NEW[4])
    # The factory's password is now the sixth-oldest: it may be used again.
    assert _change(client, NEW[4], password).status_code == 302
    # And NEW[0] dropped out of the five kept with it.
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert _change(client, password, NEW[0]).status_code == 302
    # Kept now: NEW[0], the factory's, NEW[4], NEW[3], NEW[2]; NEW[1] is free again.
    assert _change(client, NEW[0], NEW[2]).status_code == 200
    assert _change(client, NEW[0], NEW[1]).status_code == 302


def test_reset_and_create_write_the_history(world) -> None:
    user, _generated = domain.create_user(
        actor=domain.SystemActor(), username="newbie", display_name="新人", password=NEW[0]
    )
    assert PasswordHistory.objects.filter(user=user).count() == 1
    domain.reset_password(actor=domain.SystemActor(), user=user, password=NEW[1])
    assert PasswordHistory.objects.filter(user=user).count() == 2
    with pytest.raises(domain.AccountsError, match="最近 5 次"):
        domain.reset_password(actor=domain.SystemActor(), user=user, password=NEW[0])
    assert User.objects.get(pk=user.pk).check_password(NEW[1])


def test_history_keeps_only_five_rows(world) -> None:
    user = world.user_s1
    for n in range(7):
        domain.reset_password(actor=domain.SystemActor(), user=user, password=f"Reset#{n}Pass")
    kept = PasswordHistory.objects.filter(user=user)
    assert kept.count() == 5
    assert User.objects.get(pk=user.pk).password == kept.first().password
