"""Moderation: the office covering a case decides what is shown publicly; audited; other
streets' photos and cases neither listed nor reachable; constant query count."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain.intake import CaseData
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.domain.reporting import submit_report
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case, CaseEvent, Photo
from chuangcheng.core.models import AuditEntry
from tests.cases.report_images import jpeg
from tests.cases.report_world import People, people_fixture  # noqa: F401
from tests.conftest import World, login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def reported(user: Any, point: Any, text: str, *, photo: bool = True) -> tuple[Case, Photo | None]:
    p = store_photo(jpeg(), actor=user, name="a.jpg") if photo else None
    case = submit_report(
        CaseData(source=CaseSource.RESIDENT, description=text, point=point),
        actor=user,
        pending=[p] if p else [],
    )
    return case, p


@pytest.fixture
def two(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
):
    """A case with a photo in each street."""
    with django_capture_on_commit_callbacks(execute=True):
        east = reported(people.resident, world.p1, "多福巷垃圾堆放")
        west = reported(people.resident2, world.p2, "景山市场乱停车")
    return east, west


def test_the_street_office_sees_only_its_own_queue(world: World, people: People, two) -> None:
    (east, east_photo), (west, west_photo) = two
    body = login(people.office_s1).get("/moderation/").content.decode()
    assert f'id="case-{east.number}"' in body and f"/photos/{east_photo.pk}/thumb/" in body
    assert west.number not in body and f"/photos/{west_photo.pk}/" not in body
    body = login(world.office).get("/moderation/").content.decode()
    assert east.number in body and west.number in body


def test_approving_a_photo_publishes_its_blurred_copy_and_is_audited(
    world: World, people: People, two
) -> None:
    (_east, photo), _west = two
    c = login(people.office_s1)
    r = c.post(f"/moderation/photos/{photo.pk}/", {"decision": "approve"})
    assert r.status_code == 302
    photo.refresh_from_db()
    assert photo.moderation == "approved"
    entry = AuditEntry.objects.get(object_type="cases.photo", action="update")
    assert entry.actor == people.office_s1
    assert (entry.before, entry.after) == ({"moderation": "pending"}, {"moderation": "approved"})
    assert login(world.nobody).get(f"/photos/{photo.pk}/public/").status_code == 200
    assert f"/photos/{photo.pk}/thumb/" not in c.get("/moderation/").content.decode()


def test_keeping_a_photo_private(world: World, people: People, two) -> None:
    (_east, photo), _west = two
    login(world.office).post(f"/moderation/photos/{photo.pk}/", {"decision": "reject"})
    photo.refresh_from_db()
    assert photo.moderation == "rejected"
    assert login(people.resident2).get(f"/photos/{photo.pk}/public/").status_code == 404


def test_no_approval_before_the_public_copy_exists(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    # Without running the after-commit task there is no public copy yet.
    _case, photo = reported(people.resident, world.p1, "多福巷垃圾")
    assert photo is not None and not Photo.objects.get(pk=photo.pk).public_image
    r = login(world.office).post(
        f"/moderation/photos/{photo.pk}/", {"decision": "approve"}, follow=True
    )
    assert "此照片的公开版本尚未生成，请稍后再试。" in r.content.decode()
    assert Photo.objects.get(pk=photo.pk).moderation == "pending"


def test_other_streets_and_other_roles_cannot_moderate(world: World, people: People, two) -> None:
    _east, (west, west_photo) = two
    c = login(people.office_s1)
    assert (
        c.post(f"/moderation/photos/{west_photo.pk}/", {"decision": "approve"}).status_code == 404
    )
    assert c.post(f"/moderation/cases/{west.number}/", {"decision": "approve"}).status_code == 404
    for user in (world.user_s2, people.resident2, people.supervisor, world.leader):
        other = login(user)
        assert other.get("/moderation/").status_code == 403
        assert (
            other.post(f"/moderation/photos/{west_photo.pk}/", {"decision": "approve"}).status_code
            == 403
        )
    west_photo.refresh_from_db()
    assert west_photo.moderation == "pending"


def test_case_public_display_is_decided_on_the_timeline(world: World, people: People, two) -> None:
    (east, _p), (west, _q) = two
    c = login(world.office)
    c.post(f"/moderation/cases/{east.number}/", {"decision": "approve"})
    c.post(f"/moderation/cases/{west.number}/", {"decision": "reject"})
    east.refresh_from_db()
    west.refresh_from_db()
    assert (east.public, west.public) == ("approved", "rejected")
    assert list(CaseEvent.objects.filter(case=east).values_list("action", flat=True)) == [
        "report",
        "publish",
    ]
    last = CaseEvent.objects.filter(case=west).last()
    assert last is not None and (last.action, last.note) == ("comment", "不予公开展示。")
    assert AuditEntry.objects.filter(object_type="cases.case", action="update").count() == 2
    body = c.get("/moderation/").content.decode()
    assert f'id="case-{east.number}"' not in body and f'id="case-{west.number}"' not in body


def test_a_bad_decision_value_is_refused(world: World, people: People, two) -> None:
    (_east, photo), _west = two
    r = login(world.office).post(f"/moderation/photos/{photo.pk}/", {"decision": "maybe"})
    assert r.status_code == 403
    assert Photo.objects.get(pk=photo.pk).moderation == "pending"


def test_the_queue_takes_a_constant_number_of_queries(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    c = login(world.office)
    c.get("/moderation/")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/moderation/").status_code == 200
        return len(ctx.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(2):
            reported(people.resident, world.p1, "多福巷垃圾")
    small = count()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            reported(people.resident2, world.p2, "景山垃圾")
    assert count() == small
