"""API tokens: issued on the account page, scoped like the pages, revocable."""

import datetime as dt
import re

from django.test import Client
from django.utils import timezone

from chuangcheng.accounts.models import ApiToken
from chuangcheng.core.models import AuditEntry
from tests.conftest import login


def _issue(client: Client) -> str:
    body = client.post("/accounts/me/", {"name": "报表系统"}).content.decode()
    match = re.search(r'id="new-token">(cc_[^<]+)<', body)
    assert match, "the new token is shown once"
    return match.group(1)


def test_token_sees_what_its_user_sees_and_dies_when_revoked(world) -> None:
    client = login(world.user_s1)
    raw = _issue(client)
    stored = ApiToken.objects.get(user=world.user_s1)
    assert raw not in (stored.digest, stored.prefix) and stored.prefix == raw[:8]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    listing = api.get("/api/v1/points")
    assert listing.status_code == 200
    assert [p["code"] for p in listing.json()["items"]] == [world.p1.code]
    assert api.get(f"/api/v1/points/{world.p2.code}").status_code == 404
    client.post(f"/accounts/me/tokens/{stored.pk}/revoke/")
    response = api.get("/api/v1/points")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"
    assert AuditEntry.objects.filter(object_type="accounts.apitoken").count() == 2


def test_nobody_can_revoke_another_users_token(world) -> None:
    raw = _issue(login(world.user_s1))
    stored = ApiToken.objects.get(user=world.user_s1)
    login(world.office).post(f"/accounts/me/tokens/{stored.pk}/revoke/")
    stored.refresh_from_db()
    assert stored.revoked_at is None
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/points").status_code == 200


def test_api_without_or_with_a_wrong_token_is_refused(world) -> None:
    assert Client().get("/api/v1/points").status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Bearer cc_not-a-token")
    assert wrong.get("/api/v1/regions").status_code == 401


def test_token_of_a_deactivated_user_is_refused(world) -> None:
    raw = _issue(login(world.user_s1))
    world.user_s1.is_active = False
    world.user_s1.save()
    assert Client(HTTP_AUTHORIZATION=f"Bearer {raw}").get("/api/v1/points").status_code == 401


def test_openapi_schema_is_published(client, db) -> None:  # db: the rate limiter counts
    schema = client.get("/api/v1/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/v1/points",
        "/api/v1/regions",
        "/api/v1/units",
        "/api/v1/users",
        "/api/v1/frameworks",
    } <= paths
    assert client.get("/api/v1/docs").status_code == 200


def test_password_older_than_ninety_days_must_change(world) -> None:
    world.office.password_changed_at = timezone.now() - dt.timedelta(days=91)
    world.office.save()
    assert login(world.office).get("/").headers["Location"] == "/accounts/password/"
    world.office.password_changed_at = timezone.now() - dt.timedelta(days=89)
    world.office.save()
    assert login(world.office).get("/").status_code == 200
