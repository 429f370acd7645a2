"""Serving photos: originals and thumbnails only to the uploader and to staff who see the case,
never cached; public copies to anyone, and only once approved; 404 for everything else."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chuangcheng.cases.domain.intake import CaseData
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.domain.reporting import submit_report
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Photo
from chuangcheng.core.models import AuditEntry
from tests.cases.report_images import encode, jpeg
from tests.cases.report_world import People, people_fixture  # noqa: F401
from tests.conftest import World, login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def photo_in_s2(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
) -> Photo:
    """A resident's photo of a case at 景山市场 (景山街道)."""
    with django_capture_on_commit_callbacks(execute=True):
        photo = store_photo(encode("PNG", 50, 40), actor=people.resident2, name="p.png")
        submit_report(
            CaseData(source=CaseSource.RESIDENT, description="景山市场门口垃圾", point=world.p2),
            actor=people.resident2,
            pending=[photo],
        )
    photo.refresh_from_db()
    return photo


def test_the_uploader_and_staff_over_the_case_get_the_original(
    world: World, people: People, photo_in_s2: Photo
) -> None:
    for user in (people.resident2, world.office, world.user_s2, world.leader):
        r = login(user).get(f"/photos/{photo_in_s2.pk}/")
        assert r.status_code == 200, user
        assert r["Content-Type"] == "image/png"
        assert r["Cache-Control"] == "private, no-store"
        assert b"".join(r.streaming_content) == photo_in_s2.image.open("rb").read()
        thumb = login(user).get(f"/photos/{photo_in_s2.pk}/thumb/")
        assert (thumb.status_code, thumb["Content-Type"]) == (200, "image/jpeg")
        assert thumb["Cache-Control"] == "private, no-store"
    views = AuditEntry.objects.filter(action="view_personal", object_type="cases.photo")
    assert views.count() == 4


def test_others_get_404_for_originals_and_thumbnails(
    world: World, people: People, photo_in_s2: Photo
) -> None:
    # 东华门's unit, a resident elsewhere, a supervisor, the 东华门 office, no grant, anonymous.
    for client in (
        login(world.user_s1),
        login(people.resident),
        login(people.supervisor),
        login(people.office_s1),
        login(world.nobody),
    ):
        assert client.get(f"/photos/{photo_in_s2.pk}/").status_code == 404
        assert client.get(f"/photos/{photo_in_s2.pk}/thumb/").status_code == 404
    anonymous = Client().get(f"/photos/{photo_in_s2.pk}/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert login(world.office).get("/photos/999999/").status_code == 404


def test_public_copy_only_once_approved(world: World, people: People, photo_in_s2: Photo) -> None:
    url = f"/photos/{photo_in_s2.pk}/public/"
    assert Client().get(url).status_code == 404
    assert login(people.resident).get(url).status_code == 404
    # The moderator previews the copy before deciding, privately.
    preview = login(world.office).get(url)
    assert preview.status_code == 200 and preview["Cache-Control"] == "private, no-store"
    Photo.objects.filter(pk=photo_in_s2.pk).update(moderation="approved")
    r = Client().get(url)
    assert (r.status_code, r["Content-Type"]) == (200, "image/jpeg")
    assert r["Cache-Control"] == "public, max-age=300"
    Photo.objects.filter(pk=photo_in_s2.pk).update(moderation="rejected")
    assert Client().get(url).status_code == 404


def test_a_pending_upload_is_only_its_owners(world: World, people: People) -> None:
    photo = store_photo(jpeg(), actor=people.resident, name="a.jpg")
    assert login(people.resident).get(f"/photos/{photo.pk}/").status_code == 200
    for user in (world.office, people.resident2):
        assert login(user).get(f"/photos/{photo.pk}/").status_code == 404


def test_media_files_are_not_served_under_media_url(photo_in_s2: Photo) -> None:
    # DEBUG is off in tests as in production: the file's own path answers 404.
    assert Client().get(f"/media/{photo_in_s2.image.name}").status_code == 404
