"""随手拍 in the browser: a supervisor on a 375 px phone with a fake position reports with a
photo; a resident follows their own report only; the office approves the photo and its public
copy is served. Screenshots of every page at 375 px and on the desktop."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, Photo
from tests.cases.report_images import FACE_JPEG, jpeg
from tests.cases.report_world import People, people_fixture  # noqa: F401
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)

# Inside 多福巷社区 (see tests/cases/report_world.py).
HERE = {"longitude": 116.4071, "latitude": 39.9262}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def gps_phone(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def start_report(page: Any, base: str, password: str, files: list[dict[str, Any]]) -> None:
    """The supervisor opens the form, waits for the fake position and picks ``files``."""
    log_in(page, base, "supervisor", password)
    page.goto(f"{base}/report/")
    page.wait_for_function("document.getElementById('id_lng').value !== ''")
    page.set_input_files("#id_photos", files=files)


def test_supervisor_reports_resident_follows_office_moderates(
    gps_phone, phone, page, live_server, world, people: People, categories, password
) -> None:
    base = live_server.url

    # 1. The supervisor reports with a photo; the phone's position fills itself in.
    log_in(gps_phone, base, "supervisor", password)
    gps_phone.goto(f"{base}/report/")
    gps_phone.wait_for_function("document.getElementById('id_lng').value !== ''")
    assert gps_phone.input_value("#id_lng") == "116.407100"
    assert gps_phone.input_value("#id_lat") == "39.926200"
    assert "已定位" in gps_phone.inner_text("#locate-status")
    gps_phone.set_input_files(
        "#id_photos",
        files=[{"name": "face.jpg", "mimeType": "image/jpeg", "buffer": FACE_JPEG.read_bytes()}],
    )
    assert gps_phone.locator("#photo-previews .rp-new").count() == 1
    gps_phone.fill("#id_description", "多福巷口垃圾堆放很久了")
    gps_phone.wait_for_function(
        f"document.getElementById('id_category').value === '{categories['S0101'].pk}'"
    )
    assert "根据描述推荐：暴露垃圾" in gps_phone.inner_text("#suggestion")
    gps_phone.check("#id_notice")
    assert fits(gps_phone)
    shot(gps_phone, "report-phone-form")
    gps_phone.click("#report-submit")
    gps_phone.wait_for_url(f"{base}/report/done/**")
    case = Case.objects.get(source=CaseSource.SUPERVISOR)
    assert gps_phone.inner_text("#case-number") == case.number
    assert fits(gps_phone)
    shot(gps_phone, "report-phone-done")
    assert case.status == CaseStatus.REPORTED and case.region == world.c1
    assert case.suggested_category == categories["S0101"]
    assert case.category == categories["S0101"]  # the suggestion was accepted as typed
    photo = Photo.objects.get(case=case)
    assert photo.public_image and photo.faces_blurred >= 1  # made after commit
    # The draft is gone once the report is in.
    gps_phone.goto(f"{base}/report/")
    assert gps_phone.input_value("#id_description") == ""

    # 2. A resident scans the point's QR code and reports; they see only their own reports.
    log_in(phone, base, "resident", password)
    phone.goto(f"{base}/report/?point=P00001")
    assert "多福巷" in phone.inner_text("#point-box")
    phone.fill("#id_description", "多福巷路灯不亮")
    phone.set_input_files(
        "#id_photos", files=[{"name": "lamp.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    phone.check("#id_notice")
    phone.click("#report-submit")
    phone.wait_for_url(f"{base}/report/done/**")
    mine = Case.objects.get(source=CaseSource.RESIDENT)
    phone.goto(f"{base}/report/mine/")
    body = phone.inner_text("main")
    assert mine.number in body and case.number not in body
    assert "已收到，等待受理" in body
    assert fits(phone)
    shot(phone, "report-phone-mine")
    phone.click(f"a[href='/report/mine/{mine.number}/']")
    assert phone.inner_text("#plain-status") == "已收到，等待受理"
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    shot(phone, "report-phone-mine-detail")
    response = phone.goto(f"{base}/report/mine/{case.number}/")
    assert response.status == 404

    # 3. The office approves the supervisor's photo; its public copy is served to anyone.
    log_in(page, base, "office", password)
    page.goto(f"{base}/moderation/")
    page.wait_for_load_state("networkidle")
    assert page.locator(f"#photo-{photo.pk} img.md-public").count() == 1
    shot(page, "report-desktop-moderation")
    # The moderation page shows originals beside public copies; on a loaded machine its reload
    # after the decision can take longer than the default wait.
    with page.expect_navigation(url=f"{base}/moderation/", timeout=45_000):
        page.click(f"#photo-{photo.pk} button[value=approve]")
    assert "照片已同意公开。" in page.inner_text(".messages")
    photo.refresh_from_db()
    assert photo.moderation == "approved"
    anonymous = page.context.browser.new_context()
    public = anonymous.request.get(f"{base}/photos/{photo.pk}/public/")
    assert public.status == 200 and public.headers["content-type"] == "image/jpeg"
    assert b"Exif" not in public.body()
    original = anonymous.request.get(f"{base}/photos/{photo.pk}/", max_redirects=0)
    assert original.status == 302 and "/accounts/login/" in original.headers["location"]
    anonymous.close()


def test_a_draft_survives_a_lost_connection(
    gps_phone, live_server, world, people, categories, password
) -> None:
    base = live_server.url
    start_report(
        gps_phone, base, password, [{"name": "a.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}]
    )
    gps_phone.fill("#id_description", "南河沿共享单车乱停")
    gps_phone.check("#id_notice")
    gps_phone.context.set_offline(True)
    gps_phone.click("#report-submit")
    assert "网络未连接" in gps_phone.inner_text("#draft-status")
    assert Case.objects.count() == 0
    gps_phone.context.set_offline(False)
    gps_phone.goto(f"{base}/report/")
    gps_phone.wait_for_function("document.querySelectorAll('#photo-previews .rp-new').length === 1")
    assert gps_phone.input_value("#id_description") == "南河沿共享单车乱停"
    assert "已恢复您未提交的上报内容" in gps_phone.inner_text("#draft-status")
    shot(gps_phone, "report-phone-draft-restored")
    gps_phone.check("#id_notice")
    gps_phone.click("#report-submit")
    gps_phone.wait_for_url(f"{base}/report/done/**")
    case = Case.objects.get()
    assert case.description == "南河沿共享单车乱停" and case.photos.count() == 1


def test_a_bad_file_comes_back_named_with_the_form_filled(
    gps_phone, live_server, world, people, categories, password
) -> None:
    base = live_server.url
    start_report(
        gps_phone,
        base,
        password,
        [
            {"name": "good.jpg", "mimeType": "image/jpeg", "buffer": jpeg()},
            {"name": "notes.jpg", "mimeType": "image/jpeg", "buffer": b"only text"},
        ],
    )
    gps_phone.fill("#id_description", "多福巷口垃圾堆放")
    gps_phone.check("#id_notice")
    gps_phone.click("#report-submit")
    gps_phone.wait_for_load_state("networkidle")
    assert "notes.jpg 不是 JPEG、PNG、WebP 或 HEIC 格式的照片。" in gps_phone.inner_text(
        "#photo-errors"
    )
    assert gps_phone.input_value("#id_description") == "多福巷口垃圾堆放"
    # The good photo is offered again from the phone's draft; the bad one is not.
    gps_phone.wait_for_function("document.querySelectorAll('#photo-previews .rp-new').length === 1")
    assert Case.objects.count() == 0 and Photo.objects.count() == 0
    assert fits(gps_phone)
    shot(gps_phone, "report-phone-bad-file")
    gps_phone.check("#id_notice")
    gps_phone.click("#report-submit")
    gps_phone.wait_for_url(f"{base}/report/done/**")
    assert Case.objects.get().photos.count() == 1


PAGES = [
    ("hotline", "office", "/report/hotline/"),
    ("privacy", "resident", "/report/privacy/"),
    ("moderation-empty", "office", "/moderation/"),
    ("mine-empty", "resident", "/report/mine/"),
    ("form", "office", "/report/?point=P00002"),
]


def test_pages_at_375_px_and_on_the_desktop(
    phone, page, live_server, world, people, categories, password
) -> None:
    base = live_server.url
    for name, user, path in PAGES:
        for browser_page, size in ((phone, "phone"), (page, "desktop")):
            browser_page.context.clear_cookies()
            log_in(browser_page, base, user, password)
            response = browser_page.goto(base + path)
            assert response.status == 200, path
            browser_page.wait_for_load_state("networkidle")
            if size == "phone":
                assert fits(browser_page), path
            shot(browser_page, f"report-{size}-{name}")
