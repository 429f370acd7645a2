"""A case from an inspection finding to closing, in the browser: the unit reports handling on
a 375 px phone with an after-photo, the office's re-check fails (返工, counted), the unit
reports again, the office passes it (结案); the timeline shows every step."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.domain.photos import store_photo
from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, Photo
from tests.e2e.conftest import fits, log_in, shot
from tests.images import jpeg

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def finding(world: Any, categories: dict[str, Any], settings: Any, tmp_path: Path) -> Case:
    """What an inspection round produces: a case at the point with its photo, dispatched."""
    settings.MEDIA_ROOT = tmp_path / "media"
    before = store_photo(jpeg((120, 90, 60)), actor=world.inspector, name="before.jpg")
    case = create_case(
        CaseData(
            source=CaseSource.INSPECTION,
            description="多福巷口垃圾堆放，未及时清运",
            category=categories["S0101"],
            point=world.p1,
            photos=[before],
        ),
        actor=world.inspector,
    )
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    return case


def report_handling(phone: Any, base: str, case: Case, text: str, photo: Path) -> None:
    phone.goto(f"{base}/cases/")
    assert fits(phone)
    phone.click(f"section.cs-todo >> text={case.number}")
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    assert phone.get_attribute("#photos-feedback", "capture") == "environment"
    assert phone.get_attribute("#photos-feedback", "multiple") is not None
    phone.fill("#id_feedback_text", text)
    phone.set_input_files("#photos-feedback", str(photo))
    phone.click("#act-feedback button.btn-primary")
    phone.wait_for_load_state("networkidle")
    assert phone.inner_text("h1 .cs-status") == "待核查"


def recheck(page: Any, base: str, case: Case, *, passed: bool, note: str = "") -> None:
    page.goto(f"{base}/cases/{case.pk}/")
    if note:
        page.fill("#id_verify_note", note)
    page.click(f"#act-verify button[value={'pass' if passed else 'fail'}]")
    page.wait_for_load_state("networkidle")


def test_unit_on_a_phone_and_office_take_a_case_to_closing(
    page: Any,
    phone: Any,
    live_server: Any,
    world: Any,
    finding: Case,
    password: str,
    tmp_path: Path,
) -> None:
    base = live_server.url
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg((40, 160, 60)))
    log_in(phone, base, world.user_s1.username, password)
    log_in(page, base, world.office.username, password)

    report_handling(phone, base, finding, "已组织保洁人员清理", after)
    shot(phone, "case-after-feedback-phone")

    recheck(page, base, finding, passed=False, note="墙角仍有垃圾残留")
    assert page.inner_text("h1 .cs-status") == "返工中"
    assert "返工 1" in page.inner_text("h1")

    report_handling(phone, base, finding, "已彻底清理并冲洗地面", after)

    recheck(page, base, finding, passed=True)
    assert page.inner_text("h1 .cs-status") == "已结案"
    shot(page, "case-closed-desktop")

    events = page.eval_on_selector_all("#timeline li", "els => els.map(e => e.className)")
    assert events == [
        "ev-report",
        "ev-register",
        "ev-dispatch",
        "ev-feedback",
        "ev-fail",
        "ev-feedback",
        "ev-pass",
    ]
    timeline = page.inner_text("#timeline")
    for text in ("已组织保洁人员清理", "墙角仍有垃圾残留", "已彻底清理并冲洗地面"):
        assert text in timeline
    case = Case.objects.get(pk=finding.pk)
    assert (case.status, case.rework_count, case.closed_on_time) == (CaseStatus.CLOSED, 1, True)
    assert Photo.objects.filter(case=case, stage="after").count() == 2
    photos = page.eval_on_selector_all(".cs-photos img", "els => els.map(e => e.alt)")
    assert len(photos) == 3  # the report photo and two after-photos, side by side


def test_case_pages_fit_a_phone(
    phone: Any, live_server: Any, world: Any, finding: Case, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, world.office.username, password)
    for name, path in (
        ("list", "/cases/"),
        ("intake", "/cases/intake/"),
        ("map", "/cases/map/"),
        ("detail", f"/cases/{finding.pk}/"),
    ):
        assert phone.goto(base + path).status == 200
        phone.wait_for_load_state("networkidle")
        assert fits(phone)
        shot(phone, f"phone-cases-{name}")
    phone.goto(base + "/cases/map/")
    phone.wait_for_function("document.getElementById('cases-map').dataset.count === '1'")
