"""/api/v1/archives/: owed materials with states, one with its history, search, a decision;
404 outside scope, 403 without the right."""

from __future__ import annotations

from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment
from tests.archives.conftest import Arch, file_for
from tests.archives.test_pages import login


def test_requirements_scoped_with_state(arch: Arch) -> None:
    w = arch.world
    file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    rows = login(w.user_s1).get("/api/v1/archives/requirements?year=2026").json()
    assert [(r["clause_number"], r["unit"]["code"], r["state"], r["due_date"]) for r in rows] == [
        ("1.", "S001", "submitted", "2026-03-31")
    ]
    office = login(w.office).get("/api/v1/archives/requirements?year=2026&state=missing").json()
    assert sorted(r["unit"]["code"] for r in office) == ["L001", "S002"]
    assert login(w.office).get("/api/v1/archives/requirements?state=bad").status_code == 422
    assert login(w.nobody).get("/api/v1/archives/requirements").status_code == 403


def test_detail_decision_and_scope(arch: Arch) -> None:
    w = arch.world
    req = arch.req(arch.ledger, w.unit_s1)
    a = Attachment.objects.get(material=file_for(arch, w.user_s1, req))
    assert login(w.user_s2).get(f"/api/v1/archives/requirements/{req.pk}").status_code == 404
    url = f"/api/v1/archives/attachments/{a.pk}/decision"
    assert (
        login(w.user_s2)
        .post(url, {"decision": "approve"}, content_type="application/json")
        .status_code
        == 404
    )
    assert (
        login(w.user_s1)
        .post(url, {"decision": "approve"}, content_type="application/json")
        .status_code
        == 403
    )
    bad = login(w.office).post(url, {"decision": "return"}, content_type="application/json")
    assert bad.status_code == 422
    ok = login(w.office).post(
        url, {"decision": "return", "comment": "缺页"}, content_type="application/json"
    )
    assert ok.status_code == 200
    body = ok.json()
    assert body["state"] == "returned"
    filed = body["attachments"][0]
    assert (filed["state"], filed["status"], filed["reviews"][0]["comment"]) == (
        "returned",
        "区初审退回",
        "缺页",
    )
    assert filed["download_url"] == f"/archives/files/{a.version_id}/"
    assert Attachment.objects.get(pk=a.pk).state == AttachmentState.RETURNED


def test_search(arch: Arch) -> None:
    w = arch.world
    file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    hits = login(w.office).get("/api/v1/archives/materials/search?q=志愿服务台账").json()
    assert [h["title"] for h in hits] == ["志愿服务台账"]
    assert "<mark>志愿服务台账</mark>" in hits[0]["snippet"]
    assert login(w.user_s2).get("/api/v1/archives/materials/search?q=台账").json() == []
