"""Pages: each has an allowed and a denied test with another unit's data present (404), and
the lists keep a constant number of queries as data grows."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chuangcheng.archives.domain.review import decide
from chuangcheng.archives.enums import AttachmentState, Decision
from chuangcheng.archives.models import Attachment, Material, MaterialVersion
from chuangcheng.core.models import AuditEntry
from tests.agenda.conftest import queries_before_and_after
from tests.archives import files
from tests.archives.conftest import Arch, file_for, pdf_upload
from tests.factories import PASSWORD


def login(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def filed(arch: Arch) -> Attachment:
    w = arch.world
    material = file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    return Attachment.objects.get(material=material)


def test_unit_sees_only_its_own_owed_materials(arch: Arch) -> None:
    w = arch.world
    body = login(w.user_s1).get("/archives/?year=2026").content.decode()
    assert "建立志愿服务台账" in body
    assert "制定年度工作方案" not in body  # 景山's clause
    office = login(w.office).get("/archives/?year=2026").content.decode()
    assert "制定年度工作方案" in office and "建立志愿服务台账" in office


def test_filters_and_bad_unit(arch: Arch, filed: Attachment) -> None:
    w = arch.world
    client = login(w.office)
    body = client.get("/archives/?year=2026&state=submitted").content.decode()
    assert body.count('class="ar-item ') == 1
    body = client.get("/archives/?year=2026&state=missing").content.decode()
    assert body.count('class="ar-item ') == 2
    assert login(w.user_s1).get(f"/archives/?unit={w.unit_s2.pk}").status_code == 404


def test_nobody_and_inspector_are_refused(arch: Arch) -> None:
    assert login(arch.world.nobody).get("/archives/").status_code == 403
    assert login(arch.world.inspector).get("/archives/").status_code == 403


def test_requirement_page_allowed_and_denied(arch: Arch, filed: Attachment) -> None:
    w = arch.world
    url = f"/archives/requirements/{filed.requirement_id}/"
    own = login(w.user_s1).get(url)
    assert own.status_code == 200
    assert "上传新材料" in own.content.decode()
    assert login(w.user_s2).get(url).status_code == 404
    assert login(w.user_line).get(url).status_code == 404
    office = login(w.office).get(url).content.decode()
    assert "退回并说明" in office and "上传新材料" not in office
    assert login(w.leader).get(url).status_code == 200


def test_upload_through_the_page(arch: Arch) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = arch.world
    req = arch.req(arch.ledger, w.unit_s1)
    client = login(w.user_s1)
    upload = pdf_upload()
    response = client.post(
        f"/archives/requirements/{req.pk}/file/",
        {
            "title": "志愿服务台账",
            "description": "一季度",
            "file": SimpleUploadedFile("台账.pdf", upload.data),
        },
    )
    assert response.status_code == 302
    assert Attachment.objects.get(requirement=req).state == AttachmentState.SUBMITTED
    bad = client.post(
        f"/archives/requirements/{req.pk}/file/",
        {"title": "加密", "file": SimpleUploadedFile("加密.pdf", files.encrypted_pdf())},
    )
    assert bad.status_code == 400
    assert "加密.pdf 是加密的 PDF" in bad.content.decode()
    assert Material.objects.count() == 1
    other = login(w.user_s2).post(
        f"/archives/requirements/{req.pk}/file/",
        {"title": "x", "file": SimpleUploadedFile("a.pdf", upload.data)},
    )
    assert other.status_code == 404


def test_decide_through_the_page(arch: Arch, filed: Attachment) -> None:
    w = arch.world
    url = f"/archives/attachments/{filed.pk}/decide/"
    assert login(w.user_s2).post(url, {"decision": "approve"}).status_code == 404
    assert login(w.user_s1).post(url, {"decision": "approve"}).status_code == 403
    empty = login(w.office).post(url, {"decision": "return", "comment": ""})
    assert empty.status_code == 400
    assert "退回时请写明" in empty.content.decode()
    ok = login(w.office).post(url, {"decision": "return", "comment": "缺照片"})
    assert ok.status_code == 302
    assert Attachment.objects.get(pk=filed.pk).state == AttachmentState.RETURNED


def test_download_is_permission_checked_and_audited(arch: Arch, filed: Attachment) -> None:
    w = arch.world
    version = MaterialVersion.objects.get(material=filed.material)
    url = f"/archives/files/{version.pk}/"
    response = login(w.user_s1).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Cache-Control"] == "private, no-store"
    assert login(w.user_s2).get(url).status_code == 404
    assert login(w.user_line).get(url).status_code == 404
    assert login(w.office).get(url).status_code == 200
    assert AuditEntry.objects.filter(note="archive file downloaded").count() == 2
    assert Client().get(url).status_code == 302  # to the login page


def test_material_page_and_new_version(arch: Arch, filed: Attachment) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    w = arch.world
    url = f"/archives/materials/{filed.material_id}/"
    assert login(w.user_s2).get(url).status_code == 404
    body = login(w.user_s1).get(url).content.decode()
    assert "台账.pdf" in body and "第 1 版" in body
    post = login(w.user_s1).post(
        f"{url}version/", {"file": SimpleUploadedFile("v2.pdf", pdf_upload().data), "note": "补充"}
    )
    assert post.status_code == 302
    assert login(w.user_s2).post(f"{url}version/", {}).status_code == 404
    assert filed.material.versions.count() == 2


def test_review_queue_page(arch: Arch, filed: Attachment) -> None:
    w = arch.world
    body = login(w.office).get("/archives/review/").content.decode()
    assert "志愿服务台账" in body and "等待区初审" in body
    assert login(w.user_s1).get("/archives/review/").status_code == 403
    assert login(w.office).get("/archives/review/?level=9").status_code == 404


def test_owed_list_queries_do_not_grow(arch: Arch) -> None:
    w = arch.world
    client = login(w.office)

    def grow() -> None:
        for unit in (w.unit_s2, w.unit_c1, w.line_sj):
            arch.ledger.partner_units.add(unit)
        from chuangcheng.archives.domain.requirements import sync_requirements

        sync_requirements(2026)
        file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))

    small, large, response = queries_before_and_after(client, "/archives/?year=2026", grow)
    assert small == large
    assert response.content.decode().count('class="ar-item ') == 6


def test_review_queue_queries_do_not_grow(arch: Arch, filed: Attachment) -> None:
    w = arch.world

    def grow() -> None:
        file_for(arch, w.user_s2, arch.req(arch.plan, w.unit_s2), title="方案")
        decide(
            actor=w.office,
            attachment=Attachment.objects.get(pk=filed.pk),
            decision=Decision.APPROVE,
        )

    small, large, _r = queries_before_and_after(login(w.office), "/archives/review/", grow)
    assert small == large
