"""POST Service Request: a key, a service and a position make a case; anything wrong makes
nothing — no case, photo, file, submission or audit entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.utils import timezone

from chuangcheng.cases.enums import CaseAction, CaseSource, CaseStatus, Moderation, PhotoStage
from chuangcheng.cases.models import Case, CaseEvent, Category, Photo
from chuangcheng.core.models import AuditEntry
from chuangcheng.open311.domain.keys import issue_key, revoke_key
from chuangcheng.open311.models import Open311Key, Submission
from tests.conftest import World
from tests.images import jpeg
from tests.open311.conftest import Key, children, stored_files, xml

URL = "/open311/v2/requests.json"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
YEAR = timezone.localtime().year


def post(data: dict[str, Any], path: str = URL, **extra: Any) -> Any:
    return Client().post(path, data, **EN, **extra)


def good(issued: Key, **over: Any) -> dict[str, Any]:
    data = {
        "api_key": issued.raw,
        "service_code": "S0101",
        "lat": "39.925",
        "long": "116.405",
        "address_string": "多福巷 12 号门口",
        "description": "垃圾堆在巷口三天了",
        "first_name": "伟",
        "last_name": "王",
        "phone": "13812345678",
        "email": "wang@example.com",
        "device_id": "dev-42",
        "account_id": "acct-7",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def nothing_written(media_root: Any) -> None:
    assert Case.objects.count() == 0
    assert Photo.objects.count() == 0
    assert Submission.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type__in=["cases.case", "open311.submission"])
    assert stored_files(media_root) == []


@pytest.fixture
def ready(api_key: Key, categories: dict[str, Category]) -> Key:
    return api_key


def test_post_creates_a_case_in_the_intake_queue(mapped: World, ready: Key) -> None:
    resp = post(good(ready))
    assert resp.status_code == 200, resp.content
    number = f"{YEAR}-000001"
    assert resp.json() == [
        {
            "service_request_id": number,
            "service_notice": "Received: the civilization office reviews every request before "
            "it is handled. Problems of this kind are handled within 24 hours of dispatch.",
            "account_id": None,
        }
    ]
    case = Case.objects.get(number=number)
    assert (case.source, case.status, case.public) == (
        CaseSource.OPEN311,
        CaseStatus.REPORTED,
        Moderation.PENDING,
    )
    assert case.category is not None and case.category.code == "S0101"
    assert (case.region, case.territorial_unit) == (mapped.c1, mapped.unit_c1)
    assert (str(case.lat), str(case.lng), case.address) == (
        "39.925000",
        "116.405000",
        "多福巷 12 号门口",
    )
    assert (case.description, case.reporter_name, case.reporter_phone) == (
        "垃圾堆在巷口三天了",
        "王伟",
        "13812345678",
    )
    sub = Submission.objects.get(case=case)
    assert (sub.key_id, sub.email, sub.device_id, sub.account_id, sub.media_url) == (
        ready.key.pk,
        "wang@example.com",
        "dev-42",
        "acct-7",
        "",
    )
    # Personal data is encrypted at rest …
    with connection.cursor() as cur:
        cur.execute("SELECT reporter_phone FROM cases_case WHERE id = %s", [case.pk])
        (stored_phone,) = cur.fetchone()
        cur.execute("SELECT email FROM open311_submission WHERE id = %s", [sub.pk])
        (stored_email,) = cur.fetchone()
    assert "13812345678" not in stored_phone and "wang@" not in stored_email
    # … and never copied into the audit log, which names the key as the actor.
    entries = AuditEntry.objects.filter(object_type__in=["cases.case", "open311.submission"])
    assert sorted(e.object_type for e in entries) == ["cases.case", "open311.submission"]
    for entry in entries:
        assert entry.actor_name == f"Open311 · 市民通 ({ready.key.prefix}…)"
        assert "13812345678" not in str(entry.after) and "wang@" not in str(entry.after)
    assert entries.get(object_type="cases.case").after["reporter_phone"] == "<set>"
    ready.key.refresh_from_db()
    assert ready.key.last_used_at is not None


def test_post_xml_and_key_in_query_string(mapped: World, ready: Key) -> None:
    data = good(ready)
    data.pop("api_key")
    resp = post(data, f"/open311/v2/requests.xml?api_key={ready.raw}")
    assert resp.status_code == 200
    root = xml(resp.content)
    assert root.tag == "service_requests"
    (request,) = root
    assert request.tag == "request"
    fields = children(request)
    assert fields["service_request_id"] == f"{YEAR}-000001"
    assert list(fields) == ["service_request_id", "service_notice", "account_id"]
    assert fields["account_id"] is None


def test_address_string_alone_places_the_case_in_the_keys_region(mapped: World, ready: Key) -> None:
    resp = post(good(ready, lat=None, long=None, description=None, first_name=None))
    assert resp.status_code == 200
    case = Case.objects.get()
    assert (case.region, case.lat, case.lng) == (mapped.district, None, None)
    # No description: the service's name stands for it; a lone family name is kept.
    assert (case.address, case.description, case.reporter_name) == (
        "多福巷 12 号门口",
        "暴露垃圾",
        "王",
    )


def test_media_upload_is_attached_as_a_report_photo(
    mapped: World, ready: Key, media_root: Any
) -> None:
    photo = SimpleUploadedFile("x.jpg", jpeg(), content_type="image/jpeg")
    resp = post(good(ready, media=photo))
    assert resp.status_code == 200, resp.content
    case = Case.objects.get()
    (stored,) = Photo.objects.all()
    assert (stored.case_id, stored.stage, stored.content_type) == (
        case.pk,
        PhotoStage.REPORT,
        "image/jpeg",
    )
    assert (stored.width, stored.height, stored.moderation) == (64, 48, Moderation.PENDING)
    assert stored_files(media_root) == [stored.image.name]


def test_media_url_is_kept_as_a_note_and_not_fetched(mapped: World, ready: Key) -> None:
    url = "https://img.example.com/r/1.jpg"
    assert post(good(ready, media_url=url)).status_code == 200
    case = Case.objects.get()
    assert Submission.objects.get().media_url == url
    event = CaseEvent.objects.get(case=case, action=CaseAction.COMMENT)
    assert event.note == f"Media sent by the Open311 client as a link (not fetched): {url}"
    assert event.actor_name == f"Open311 · 市民通 ({ready.key.prefix}…)"
    assert Photo.objects.count() == 0


SHANGHAI = {"lat": "31.23", "long": "121.47"}
NOT_SERVED = "is not a service of this server; see services.json."
ADDRESS_ID = "address_id is not supported by this server: send lat and long, or address_string."
MEDIA_URL = "media_url must be an http or https address of at most 500 characters."
LAT = "lat must be a number between -90 and 90."
EMAIL = "email is not a valid e-mail address."


@pytest.mark.parametrize(
    ("over", "problems"),
    [
        ({"service_code": "X999"}, [f"service_code X999 {NOT_SERVED}"]),
        ({"service_code": "S01"}, [f"service_code S01 {NOT_SERVED}"]),
        ({"service_code": None}, ["service_code is required."]),
        (
            {"lat": None, "long": None, "address_string": None},
            ["Give the position: lat and long, or address_string."],
        ),
        ({"long": None}, ["Send both lat and long, or neither."]),
        ({"lat": "abc"}, [LAT]),
        ({"long": "200"}, ["long must be a number between -180 and 180."]),
        ({"address_id": "A-17"}, [ADDRESS_ID]),
        (SHANGHAI, ["This position is outside the area the platform covers."]),
        ({"email": "not-an-email"}, [EMAIL]),
        ({"phone": "call me maybe"}, ["phone may hold only digits, spaces, +, - and brackets."]),
        ({"media_url": "ftp://x.example.com/a.jpg"}, [MEDIA_URL]),
        ({"description": "长" * 2001}, ["Keep the description under 2000 characters."]),
        (
            {"service_code": "", "lat": "x", "email": "@"},
            ["service_code is required.", LAT, EMAIL],
        ),
    ],
)
def test_bad_input_is_400_and_creates_nothing(
    mapped: World, ready: Key, media_root: Any, over: dict[str, Any], problems: list[str]
) -> None:
    photo = SimpleUploadedFile("x.jpg", jpeg(), content_type="image/jpeg")
    resp = post(good(ready, media=photo, **over))
    assert resp.status_code == 400
    assert resp.json() == [{"code": 400, "description": p} for p in problems]
    nothing_written(media_root)


def test_non_image_media_is_refused_by_content(mapped: World, ready: Key, media_root: Any) -> None:
    fake = SimpleUploadedFile("photo.jpg", b"GIF89a not really a jpeg", content_type="image/jpeg")
    resp = post(good(ready, media=fake))
    assert resp.status_code == 400
    assert resp.json() == [
        {"code": 400, "description": "photo.jpg is not a JPEG, PNG, WebP or HEIC photo."}
    ]
    nothing_written(media_root)


def test_oversized_media_is_refused_before_reading(
    mapped: World, ready: Key, media_root: Any, settings: Any
) -> None:
    settings.PHOTO_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile(
        "big.jpg", b"\xff\xd8\xff" + b"0" * (1024 * 1024), content_type="image/jpeg"
    )
    resp = post(good(ready, media=big))
    assert resp.json() == [{"code": 400, "description": "media is larger than 1 MB."}]
    nothing_written(media_root)


def test_position_outside_a_street_keys_region(
    mapped: World, categories: dict[str, Category], media_root: Any
) -> None:
    _key, raw = issue_key(
        name="东华门 App", owner="东华门街道", region=mapped.s1, actor=mapped.office
    )
    in_s2 = {"api_key": raw, "service_code": "S0101", "lat": "39.95", "long": "116.39"}
    resp = post(in_s2)
    assert resp.status_code == 400
    assert resp.json() == [
        {
            "code": 400,
            "description": "This position lies outside 东华门街道, where this api_key may report.",
        }
    ]
    nothing_written(media_root)
    # The same position with a district key is placed in 景山街道.
    _district_key, district_raw = issue_key(
        name="区 App", owner="区", region=mapped.district, actor=mapped.office
    )
    assert post({**in_s2, "api_key": district_raw}).status_code == 200
    assert Case.objects.get().region == mapped.s2


@pytest.mark.parametrize("key", ["", "o311_guess", "cc_an_api_token", "revoked"])
def test_missing_unknown_or_revoked_key_is_403(
    mapped: World, ready: Key, media_root: Any, key: str
) -> None:
    if key == "revoked":
        revoke_key(ready.key, actor=mapped.office)
        key = ready.raw
    resp = post(good(ready, api_key=key, media=SimpleUploadedFile("x.jpg", jpeg())))
    assert resp.status_code == 403
    assert resp.json() == [{"code": 403, "description": "api_key is missing, unknown or revoked."}]
    nothing_written(media_root)


def test_rate_limit_per_key(mapped: World, ready: Key, settings: Any) -> None:
    settings.OPEN311_RATE_LIMIT = 2
    assert [post(good(ready)).status_code for _ in range(2)] == [200, 200]
    resp = post(good(ready))
    assert resp.status_code == 429
    assert resp.json() == [
        {
            "code": 429,
            "description": "This api_key has sent 2 requests in the last hour, the most "
            "allowed; try again later.",
        }
    ]
    assert 3590 <= int(resp["Retry-After"]) <= 3601
    assert Case.objects.count() == 2
    # Another key has its own allowance; an hour later the first key may send again.
    _other, raw = issue_key(
        name="另一个", owner="某单位", region=mapped.district, actor=mapped.office
    )
    assert post(good(ready, api_key=raw)).status_code == 200
    Submission.objects.filter(key=ready.key).update(
        created_at=timezone.now() - dt.timedelta(hours=1, seconds=1)
    )
    assert post(good(ready)).status_code == 200
    assert Case.objects.count() == 4


def test_messages_default_to_chinese(mapped: World, ready: Key) -> None:
    resp = Client().post(URL, {"api_key": "nope"})
    assert resp.json() == [{"code": 403, "description": "api_key 缺失、无效或已被吊销。"}]


def test_keys_are_stored_hashed(mapped: World, ready: Key) -> None:
    stored = Open311Key.objects.get()
    assert ready.raw.startswith("o311_") and len(ready.raw) > 40
    assert stored.prefix == ready.raw[:9]
    assert ready.raw not in (stored.digest, stored.prefix)


def test_key_revoked_between_lookup_and_write_creates_nothing(
    mapped: World, ready: Key, media_root: Any
) -> None:
    from decimal import Decimal

    from chuangcheng.open311.domain.errors import Open311Error
    from chuangcheng.open311.domain.submit import RequestData, submit_request

    looked_up = Open311Key.objects.get()
    revoke_key(looked_up, actor=mapped.office)
    data = RequestData(
        service_code="S0101", lat=Decimal("39.925"), lng=Decimal("116.405"), media=jpeg()
    )
    with pytest.raises(Open311Error) as err:
        submit_request(data, key=looked_up)
    assert (err.value.status, err.value.descriptions) == (403, ["该 api_key 已被吊销。"])
    nothing_written(media_root)
