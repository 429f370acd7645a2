"""The public wish pages (no login): a wish made through a station's link, limited per address
with a friendly 429; a wish followed and rated through its own link, with no names or phones."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from chuangcheng.practice.domain.photo_moderation import moderate_evidence
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import PracticeSite, Wish
from tests.practice.conftest import PracticeWorld
from tests.practice.wish_helpers import make_wish, step

FORM = {
    "title": "想要一副老花镜",
    "beneficiary_name": "刘奶奶",
    "beneficiary_phone": "13911112222",
    "due_on": "2099-03-01",
    "notice": "on",
}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT  # type: ignore[no-any-return]


def test_a_wish_through_the_stations_link(pw: PracticeWorld) -> None:
    client = Client()
    url = f"/p/wish/{pw.station_c1.public_token}/"
    page = client.get(url)
    assert page.status_code == 200 and "多福巷社区新时代文明实践站" in page.content.decode()
    response = client.post(url, FORM)
    wish = Wish.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/p/w/{wish.public_token}/"
    assert (wish.status, wish.site, wish.published_by, wish.beneficiary_phone) == (
        WishStatus.SUBMITTED,
        pw.station_c1,
        None,
        "13911112222",
    )
    assert len(wish.ip_hash) == 64 and "127.0.0.1" not in wish.ip_hash
    follow = client.get(response["Location"]).content.decode()
    assert "想要一副老花镜" in follow and "刘奶奶" not in follow and "13911112222" not in follow


def test_the_form_comes_back_with_its_errors(pw: PracticeWorld) -> None:
    url = f"/p/wish/{pw.station_c1.public_token}/"
    response = Client().post(url, {**FORM, "beneficiary_phone": "", "notice": ""})
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "notice" in errors
    assert Wish.objects.count() == 0
    # The phone is asked for on the public link: there is no account to reach the resident.
    response = Client().post(url, {**FORM, "beneficiary_phone": ""})
    assert response.status_code == 400
    assert Wish.objects.count() == 0


def test_too_many_from_one_address_get_a_friendly_429(pw: PracticeWorld, settings: Any) -> None:
    settings.PRACTICE_WISH_RATE_LIMIT = 2
    url = f"/p/wish/{pw.station_c1.public_token}/"
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(2):
        assert client.post(url, FORM).status_code == 302
    limited = client.post(url, FORM)
    assert limited.status_code == 429
    assert "这个网络刚刚提交的心愿太多了。" in limited.content.decode()
    assert Client(REMOTE_ADDR="10.9.9.9").post(url, FORM).status_code == 302
    assert Wish.objects.count() == 3


def test_unknown_or_closed_station_links_are_404(pw: PracticeWorld) -> None:
    assert Client().get("/p/wish/nope/").status_code == 404
    assert Client().get(f"/p/wish/{pw.institute.public_token}/").status_code == 404
    PracticeSite.objects.filter(pk=pw.station_c1.pk).update(active=False)
    assert Client().get(f"/p/wish/{pw.station_c1.public_token}/").status_code == 404
    assert Client().get("/p/w/nope/").status_code == 404


def test_follow_and_rate_by_the_link(
    pw: PracticeWorld, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        wish = make_wish(pw, WishStatus.CLAIMED)
    client = Client()
    url = f"/p/w/{wish.public_token}/"
    early = client.post(url, {"rating": "5"})
    assert early.status_code == 302
    assert Wish.objects.get(pk=wish.pk).status == WishStatus.CLAIMED
    with django_capture_on_commit_callbacks(execute=True):
        step(wish, WishStatus.FULFILLED, pw)
    page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200 and 'id="rate"' in text
    assert "王大妈" not in text and "13700000001" not in text and "志愿者甲" not in text
    assert page.context["photo_ids"] == []  # none approved for display yet
    photo = wish.photos.get().photo
    moderate_evidence(photo, actor=pw.world.office, subject=wish, approve=True)
    photo_id = client.get(url).context["photo_ids"][0]
    assert client.get(f"/p/w/{wish.public_token}/photos/{photo_id}/").status_code == 200
    assert client.get(f"/p/w/nope/photos/{photo_id}/").status_code == 404
    assert client.post(url, {"rating": "9"}).status_code == 400
    response = client.post(url, {"rating": "4", "comment": "很贴心"})
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.rating, wish.rating_comment) == (WishStatus.RATED, 4, "很贴心")
    assert 'id="rate"' not in client.get(url).content.decode()
