"""流动红旗 in the browser: an inspector rates a window on a phone (counting taps), then the
office confirms the month's flag on the desktop."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.awards.models import RedFlagAward, RedFlagRating
from tests.awards.conftest import Windows, make_windows
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def windows(world: Any) -> Windows:
    return make_windows(world)


def test_inspector_rates_on_a_phone_and_the_office_confirms_the_flag(
    phone: Any, page: Any, live_server: Any, windows: Windows, password: str
) -> None:
    w = windows
    this = timezone.localdate().replace(day=1)
    w.rate(w.insp2, w.w1, 8, 8, day=this)  # W1: 16
    w.rate(w.insp3, w.w1, 7, 8, day=this)  # W1: 15 → 15.50
    w.rate(w.insp2, w.w2, 9, 9, day=this)  # W2: 18, needs one more rating to qualify
    base = live_server.url

    taps = 0

    def tap(selector: str) -> None:
        nonlocal taps
        phone.click(selector)
        taps += 1

    log_in(phone, base, "inspector", password)
    phone.goto(f"{base}/awards/rate/")
    assert fits(phone)
    shot(phone, "awards-rate-list-375")
    tap("a.aw-target-link:has-text('东华门政务服务中心')")
    phone.wait_for_load_state("networkidle")
    assert fits(phone)
    tap("label[for=d0-10]")
    tap("label[for=d1-9]")
    shot(phone, "awards-rate-form-375")
    tap("button.aw-submit")
    phone.wait_for_load_state("networkidle")
    assert taps == 4  # choose the window, one tap per dimension, save
    assert "已评定 东华门政务服务中心：19/20 分" in phone.inner_text(".messages")
    rating = RedFlagRating.objects.get(inspector=w.world.inspector)
    assert (rating.point, rating.scores, rating.total) == (w.w2, {"A": 10, "B": 9}, 19)

    log_in(page, base, "office", password)
    page.goto(f"{base}/awards/?scheme={w.scheme.code}")
    assert page.inner_text("main table tbody tr >> nth=0").split()[:2] == [
        "1",
        "东华门政务服务中心",
    ]
    shot(page, "awards-standings-1280")
    page.click("button[data-confirm-award]")
    page.wait_for_load_state("networkidle")
    assert "流动红旗已颁发给 1 个获奖对象" in page.inner_text(".messages")
    award = RedFlagAward.objects.get()
    assert (award.point, award.rank, str(award.score)) == (w.w2, 1, "18.50")
    page.goto(f"{base}/awards/board/")
    assert "东华门政务服务中心" in page.inner_text(".aw-winners")
    shot(page, "awards-board-1280")
