"""A whole round in the browser: the office plans and opens it; the inspector, on a 375 px
phone with a fake position, records a failure with a photo; a case goes to the point's unit,
which reports handling on its phone; the office's re-check fails (返工), the unit reports again,
the re-check passes (结案). Then a phone that has lost its network: kept, shown as waiting,
sent once."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Inspection, Observation, Round, RoundPoint
from tests.e2e.conftest import fits, log_in, shot
from tests.e2e.test_case_flow import recheck, report_handling
from tests.images import jpeg
from tests.inspections.conftest import Checklist, build_checklist, inspector, use_media
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db(transaction=True)

POSITION = {"longitude": 116.4051, "latitude": 39.9251}
ROUND_PAGE = re.compile(r"/inspections/rounds/\d+/$")


@pytest.fixture
def fw(world: Any) -> Checklist:
    return build_checklist(world)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    return use_media(settings, tmp_path)


def _phone(browser: Any) -> Any:
    context = browser.new_context(
        locale="zh-CN",
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        geolocation={**POSITION, "accuracy": 12},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "shutter.jpg"
    path.write_bytes(jpeg("orange", (640, 480)))
    return path


def _wait_until_kept(page: Any, url: str) -> None:
    """Poll the service worker's page cache until it holds ``url``."""
    kept = """async (url) => { const c = await caches.open('cc-field-pages');
                return !!(await c.match(url, {ignoreVary: true})); }"""
    for _ in range(100):
        if page.evaluate(kept, url):
            return
        page.wait_for_timeout(100)
    pytest.fail(f"{url} was not kept by the service worker")


def test_whole_round_from_plan_to_closed_case(
    browser,
    page,
    live_server,
    world,
    fw,
    categories,
    media,
    password,
    tmp_path,
) -> None:
    base = live_server.url
    walker = inspector("w1", world.district, home=world.s2)

    # The office plans the round in the browser.
    log_in(page, base, "office", password)
    page.goto(f"{base}/inspections/rounds/")
    shot(page, "insp-rounds-empty")
    page.click("text=安排督查轮次")
    page.wait_for_url(f"{base}/inspections/rounds/new/")
    page.fill("#id_name", "11月背街小巷督查")
    page.check("input[name=kind][value=routine]")
    page.select_option("#id_region", str(world.s1.pk))
    page.wait_for_function(
        "document.querySelector('#round-dynamic').textContent.includes('东华门街道')"
    )
    page.fill(f"#id_quota_{world.alley.pk}", "1")
    page.check(f"input[name=inspectors][value='{walker.pk}']")
    shot(page, "insp-round-form")
    page.click("button:has-text('保存并抽取')")
    page.wait_for_url(ROUND_PAGE)
    assert "已抽取 1 个点位。" in page.inner_text("body")
    round_ = Round.objects.get()
    assert round_.region == world.s1 and round_.status == RoundStatus.DRAFT
    (rp,) = RoundPoint.objects.filter(round=round_).select_related("point")
    assert rp.point == world.p1 and rp.inspector == walker  # s1 has one alley: 多福巷
    shot(page, "insp-round-draft")
    page.click("button:has-text('下发给督查员')")
    page.wait_for_load_state("networkidle")
    assert Round.objects.get().status == RoundStatus.OPEN
    shot(page, "insp-round-open")

    # The inspector, on a phone at 多福巷.
    phone = _phone(browser)
    log_in(phone, base, "w1", password)
    phone.goto(f"{base}/inspections/field/")
    assert fits(phone)
    shot(phone, "insp-phone-my-rounds")
    phone.click("text=11月背街小巷督查")
    phone.wait_for_selector("[data-distance]:not(:empty)")
    # 0.0001° north ≈ 11.1 m and 0.0001° east ≈ 8.5 m at 39.9°N: √(11.1² + 8.5²) ≈ 14 m.
    assert phone.inner_text("[data-distance]") == "距离 14 m"
    assert fits(phone)
    shot(phone, "insp-phone-round")
    phone.click("#tab-map")
    phone.wait_for_selector("#fd-map canvas")  # markers are drawn on a canvas
    phone.wait_for_timeout(300)
    shot(phone, "insp-phone-map")
    phone.click("#tab-list")
    phone.click("text=多福巷")
    phone.wait_for_selector("[data-position].ok")
    assert phone.inner_text("[data-position]") == "已定位 ±12 米"
    assert fits(phone)
    shot(phone, "insp-phone-checklist")

    # Four taps record a failure with a photo:
    item = phone.locator(f"fieldset[data-clause='{fw.posters.pk}']")
    item.locator("label.fd-fail").click()  # tap 1: 不符合 (the camera button appears)
    camera = item.locator("input[data-photo]")
    assert camera.get_attribute("capture") == "environment"
    # taps 2 and 3: 拍照 opens the camera, the shutter takes the picture (set_input_files).
    camera.set_input_files(str(_photo(tmp_path)))
    assert item.locator(".fd-thumb img").count() == 1
    item.locator("[data-note]").fill("东口墙面有小广告")
    shot(phone, "insp-phone-failed-item")
    phone.click("button.fd-submit")  # tap 4: 提交
    phone.wait_for_url(f"{base}/inspections/field/rounds/{round_.pk}/")
    shot(phone, "insp-phone-round-after")

    inspection = Inspection.objects.get()
    assert inspection.inspector == walker
    assert (float(inspection.lng), float(inspection.lat), inspection.accuracy_m) == (
        116.4051,
        39.9251,
        12,
    )
    (observation,) = Observation.objects.all()  # the other item was left unmarked
    case = Case.objects.get(pk=observation.case_id)
    assert case.status == CaseStatus.DISPATCHED and case.due_at is not None
    assert case.description == "2 无乱贴乱画，无小广告\n东口墙面有小广告"
    lead = CaseAssignment.objects.get(case=case, lead=True)
    assert lead.unit == world.p1.territorial_unit == world.unit_c1
    assert observation.photos.count() == 1 and case.photos.count() == 1

    # The office sees the result with the photo and the link to the case.
    page.goto(f"{base}/inspections/rounds/{round_.pk}/results/")
    assert page.locator(f"a[href='/cases/{case.pk}/']").inner_text() == case.number
    assert page.locator("main table img").count() == 1
    shot(page, "insp-round-results")
    phone.context.close()

    # The unit answering for 多福巷 (the street office, over its 居委会) handles it on a phone.
    unit_phone = _phone(browser)
    log_in(unit_phone, base, world.user_s1.username, password)
    after = tmp_path / "after.jpg"
    after.write_bytes(jpeg("green", (640, 480)))
    report_handling(unit_phone, base, case, "已清除墙面小广告", after)
    recheck(page, base, case, passed=False, note="东口仍有一处小广告")
    assert page.inner_text("h1 .cs-status") == "返工中"
    report_handling(unit_phone, base, case, "已全部清除并粉刷", after)
    recheck(page, base, case, passed=True)
    assert page.inner_text("h1 .cs-status") == "已结案"
    case.refresh_from_db()
    assert (case.status, case.rework_count, case.closed_on_time) == (CaseStatus.CLOSED, 1, True)
    unit_phone.context.close()


def test_offline_submission_is_kept_and_sent_once(
    browser,
    live_server,
    world,
    fw,
    categories,
    media,
    password,
    tmp_path,
) -> None:
    base = live_server.url
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, quotas={world.alley.pk: 1}, inspectors=[walker])
    planning.open_round(round_, actor=world.office)
    rp = RoundPoint.objects.get(round=round_)

    phone = _phone(browser)
    log_in(phone, base, "w1", password)
    phone.goto(f"{base}/inspections/field/rounds/{round_.pk}/")
    # The service worker takes over and keeps the round's pages.
    phone.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    point_url = f"/inspections/field/points/{rp.pk}/"
    _wait_until_kept(phone, point_url)

    phone.context.set_offline(True)
    phone.goto(base + point_url)  # served by the service worker from its cache
    assert phone.inner_text("main h1") == "多福巷"
    assert fits(phone)
    item = phone.locator(f"fieldset[data-clause='{fw.clean.pk}']")
    item.locator("label.fd-fail").click()
    item.locator("input[data-photo]").set_input_files(str(_photo(tmp_path)))
    phone.click("[data-rest]")
    phone.click("button.fd-submit")
    phone.wait_for_selector("[data-outbox]:not([hidden])")
    assert phone.inner_text("[data-outbox-count]") == "待上传 1"
    assert "已保存在本机" in phone.inner_text("[data-outcome]")
    shot(phone, "insp-phone-offline-pending")
    assert Inspection.objects.count() == 0

    phone.context.set_offline(False)  # the browser says "online": the outbox sends
    phone.wait_for_selector("[data-outbox]", state="hidden")
    shot(phone, "insp-phone-offline-synced")
    inspection = Inspection.objects.get()
    assert inspection.round_point == rp
    assert sorted(Observation.objects.values_list("clause_id", "result")) == sorted(
        [(fw.clean.pk, "fail"), (fw.posters.pk, "pass")]
    )
    assert Case.objects.count() == 1
    # Sending again (a timer, a reload) stores nothing twice.
    phone.evaluate("ccOutbox.flush()")
    phone.reload()
    phone.wait_for_load_state("networkidle")
    assert (Inspection.objects.count(), Case.objects.count()) == (1, 1)
    phone.context.close()
