"""Evidence photos with 圆单: stored through the cases pipeline, served to who sees the order."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from chuangcheng.cases.models import Photo
from chuangcheng.practice.domain import ledger, orders_complete
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import Book, OrderStatus
from chuangcheng.practice.models import OrderPhoto, ServiceOrder
from tests.conftest import login
from tests.images import jpeg
from tests.practice.conftest import PracticeWorld
from tests.practice.order_helpers import bring_to, hours_of, resident_order


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_completion_keeps_the_photos_and_serves_them(pw: PracticeWorld, media: Path) -> None:
    order = bring_to(pw, resident_order(pw), OrderStatus.ACCEPTED)
    orders_complete.complete(
        order,
        actor=pw.vol1_user,
        hours="1",
        files=[_file("a.jpg", jpeg()), _file("b.jpg", jpeg("blue"))],
    )
    links = list(OrderPhoto.objects.filter(order=order).select_related("photo"))
    assert len(links) == 2
    assert {link.photo.uploaded_by for link in links} == {pw.vol1_user}
    url = f"/practice/orders/{order.pk}/photos/{links[0].photo_id}/"
    full = login(pw.world.office).get(url + "full/")
    assert (full.status_code, full["Content-Type"]) == (200, "image/jpeg")
    assert login(pw.vol1_user).get(url + "thumb/").status_code == 200
    assert login(pw.other_office).get(url + "full/").status_code == 404
    # The requester sees only the face-blurred public copy, not made yet here.
    assert login(pw.res1).get(url + "full/").status_code == 404


def test_a_bad_file_refuses_the_whole_completion(pw: PracticeWorld, media: Path) -> None:
    order = bring_to(pw, resident_order(pw), OrderStatus.ACCEPTED)
    with pytest.raises(PracticeError) as caught:
        orders_complete.complete(
            order,
            actor=pw.vol1_user,
            hours="1",
            files=[_file("good.jpg", jpeg()), _file("bad.jpg", b"not an image")],
        )
    assert set(caught.value.errors) == {"photos"}
    assert not Photo.objects.exists()
    assert not list(media.rglob("*.jpg"))
    assert ServiceOrder.objects.get(pk=order.pk).status == OrderStatus.ACCEPTED
    assert hours_of(pw.vol1) == Decimal("0")
    assert ledger.book_total(Book.TIME) == 0


def test_complete_page_takes_photos(pw: PracticeWorld, media: Path) -> None:
    order = bring_to(pw, resident_order(pw), OrderStatus.ACCEPTED)
    got = login(pw.vol1_user).post(
        f"/practice/orders/{order.pk}/complete/",
        {"hours": "2", "note": "", "photos": [_file("a.jpg", jpeg())]},
    )
    assert got.status_code == 302
    assert OrderPhoto.objects.filter(order=order).count() == 1
    assert hours_of(pw.vol1) == Decimal("2")
