"""微心愿 API under /api/v1/practice/wishes: scoped lists, 404 outside scope on every endpoint,
the moves with the shared error shape (403 not allowed, 409 refused by the workflow, 422 bad
fields), and a constant number of queries for the list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Wish
from tests.conftest import login
from tests.images import jpeg
from tests.practice.conftest import PracticeWorld
from tests.practice.wish_helpers import make_wish, other_wish

API = "/api/v1/practice/wishes"
JSON = "application/json"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def test_list_is_scoped_and_names_only_for_staff(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    make_wish(pw, title="待审核")
    other_wish(pw)
    staff = login(pw.world.office).get(API).json()
    assert staff["count"] == 2
    first = staff["items"][1]
    assert (first["code"], first["beneficiary_name"], first["beneficiary_phone"]) == (
        wish.code,
        "王大妈",
        "137****0001",
    )
    wall = login(pw.vol1_user).get(f"{API}?wall=true").json()
    assert [(i["title"], i["beneficiary_name"], i["beneficiary_phone"]) for i in wall["items"]] == [
        ("想要一盏护眼台灯", None, None)
    ]
    for user in (pw.other_vol_user, pw.other_office):
        theirs = login(user).get(API).json()
        assert [i["title"] for i in theirs["items"]] == ["西城的心愿"]
    assert login(pw.world.office).get(f"{API}?status=nope").status_code == 422


def test_list_queries_do_not_grow(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    make_wish(pw, WishStatus.CLAIMED)
    client.get(API)
    with CaptureQueriesContext(connection) as small:
        client.get(API)
    for status in [WishStatus.PUBLISHED, WishStatus.CLAIMED, WishStatus.RATED] * 4:
        make_wish(pw, status)
    with CaptureQueriesContext(connection) as big:
        assert client.get(API).json()["count"] == 13
    assert len(big) == len(small)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", ""),
        ("post", "/publish"),
        ("post", "/claim"),
        ("post", "/release"),
        ("post", "/fulfil"),
        ("post", "/rate"),
        ("post", "/cancel"),
    ],
)
def test_every_endpoint_is_404_outside_scope(pw: PracticeWorld, method: str, path: str) -> None:
    ours = make_wish(pw, WishStatus.CLAIMED)
    theirs = other_wish(pw)
    for user, wish in ((pw.other_office, ours), (pw.other_vol_user, ours), (pw.vol1_user, theirs)):
        client = login(user)
        url = f"{API}/{wish.pk}{path}"
        if method == "get":
            response = client.get(url)
        elif path == "/fulfil":
            response = client.post(url, {"note": "x"})
        else:
            response = client.post(url, {"reason": "x", "rating": 5}, content_type=JSON)
        assert response.status_code == 404, (user, url)
        assert response.json() == {"detail": "Not found.", "code": "not_found", "errors": []}


def test_create_claim_fulfil_rate_through_the_api(pw: PracticeWorld) -> None:
    resident = login(pw.res1)
    body = {
        "site": pw.station_c1.pk,
        "title": "想要一个助行器",
        "beneficiary_name": "王大妈",
        "beneficiary_phone": "13700000001",
        "notice_version": NOTICE_VERSION,
    }
    created = resident.post(API, body, content_type=JSON)
    assert created.status_code == 201
    wish_id = created.json()["id"]
    assert created.json()["status"] == "submitted"
    assert created.json()["allowed"] == ["cancel"]
    office = login(pw.world.office)
    published = office.post(f"{API}/{wish_id}/publish", content_type=JSON)
    assert published.json()["status"] == "published"
    volunteer = login(pw.vol1_user)
    claimed = volunteer.post(f"{API}/{wish_id}/claim", {}, content_type=JSON)
    assert claimed.status_code == 200
    assert claimed.json()["claimed_by"] == "志愿者甲"
    assert claimed.json()["allowed"] == ["release", "fulfil"]
    unit = login(pw.world.user_line)
    lost = unit.post(f"{API}/{wish_id}/claim", {}, content_type=JSON)
    assert lost.status_code == 404  # claimed: no longer on the unit's wall
    fulfilled = volunteer.post(
        f"{API}/{wish_id}/fulfil",
        {"note": "已送到家", "photos": [_upload()]},
    )
    assert fulfilled.status_code == 200, fulfilled.json()
    detail = fulfilled.json()
    assert detail["status"] == "fulfilled" and len(detail["photos"]) == 1
    assert detail["photos"][0]["url"].endswith("/original/")
    rated = resident.post(f"{API}/{wish_id}/rate", {"rating": 5}, content_type=JSON)
    assert (rated.json()["status"], rated.json()["rating"]) == ("rated", 5)
    events = [e["to_status"] for e in rated.json()["events"]]
    assert events == ["submitted", "published", "claimed", "fulfilled", "rated"]


def _upload() -> Any:
    return SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")


def test_error_shapes(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    office = login(pw.world.office)
    refused = office.post(f"{API}/{wish.pk}/publish", content_type=JSON)
    assert refused.status_code == 409
    assert refused.json()["code"] == "refused"
    forbidden = login(pw.vol1_user).post(
        f"{API}/{wish.pk}/cancel", {"reason": "x"}, content_type=JSON
    )
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "forbidden")
    bad = office.post(f"{API}/{wish.pk}/cancel", {"reason": ""}, content_type=JSON)
    assert bad.status_code == 422
    assert bad.json()["errors"] == [{"loc": ["body", "reason"], "msg": "请填写原因。"}]
    bad_create = login(pw.res1).post(
        API,
        {"site": pw.station_c2.pk, "title": "x", "beneficiary_name": "y", "notice_version": ""},
        content_type=JSON,
    )
    assert bad_create.status_code == 422
    assert bad_create.json()["errors"][0]["loc"] == ["body", "site"]
    assert Wish.objects.count() == 1
