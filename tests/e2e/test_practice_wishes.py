"""微心愿 in the browser at 375 px (issue 8's done criterion): a resident makes a wish on a
phone, the station approves it, a volunteer claims it on the wish wall in two taps and fulfils it
with a photo, and the resident rates it. Every page fits the phone's width; the wall never shows
the beneficiary's name or phone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Wish
from tests.e2e.conftest import fits, log_in, shot
from tests.images import jpeg
from tests.practice.conftest import pw  # noqa: F401  (the fixture, used below)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def phones(browser: Any, live_server: Any, migration_data: None) -> Iterator[Any]:
    """A new 375 px phone (its own cookies) per person."""
    contexts: list[Any] = []

    def open_phone() -> Any:
        context = browser.new_context(
            locale="zh-CN",
            viewport={"width": 375, "height": 812},
            device_scale_factor=2,
            is_mobile=True,
            has_touch=True,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_phone
    for context in contexts:
        context.close()


def test_wish_from_phone_to_rating(
    phones: Any,
    live_server: Any,
    pw: Any,  # noqa: F811
    password: str,
) -> None:
    base = live_server.url

    # The resident makes a wish on her phone.
    resident = phones()
    log_in(resident, base, "res1", password)
    resident.goto(f"{base}/practice/wishes/new/")
    assert fits(resident)
    resident.fill("#id_title", "想要一台收音机")
    resident.fill("#id_description", "一个人在家，想听听戏曲")
    resident.fill("#id_beneficiary_name", "王大妈")
    resident.fill("#id_beneficiary_phone", "13700000001")
    resident.check("#id_notice")
    shot(resident, "practice-wish-new-375")
    resident.click("button:has-text('提交心愿')")
    resident.wait_for_load_state("networkidle")
    assert "心愿已提交，实践站会尽快审核。" in resident.inner_text(".messages")
    assert "待审核" in resident.inner_text(".pagehead")
    assert fits(resident)
    wish = Wish.objects.get()

    # 东华门街道办 (staff over the station) approves it from the list, on a phone too.
    staff = phones()
    log_in(staff, base, "unit_s1", password)
    staff.goto(f"{base}/practice/wishes/manage/")
    assert fits(staff)
    shot(staff, "practice-wish-manage-375")
    staff.click(f"form[action='/practice/wishes/{wish.pk}/publish/'] button")
    staff.wait_for_load_state("networkidle")
    assert f"心愿 {wish.code} 已发布到心愿墙。" in staff.inner_text(".messages")

    # The volunteer claims it on the wall: two taps.
    volunteer = phones()
    log_in(volunteer, base, "vol1", password)
    volunteer.goto(f"{base}/practice/wishes/")
    assert fits(volunteer)
    card = volunteer.locator(f"#wish-{wish.pk}")
    text = card.inner_text()
    assert "想要一台收音机" in text and "多福巷社区" in text
    wall = volunteer.content()
    assert "王大妈" not in wall and "13700000001" not in wall and "137****0001" not in wall
    shot(volunteer, "practice-wish-wall-375")
    card.locator("summary").tap()
    card.locator("button:has-text('确认认领')").tap()
    volunteer.wait_for_load_state("networkidle")
    assert "已认领" in volunteer.inner_text(".pagehead")
    assert fits(volunteer)

    # … and fulfils it with a photo.
    volunteer.fill("#id_note", "已送去收音机一台，并教会使用")
    volunteer.set_input_files(
        "#id_photos", {"name": "radio.jpg", "mimeType": "image/jpeg", "buffer": jpeg()}
    )
    shot(volunteer, "practice-wish-fulfil-375")
    volunteer.click("button:has-text('确认圆梦')")
    volunteer.wait_for_load_state("networkidle")
    assert "已登记圆梦，谢谢！" in volunteer.inner_text(".messages")
    assert volunteer.locator("#evidence img").count() == 1
    assert fits(volunteer)

    # The resident rates it.
    resident.goto(f"{base}/practice/wishes/{wish.pk}/")
    assert "已圆梦" in resident.inner_text(".pagehead")
    resident.locator("#rate label:has-text('5 ★')").tap()
    resident.fill("#id_comment", "谢谢志愿者！")
    resident.click("button:has-text('提交评价')")
    resident.wait_for_load_state("networkidle")
    assert "感谢您的评价。" in resident.inner_text(".messages")
    assert "★★★★★" in resident.inner_text("#rating")
    assert fits(resident)
    shot(resident, "practice-wish-rated-375")
    wish.refresh_from_db()
    assert (wish.status, wish.rating, wish.claimed_by) == (WishStatus.RATED, 5, pw.vol1_user)
    assert wish.photos.count() == 1
