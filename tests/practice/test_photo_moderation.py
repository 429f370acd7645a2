"""Evidence photos leave the station only as their face-blurred copy, after staff approved it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from chuangcheng.cases.domain.public_copy import write_public_copy
from chuangcheng.cases.enums import Moderation
from chuangcheng.cases.models import Photo
from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import orders_complete
from chuangcheng.practice.enums import OrderStatus, WishStatus
from chuangcheng.practice.models import OrderPhoto, WishPhoto
from tests.conftest import login
from tests.images import jpeg
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, resident_order
from tests.practice.wish_helpers import make_wish


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _order_photo(pw: PracticeWorld) -> tuple[Any, Photo]:
    order = bring_to(pw, resident_order(pw), OrderStatus.ACCEPTED)
    upload = SimpleUploadedFile("a.jpg", jpeg(), content_type="image/jpeg")
    orders_complete.complete(order, actor=pw.vol1_user, hours="1", files=[upload])
    photo = OrderPhoto.objects.get(order=order).photo
    write_public_copy(photo, detector=lambda rgb: [])
    photo.refresh_from_db()
    return order, photo


def test_the_requester_sees_the_public_copy_only_after_approval(pw: PracticeWorld) -> None:
    order, photo = _order_photo(pw)
    public = f"/practice/orders/{order.pk}/photos/{photo.pk}/public/"
    resident = login(pw.res1)
    assert photo.moderation == Moderation.PENDING
    assert resident.get(public).status_code == 404
    assert f"photos/{photo.pk}/public/" not in resident.get(f"/practice/orders/{order.pk}/").text
    # Station staff preview the blurred copy before deciding.
    office = login(pw.world.office)
    assert office.get(public).status_code == 200
    page = office.get(f"/practice/orders/{order.pk}/").text
    assert f"/practice/orders/{order.pk}/photos/{photo.pk}/moderate/" in page
    got = office.post(
        f"/practice/orders/{order.pk}/photos/{photo.pk}/moderate/", {"decision": "approve"}
    )
    assert got.status_code == 302
    photo.refresh_from_db()
    assert photo.moderation == Moderation.APPROVED
    assert resident.get(public).status_code == 200
    entry = AuditEntry.objects.filter(object_type="cases.photo", object_id=str(photo.pk)).latest(
        "id"
    )
    assert (entry.actor, entry.before, entry.after) == (
        pw.world.office,
        {"moderation": "pending"},
        {"moderation": "approved"},
    )


def test_the_volunteer_and_other_districts_cannot_decide(pw: PracticeWorld) -> None:
    order, photo = _order_photo(pw)
    url = f"/practice/orders/{order.pk}/photos/{photo.pk}/moderate/"
    assert login(pw.vol1_user).post(url, {"decision": "approve"}).status_code == 403
    assert login(pw.other_office).post(url, {"decision": "approve"}).status_code == 404
    assert login(pw.res1).post(url, {"decision": "approve"}).status_code in (403, 404)
    photo.refresh_from_db()
    assert photo.moderation == Moderation.PENDING


def test_a_bad_decision_or_a_missing_copy_changes_nothing(pw: PracticeWorld) -> None:
    order, photo = _order_photo(pw)
    office = login(pw.world.office)
    url = f"/practice/orders/{order.pk}/photos/{photo.pk}/moderate/"
    assert office.post(url, {"decision": "publish"}).status_code == 302
    Photo.objects.filter(pk=photo.pk).update(public_image="")
    assert office.post(url, {"decision": "approve"}).status_code == 302
    assert Photo.objects.get(pk=photo.pk).moderation == Moderation.PENDING
    assert not AuditEntry.objects.filter(object_type="cases.photo").exists()


def test_the_wish_link_shows_only_approved_photos(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.FULFILLED)
    photo = WishPhoto.objects.get(wish=wish).photo
    write_public_copy(photo, detector=lambda rgb: [])
    follow = f"/p/w/{wish.public_token}/"
    photo_url = f"/p/w/{wish.public_token}/photos/{photo.pk}/"
    assert photo_url not in Client().get(follow).text
    assert Client().get(photo_url).status_code == 404
    staff = login(pw.world.office)
    moderate = f"/practice/wishes/{wish.pk}/photos/{photo.pk}/moderate/"
    assert staff.post(moderate, {"decision": "approve"}).status_code == 302
    assert photo_url in Client().get(follow).text
    assert Client().get(photo_url).status_code == 200
    assert staff.post(moderate, {"decision": "reject"}).status_code == 302
    assert Client().get(photo_url).status_code == 404
