"""The users API: office only, scoped, masked phones; /me for everyone."""

from __future__ import annotations

import pytest

from chuangcheng.accounts.enums import Role
from tests.conftest import login
from tests.factories import UserFactory, grant


def test_list_users_office(world) -> None:
    resp = login(world.office).get("/api/v1/users", {"role": "unit"})
    assert resp.status_code == 200
    data = resp.json()
    assert data["count"] == 3
    assert [u["username"] for u in data["items"]] == ["unit_line", "unit_s1", "unit_s2"]
    assert data["items"][1]["phone_masked"] == "137****5678"
    assert data["items"][1]["grants"][0]["unit"] == "S001"
    assert "13712345678" not in resp.content.decode()


def test_list_users_denied_to_unit(world) -> None:
    assert login(world.user_s1).get("/api/v1/users").status_code == 403
    assert login(world.user_s1).get(f"/api/v1/users/{world.user_s2.pk}").status_code == 403


def test_user_detail_scoped(world) -> None:
    office_s1 = UserFactory(username="office_s1")
    grant(office_s1, Role.OFFICE, region=world.s1)
    client = login(office_s1)
    assert client.get(f"/api/v1/users/{world.user_s1.pk}").status_code == 200
    resp = client.get(f"/api/v1/users/{world.user_s2.pk}")
    assert resp.status_code == 404
    assert resp.json()["code"] == "not_found"


def test_me_for_anyone(world) -> None:
    resp = login(world.user_s1).get("/api/v1/users/me")
    assert resp.status_code == 200
    data = resp.json()
    assert (data["username"], data["phone_masked"]) == ("unit_s1", "137****5678")
    assert [(g["role"], g["unit"]) for g in data["grants"]] == [("unit", "S001")]
    assert login(world.nobody).get("/api/v1/users/me").json()["grants"] == []


def test_anonymous_refused() -> None:
    from django.test import Client

    assert Client().get("/api/v1/users/me").status_code == 401


@pytest.mark.parametrize("extra", [0, 20])
def test_list_users_constant_queries(world, django_assert_num_queries, extra) -> None:
    for _i in range(extra):
        grant(UserFactory(), Role.UNIT, unit=world.unit_s2)
    client = login(world.office)
    with django_assert_num_queries(9):
        client.get("/api/v1/users")
