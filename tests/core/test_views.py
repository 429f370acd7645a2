import pytest

from tests.conftest import login


@pytest.mark.django_db
def test_healthz_reports_database(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["status"] == "ok"


def test_audit_log_only_for_auditors(world) -> None:
    assert login(world.auditor).get("/audit/").status_code == 200
    assert login(world.office).get("/audit/").status_code == 404
    assert login(world.user_s1).get("/audit/").status_code == 404


def test_pages_need_login(client, world) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
