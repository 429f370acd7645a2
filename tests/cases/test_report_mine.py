"""My reports: the reporter follows their own cases — plain status, public steps, approved
after-photos — and nobody else's; the list keeps a constant query count."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.intake import CaseData
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.domain.reporting import submit_report
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case, Photo
from tests.cases.report_images import jpeg
from tests.cases.report_world import People, people_fixture  # noqa: F401
from tests.conftest import World, login


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(user: Any, world: World, text: str = "多福巷口垃圾堆放", photo: bool = False) -> Case:
    photos = [store_photo(jpeg(), actor=user, name="a.jpg")] if photo else []
    return submit_report(
        CaseData(source=CaseSource.RESIDENT, description=text, point=world.p1),
        actor=user,
        pending=photos,
    )


def handled(case: Case, world: World) -> Photo:
    """Register, dispatch, feedback with an after-photo, a failed and a passed re-check."""
    actions.register_and_dispatch(
        case, actor=world.office, lead=world.unit_s1, category=case.suggested_category
    )
    after = store_photo(jpeg(80, 60), actor=world.user_s1, name="after.jpg")
    actions.feedback(
        case, actor=world.user_s1, unit=world.unit_s1, text="已清运，班长张三", photos=[after]
    )
    actions.verify(case, actor=world.office, passed=False, note="仍有残留，内部备注")
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="彻底清理")
    actions.verify(case, actor=world.office, passed=True)
    return after


def test_reporter_sees_plain_status_public_steps_and_approved_after_photo(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = report(people.resident, world, photo=True)
        after = handled(case, world)
    Photo.objects.filter(pk=after.pk).update(moderation="approved")
    c = login(people.resident)
    body = c.get(f"/report/mine/{case.number}/").content.decode()
    assert "已办结，问题已整改" in body
    # The failed re-check shows only as a second 处置, never as 返工.
    steps = re.findall(r'<span class="mr-step">(.*?)</span>', body)
    assert steps == ["上报", "立案", "派遣", "处置", "处置", "结案"]
    for internal in ("文明办王科长", "东华门联络员", "班长张三", "仍有残留", "内部备注", "返工"):
        assert internal not in body
    own = Photo.objects.get(case=case, uploaded_by=people.resident)
    assert f"/photos/{own.pk}/thumb/" in body
    assert f"/photos/{after.pk}/public/" in body
    assert f"/photos/{after.pk}/thumb/" not in body and f'/photos/{after.pk}/"' not in body
    # The after-photo's original stays out of reach; the public copy is served.
    assert c.get(f"/photos/{after.pk}/").status_code == 404
    assert c.get(f"/photos/{after.pk}/thumb/").status_code == 404
    assert c.get(f"/photos/{after.pk}/public/").status_code == 200


def test_an_unapproved_after_photo_is_not_shown(
    world: World, people: People, categories: dict[str, Any], django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        case = report(people.resident, world)
        after = handled(case, world)
    body = login(people.resident).get(f"/report/mine/{case.number}/").content.decode()
    assert f"/photos/{after.pk}/" not in body
    assert login(people.resident).get(f"/photos/{after.pk}/public/").status_code == 404


def test_others_reports_are_not_found(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    mine = report(people.resident, world, text="我的：多福巷垃圾")
    theirs = report(people.resident2, world, text="别人的：景山垃圾")
    c = login(people.resident)
    body = c.get("/report/mine/").content.decode()
    assert mine.number in body and "我的：多福巷垃圾" in body
    assert theirs.number not in body and "别人的" not in body
    assert c.get(f"/report/mine/{theirs.number}/").status_code == 404
    # Staff who see every case still see only their own reports here.
    assert login(world.office).get(f"/report/mine/{mine.number}/").status_code == 404


def test_the_list_takes_a_constant_number_of_queries(
    world: World, people: People, categories: dict[str, Any]
) -> None:
    c = login(people.resident)
    c.get("/report/mine/")  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get("/report/mine/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        report(people.resident, world, photo=True)
    small = count()
    for _ in range(8):
        report(people.resident, world, photo=True)
    assert count() == small
