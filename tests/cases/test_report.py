"""随手拍: a report from a phone becomes a case in the intake queue; nothing typed is lost;
bad photos are named and leave nothing behind."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, Photo
from chuangcheng.core.models import AuditEntry
from tests.cases.report_images import encode, gps_exif, jpeg
from tests.cases.report_world import People, people_fixture, report_post, upload  # noqa: F401
from tests.conftest import World, login

NOTICE = "2026-1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    settings.PRIVACY_NOTICE_VERSION = NOTICE
    return tmp_path


def files_in(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_supervisor_reports_at_a_point_with_a_photo(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = report_post(people.supervisor, point="P00001", photos=[upload("a.jpg", jpeg())])
    case = Case.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/report/done/{case.number}/"
    assert case.status == CaseStatus.REPORTED
    assert case.source == CaseSource.SUPERVISOR
    assert case.reporter == people.supervisor and case.created_by == people.supervisor
    assert case.point == world.p1 and case.region == world.c1
    assert case.notice_version == NOTICE
    # 垃圾(2) + 垃圾堆(3) + 堆放(2): 暴露垃圾; it has no line department, so the point's
    # territorial unit is suggested to lead.
    assert case.suggested_category == categories["S0101"]
    assert case.suggested_unit == world.unit_c1
    assert case.category is None
    photo = Photo.objects.get()
    assert photo.case == case and photo.uploaded_by == people.supervisor
    assert photo.public_image and photo.moderation == "pending"
    done = login(people.supervisor).get(r["Location"])
    assert done.status_code == 200
    assert case.number in done.content.decode()


def test_resident_reports_by_gps_and_the_position_places_the_case(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    r = report_post(people.resident, lng="116.4071234", lat="39.9262", photos=[])
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.source == CaseSource.RESIDENT
    assert (case.lng, case.lat) == (Decimal("116.407123"), Decimal("39.926200"))
    assert case.region == world.c1 and case.territorial_unit == world.unit_c1
    assert case.suggested_unit == world.unit_c1


def test_the_photo_position_places_a_case_sent_without_one(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    png = encode("PNG", 60, 40, exif=gps_exif(116.395, 39.925))
    r = report_post(people.resident, photos=[upload("gps.png", png, "image/png")])
    assert r.status_code == 302
    case = Case.objects.get()
    assert case.region == world.c2
    assert (case.lng, case.lat) == (Decimal("116.395000"), Decimal("39.925000"))


def test_a_renamed_text_file_is_named_and_nothing_is_kept(
    world: World, people: People, categories: dict[str, Any], media: Path
) -> None:
    r = report_post(
        people.resident,
        point="P00001",
        photos=[upload("good.jpg", jpeg()), upload("notes.jpg", b"just some text")],
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "notes.jpg 不是 JPEG、PNG、WebP 或 HEIC 格式的照片。" in body
    assert "多福巷口垃圾堆放很久了" in body  # the text comes back
    assert '"notes.jpg"' in body  # the browser is told not to offer this file again
    assert Case.objects.count() == 0
    assert Photo.objects.count() == 0
    assert files_in(media) == []


def test_a_truncated_jpeg_is_refused(world: World, people: People, media: Path) -> None:
    data = jpeg(200, 150)
    r = report_post(people.resident, point="P00001", photos=[upload("cut.jpg", data[:300])])
    assert r.status_code == 400
    assert "cut.jpg 无法识别为图片，文件可能已损坏。" in r.content.decode()
    assert (Case.objects.count(), Photo.objects.count(), files_in(media)) == (0, 0, [])


def test_an_oversize_photo_is_refused(world: World, people: People, media: Path, settings) -> None:
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = encode("PNG", 800, 800) + b"\0" * (1024 * 1024)
    r = report_post(people.resident, point="P00001", photos=[upload("big.png", big, "image/png")])
    assert r.status_code == 400
    assert "big.png 超过 1 MB。" in r.content.decode()
    assert (Case.objects.count(), Photo.objects.count(), files_in(media)) == (0, 0, [])


def test_a_form_error_keeps_the_text_and_the_photo_for_the_next_try(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    c = login(people.resident)
    r = report_post(people.resident, c, point="P00001", notice="", photos=[upload("a.jpg", jpeg())])
    assert r.status_code == 400
    body = r.content.decode()
    assert "请阅读并同意隐私告知。" in body
    assert "多福巷口垃圾堆放很久了" in body
    kept = Photo.objects.get()
    assert kept.case is None and kept.uploaded_by == people.resident
    assert f'name="pending" value="{kept.pk}" checked' in body
    assert c.get(f"/photos/{kept.pk}/thumb/").status_code == 200
    r = report_post(people.resident, c, point="P00001", pending=[str(kept.pk)])
    assert r.status_code == 302
    kept.refresh_from_db()
    assert kept.case == Case.objects.get()


def test_a_position_outside_the_area_keeps_the_photo_pending(
    world: World, people: People, categories: dict[str, Any], media: Path
) -> None:
    r = report_post(people.resident, lng="121.47", lat="31.23", photos=[upload("a.jpg", jpeg())])
    assert r.status_code == 400
    assert "该位置不在本平台覆盖的区域内。" in r.content.decode()
    assert Case.objects.count() == 0
    kept = Photo.objects.get()
    assert kept.case is None
    # One original, its public copy and thumbnail are made once it is stored.
    assert default_storage.exists(kept.image.name)


def test_someone_elses_pending_photo_cannot_be_taken_over(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    report_post(people.resident2, point="P00001", notice="", photos=[upload("a.jpg", jpeg())])
    theirs = Photo.objects.get()
    r = report_post(people.resident, point="P00001", pending=[str(theirs.pk)])
    assert r.status_code == 302
    theirs.refresh_from_db()
    assert theirs.case is None
    assert Case.objects.get().photos.count() == 0


def test_at_most_six_photos(world: World, people: People, media: Path) -> None:
    photos = [upload(f"{i}.jpg", jpeg()) for i in range(7)]
    r = report_post(people.resident, point="P00001", photos=photos)
    assert r.status_code == 400
    assert "每次上报最多 6 张照片。" in r.content.decode()
    assert (Case.objects.count(), Photo.objects.count(), files_in(media)) == (0, 0, [])


def test_a_point_qr_code_prefills_the_form(world: World, people: People) -> None:
    body = login(people.resident).get("/report/?point=P00002").content.decode()
    assert "景山市场" in body and 'value="P00002"' in body
    body = login(people.resident).get("/report/?point=P99999").content.decode()
    assert "没有编号为 P99999 的点位" in body


def test_only_users_with_a_grant_may_report(world: World, people: People) -> None:
    c = login(world.nobody)
    assert c.get("/report/").status_code == 403
    assert report_post(world.nobody, c, point="P00001").status_code == 403
    assert c.get("/report/suggest/?text=垃圾").status_code == 403
    assert Case.objects.count() == 0
    assert login(people.supervisor).get("/report/").status_code == 200


def test_the_answer_page_is_only_for_the_reporter(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    report_post(people.resident, point="P00001")
    number = Case.objects.get().number
    assert login(people.resident).get(f"/report/done/{number}/").status_code == 200
    assert login(people.resident2).get(f"/report/done/{number}/").status_code == 404
    assert login(world.user_s2).get(f"/report/done/{number}/").status_code == 404


def test_suggestion_endpoint(world: World, people: People, categories: dict[str, Any]) -> None:
    c = login(people.resident)
    data = c.get("/report/suggest/", {"text": "小区门口垃圾堆放"}).json()
    assert data["category"]["code"] == "S0101"
    assert data["category"]["classId"] == categories["S01"].pk
    assert data["method"] == "keywords"
    assert c.get("/report/suggest/", {"text": "今天天气好"}).json()["category"] is None


def test_every_report_is_audited_without_personal_data(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    report_post(people.resident, point="P00001")
    entry = AuditEntry.objects.get(object_type="cases.case")
    assert entry.actor == people.resident and entry.action == "create"
