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


def test_audit_log_shows_before_and_after(world) -> None:
    from chuangcheng.core import audit
    from chuangcheng.core.models import AuditAction

    before = audit.snapshot(world.unit_s2)
    world.unit_s2.name = "景山街道办事处（新）"
    audit.record(
        world.office,
        AuditAction.UPDATE,
        world.unit_s2,
        before=before,
        after=audit.snapshot(world.unit_s2),
    )
    body = login(world.auditor).get("/audit/?action=update").content.decode()
    assert '<del class="muted">景山街道办事处</del> → 景山街道办事处（新）' in body
    assert "单位" in body  # the object type shown by its name, not its label
    assert "13812341234" not in body
