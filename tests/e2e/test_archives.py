"""档案管理 in the browser (issue 7's done criterion): a unit uploads a material on a phone, the
district's first review returns it with a comment, the unit resubmits a corrected file, both
levels approve on the desktop, and the completeness matrix shows it approved; another unit can
neither see nor download it (404)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chuangcheng.archives.enums import AttachmentState
from chuangcheng.archives.models import Attachment, MaterialVersion
from chuangcheng.archives.samples import sample_pdf
from tests.archives.conftest import build_arch
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def pdf(name: str, *lines: str) -> dict[str, Any]:
    return {
        "name": name,
        "mimeType": "application/pdf",
        "buffer": sample_pdf("志愿服务台账", lines),
    }


@pytest.fixture
def private_root(settings: Any, tmp_path: Path) -> Path:
    root = tmp_path / "archives"
    settings.STORAGES = {
        **settings.STORAGES,
        "archives": {
            "BACKEND": "chuangcheng.archives.storage.PrivateStorage",
            "OPTIONS": {"location": str(root)},
        },
    }
    return root


def test_upload_return_resubmit_approve_twice_and_matrix(
    phone: Any,
    page: Any,
    browser: Any,
    live_server: Any,
    world: Any,
    password: str,
    private_root: Path,
) -> None:
    arch = build_arch(world)
    req = arch.req(arch.ledger, world.unit_s1)
    base = live_server.url

    # The unit files the material on a phone.
    log_in(phone, base, "unit_s1", password)
    phone.goto(f"{base}/archives/?year=2026")
    assert fits(phone)
    shot(phone, "archives-owed-375")
    assert phone.locator("a.ar-item").count() == 1  # only its own clause
    phone.click("a.ar-item")
    phone.fill("#id_title", "志愿服务台账")
    phone.fill("#id_description", "第一季度")
    phone.set_input_files("#id_file", pdf("台账.pdf", "第一季度活动记录"))
    phone.click("text=上传并报送")
    phone.wait_for_load_state("networkidle")
    assert "已上传并报送审核。" in phone.inner_text(".messages")
    assert fits(phone)
    shot(phone, "archives-filed-375")
    attachment = Attachment.objects.get(requirement=req)

    # 区初审 returns it with a comment.
    log_in(page, base, "office", password)
    page.goto(f"{base}/archives/review/")
    page.click("a.ar-item:has-text('志愿服务台账')")
    page.fill(f"#c-{attachment.pk}", "缺少活动照片，请补充后重新报送")
    page.click(f"#att-{attachment.pk} button[value=return]")
    page.wait_for_load_state("networkidle")
    assert "已退回单位。" in page.inner_text(".messages")
    attachment.refresh_from_db()
    assert attachment.state == AttachmentState.RETURNED

    # The unit sees the comment (and a notification) and uploads a corrected file.
    phone.goto(f"{base}/archives/requirements/{req.pk}/")
    assert "缺少活动照片，请补充后重新报送" in phone.inner_text(f"#att-{attachment.pk}")
    assert phone.inner_text(".bell-count").strip() == "1"
    phone.set_input_files(
        f"#v-file-{attachment.pk}",
        pdf("台账（补充照片）.pdf", "第一季度活动记录", "活动照片 12 张"),
    )
    phone.fill(f"#v-note-{attachment.pk}", "补充照片")
    phone.click(f"#att-{attachment.pk} form.ar-form button.btn-primary")
    phone.wait_for_load_state("networkidle")
    assert "新版本已上传并重新报送审核。" in phone.inner_text(".messages")
    assert fits(phone)
    shot(phone, "archives-resubmitted-375")
    attachment.refresh_from_db()
    assert (attachment.state, attachment.level, attachment.version.number) == (
        AttachmentState.SUBMITTED,
        1,
        2,
    )

    # 区初审 approves version 2; 市复审 (a second reviewer) approves it for good.
    page.goto(f"{base}/archives/requirements/{req.pk}/")
    page.click(f"#att-{attachment.pk} button[value=approve]")
    page.wait_for_load_state("networkidle")
    assert "已通过区初审，等待市复审" in page.inner_text(f"#att-{attachment.pk}")
    second = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    reviewer = second.new_page()
    log_in(reviewer, base, "office2", password)
    reviewer.goto(f"{base}/archives/review/?level=2")
    reviewer.click("a.ar-item:has-text('志愿服务台账')")
    reviewer.click(f"#att-{attachment.pk} button[value=approve]")
    reviewer.wait_for_load_state("networkidle")
    history = reviewer.inner_text(f"#att-{attachment.pk} .ar-history")
    assert history.count("通过") == 2 and "退回" in history
    shot(reviewer, "archives-approved")
    second.close()
    attachment.refresh_from_db()
    assert attachment.state == AttachmentState.APPROVED

    # The matrix shows the clause approved for the unit.
    page.goto(f"{base}/archives/matrix/?year=2026")
    cell = page.locator(f"td.ar-cell a[href='/archives/requirements/{req.pk}/']")
    assert cell.inner_text().startswith("✓")
    assert "ar-c-approved" in (cell.locator("..").get_attribute("class") or "")
    assert "应报 3 项，已通过 1 项（33.3%）" in page.inner_text(".pagehead")
    shot(page, "archives-matrix")

    # Another unit sees nothing of it.
    other = browser.new_context(
        locale="zh-CN", viewport={"width": 375, "height": 812}, is_mobile=True
    )
    jingshan = other.new_page()
    log_in(jingshan, base, "unit_s2", password)
    version = MaterialVersion.objects.filter(material=attachment.material).order_by("number").last()
    assert version is not None
    assert jingshan.goto(f"{base}/archives/requirements/{req.pk}/").status == 404
    assert jingshan.goto(f"{base}/archives/files/{version.pk}/").status == 404
    assert jingshan.goto(f"{base}/archives/materials/{attachment.material_id}/").status == 404
    jingshan.goto(f"{base}/archives/materials/?q=志愿服务台账")
    assert "志愿服务台账" not in jingshan.inner_text(".ar-list")
    other.close()
    # The unit itself downloads its file.
    assert phone.goto(f"{base}/archives/requirements/{req.pk}/").status == 200
    response = phone.request.get(f"{base}/archives/files/{version.pk}/")
    assert response.status == 200 and response.body().startswith(b"%PDF-")
