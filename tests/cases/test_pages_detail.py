"""The case page: who sees it (404 outside scope), which steps it offers, and what happens when
a step is refused — the domain's message, the user's input kept, nothing half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.cases.domain import actions
from chuangcheng.cases.enums import CaseStatus, ExtensionStatus
from chuangcheng.cases.models import Case, CaseEvent, Photo
from chuangcheng.core.models import AuditEntry
from tests.cases.workflow_helpers import dispatched, report
from tests.conftest import World, login
from tests.factories import UserFactory, grant
from tests.images import jpeg


@pytest.fixture(autouse=True)
def media(tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _url(case: Case, step: str | None = None) -> str:
    if step is None:
        return reverse("cases:detail", args=[case.pk])
    return reverse("cases:act", args=[case.pk, step])


def _forms(body: str) -> set[str]:
    import re

    return set(re.findall(r'id="act-([a-z]+)"', body))


def test_scope_of_the_case_page(world: World, categories: dict[str, Any]) -> None:
    resident = UserFactory(username="resident1")
    grant(resident, Role.RESIDENT, region=world.c1)
    neighbour = UserFactory(username="resident2")
    grant(neighbour, Role.RESIDENT, region=world.c1)
    in_s1 = dispatched(world, categories, reporter=resident)  # p1, lead unit_s1
    in_s2 = report(world, categories, point="p2", code="S0501", text="景山市场占道")
    allowed = {
        "office": (200, 200),
        "leader": (200, 200),
        "user_s1": (200, 404),  # another street's case stays hidden
        "user_s2": (404, 200),
        "user_line": (200, 404),  # 城管委 is p1's line unit; p2's is 市场监管局
        "inspector": (200, 404),
        "nobody": (404, 404),
    }
    for name, codes in allowed.items():
        client = login(getattr(world, name))
        got = (client.get(_url(in_s1)).status_code, client.get(_url(in_s2)).status_code)
        assert got == codes, name
    assert login(resident).get(_url(in_s1)).status_code == 200
    assert login(neighbour).get(_url(in_s1)).status_code == 404
    # A step posted to a case outside scope is 404 as well, and changes nothing.
    r = login(world.user_s2).post(_url(in_s1, "comment"), {"text": "看看"})
    assert r.status_code == 404
    assert not CaseEvent.objects.filter(case=in_s1, action="comment").exists()


def test_page_shows_fields_masked_phone_and_photos(world: World, categories: dict[str, Any]):
    case = report(world, categories, phone="13912345678")
    Photo.objects.create(
        case=case, stage="report", sha256="a" * 64, content_type="image/jpeg", size=10
    )
    body = login(world.office).get(_url(case)).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert reverse("points:detail", args=["P00001"]) in body
    photo = Photo.objects.get()
    assert f'src="/photos/{photo.pk}/"' in body
    assert "S0101" in body and "多福巷社区居委会" in body


@pytest.mark.parametrize(
    ("state", "user", "expected"),
    [
        ("reported", "office", {"dispatch", "reject", "comment"}),
        ("reported", "user_s1", {"comment"}),
        ("reported", "leader", set()),
        ("dispatched", "office", {"suspend", "comment"}),
        ("dispatched", "user_s1", {"feedback", "extension", "comment"}),
        ("dispatched", "user_s2", set()),  # not visible at all: see the scope test
        ("feedback", "office", {"verify", "comment"}),
        ("feedback", "user_s1", {"comment"}),
        ("closed", "office", {"reopen", "comment"}),
        ("suspended", "office", {"resume", "comment"}),
    ],
)
def test_steps_offered(
    world: World, categories: dict[str, Any], state: str, user: str, expected: set[str]
) -> None:
    case = report(world, categories)
    if state != "reported":
        actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    if state in ("feedback", "closed"):
        actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已处理")
    if state == "closed":
        actions.verify(case, actor=world.office, passed=True)
    if state == "suspended":
        actions.suspend(case, actor=world.office, reason="等待施工")
    r = login(getattr(world, user)).get(_url(case))
    if user == "user_s2":
        assert r.status_code == 404
        return
    assert _forms(r.content.decode()) == expected


def test_merge_offered_only_with_candidates(world: World, categories: dict[str, Any]) -> None:
    first = report(world, categories, at=timezone.now() - dt.timedelta(days=2))
    body = login(world.office).get(_url(first)).content.decode()
    assert "merge" not in _forms(body)
    second = report(world, categories)
    body = login(world.office).get(_url(second)).content.decode()
    assert "merge" in _forms(body) and first.number in body
    r = login(world.office).post(
        _url(second, "merge"), {"version": second.version, "into": first.pk}
    )
    assert r.status_code == 302
    second.refresh_from_db()
    assert (second.status, second.duplicate_of) == (CaseStatus.MERGED, first)


def test_unit_reports_handling_with_an_after_photo(world: World, categories: dict[str, Any]):
    case = dispatched(world, categories)
    client = login(world.user_s1)
    r = client.post(
        _url(case, "feedback"),
        {
            "version": case.version,
            "unit": world.unit_s1.pk,
            "text": "已组织清理",
            "photos": [SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg")],
        },
    )
    assert r.status_code == 302 and r["Location"] == _url(case) + "#timeline"
    case.refresh_from_db()
    assert case.status == CaseStatus.FEEDBACK
    photo = Photo.objects.get()
    assert (photo.case, photo.stage, photo.uploaded_by) == (case, "after", world.user_s1)
    assert case.assignments.get().feedback == "已组织清理"
    body = client.get(_url(case)).content.decode()
    assert f'src="/photos/{photo.pk}/"' in body


def test_bad_photo_refused_with_nothing_saved_and_text_kept(
    world: World, categories: dict[str, Any]
) -> None:
    case = dispatched(world, categories)
    r = login(world.user_s1).post(
        _url(case, "feedback"),
        {
            "version": case.version,
            "unit": world.unit_s1.pk,
            "text": "已组织清理",
            "photos": [
                SimpleUploadedFile("after.jpg", jpeg(), content_type="image/jpeg"),
                SimpleUploadedFile("notes.jpg", b"not an image at all", content_type="image/jpeg"),
            ],
        },
    )
    assert r.status_code == 400
    body = r.content.decode()
    assert "notes.jpg" in body and "已组织清理" in body
    assert Photo.objects.count() == 0
    assert not any(Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.DISPATCHED, 2)


def test_recheck_fail_needs_a_note_then_counts_rework(world: World, categories: dict[str, Any]):
    case = dispatched(world, categories)
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已处理")
    client = login(world.office)
    r = client.post(_url(case, "verify"), {"version": case.version, "do": "fail", "note": " "})
    assert r.status_code == 400
    assert "请说明仍存在的问题" in r.content.decode() or "Say what is still wrong" in (
        r.content.decode()
    )
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FEEDBACK
    r = client.post(
        _url(case, "verify"), {"version": case.version, "do": "fail", "note": "仍有残留"}
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.rework_count) == (CaseStatus.REWORK, 1)


def test_stale_version_gets_the_clear_message_and_keeps_the_input(
    world: World, categories: dict[str, Any]
) -> None:
    case = dispatched(world, categories)
    seen = case.version
    actions.comment(case, actor=world.office, text="先看一下")  # someone else, meanwhile
    r = login(world.user_s1).post(
        _url(case, "feedback"),
        {"version": seen, "unit": world.unit_s1.pk, "text": "已组织清理，恢复整洁"},
    )
    assert r.status_code == 409
    body = r.content.decode()
    assert "其他人刚刚修改了本案件" in body or "Someone else changed this case" in body
    assert "已组织清理，恢复整洁" in body
    assert f'name="version" value="{seen + 1}"' in body  # the page now shows the new version
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_refused_step_shows_the_reason(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    r = login(world.office).post(
        _url(case, "reject"), {"version": case.version, "reason": "不属于受理范围"}
    )
    assert r.status_code == 409
    assert "不能“不予立案”" in r.content.decode() or "is not possible" in r.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DISPATCHED


def test_unit_may_not_take_office_steps(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已处理")
    client = login(world.user_s1)
    audit = AuditEntry.objects.count()
    r = client.post(_url(case, "verify"), {"version": case.version, "do": "pass"})
    assert r.status_code == 403
    assert Case.objects.get(pk=case.pk).status == CaseStatus.FEEDBACK
    assert AuditEntry.objects.count() == audit


def test_dispatch_from_the_page_with_partners_and_deadline(
    world: World, categories: dict[str, Any]
) -> None:
    case = report(world, categories, code="", text="路边有东西")
    due = timezone.localtime() + dt.timedelta(days=3)
    client = login(world.office)
    r = client.post(_url(case, "dispatch"), {"version": case.version, "lead": world.unit_s1.pk})
    assert r.status_code == 400
    assert "立案前请选择案件类别" in r.content.decode() or "Choose a category" in (
        r.content.decode()
    )
    r = client.post(
        _url(case, "dispatch"),
        {
            "version": case.version,
            "category": categories["S0103"].pk,
            "lead": world.unit_s1.pk,
            "partners": [world.line_cg.pk, world.unit_s1.pk],
            "due_at": due.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    assert (case.status, case.category) == (CaseStatus.DISPATCHED, categories["S0103"])
    assert [(a.unit, a.lead) for a in case.assignments.all()] == [
        (world.unit_s1, True),
        (world.line_cg, False),
    ]
    assert timezone.localtime(case.due_at).strftime("%Y-%m-%d %H:%M") == due.strftime(
        "%Y-%m-%d %H:%M"
    )


def test_register_only_button_and_reject_with_reason(world: World, categories: dict[str, Any]):
    a = report(world, categories)
    b = report(world, categories, point="p2", code="S0501")
    client = login(world.office)
    assert client.post(_url(a, "register"), {"version": a.version}).status_code == 302
    assert Case.objects.get(pk=a.pk).status == CaseStatus.REGISTERED
    r = client.post(_url(b, "reject"), {"version": b.version, "reason": ""})
    assert r.status_code == 400 and Case.objects.get(pk=b.pk).status == CaseStatus.REPORTED
    client.post(_url(b, "reject"), {"version": b.version, "reason": "非本辖区问题"})
    b.refresh_from_db()
    assert b.status == CaseStatus.REJECTED
    assert CaseEvent.objects.get(case=b, action="reject").note == "非本辖区问题"


def test_extension_asked_then_granted(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    wanted = timezone.localtime(case.due_at) + dt.timedelta(days=2)
    r = login(world.user_s1).post(
        _url(case, "extension"),
        {
            "version": case.version,
            "new_due_at": wanted.strftime("%Y-%m-%dT%H:%M"),
            "reason": "需协调物业",
        },
    )
    assert r.status_code == 302
    case.refresh_from_db()
    body = login(world.office).get(_url(case)).content.decode()
    assert "decide" in _forms(body) and "需协调物业" in body
    r = login(world.office).post(_url(case, "decide"), {"version": case.version, "do": "grant"})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.extension_count == 1
    assert timezone.localtime(case.due_at).strftime("%m-%d %H:%M") == wanted.strftime("%m-%d %H:%M")
    assert case.extensions.get().status == ExtensionStatus.GRANTED


def test_resume_of_a_case_suspended_before_dispatch_needs_a_unit(
    world: World, categories: dict[str, Any]
) -> None:
    case = report(world, categories)
    actions.register(case, actor=world.office)
    actions.suspend(case, actor=world.office, reason="待改造")
    client = login(world.office)
    r = client.post(_url(case, "resume"), {"version": case.version})
    assert r.status_code == 400
    r = client.post(_url(case, "resume"), {"version": case.version, "lead": world.unit_c1.pk})
    assert r.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED
    assert [a.unit for a in case.assignments.all()] == [world.unit_c1]


def test_timeline_shows_every_step(world: World, categories: dict[str, Any]) -> None:
    case = dispatched(world, categories)
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="第一次处置")
    actions.verify(case, actor=world.office, passed=False, note="不合格")
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="第二次处置")
    actions.verify(case, actor=world.office, passed=True, note="合格")
    body = login(world.office).get(_url(case)).content.decode()
    timeline = body[body.index('id="timeline"') :]
    steps = [
        "ev-report",
        "ev-register",
        "ev-dispatch",
        "ev-feedback",
        "ev-fail",
        "ev-feedback",
        "ev-pass",
    ]
    positions, start = [], 0
    for step in steps:
        start = timeline.index(f'class="{step}"', start) + 1
        positions.append(start)
    assert positions == sorted(positions)
    for note in ("第一次处置", "不合格", "第二次处置", "合格"):
        assert note in timeline
