"""Where to act first, in the browser: the office ticks two cases on the gap list and reads the
projected score on the what-if page; the gap list fits a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import fits, log_in, shot
from tests.scoring.analysis_data import Month, october
from tests.scoring.conftest import build_scored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def month(world: Any) -> Month:
    return october(world, build_scored(world))


def test_office_ticks_two_cases_and_sees_the_projected_total(
    page: Any, live_server: Any, world: Any, month: Month, password: str
) -> None:
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/scoring/gaps/?period=2026-10")
    assert page.inner_text("main h1").strip() == "失分整改优先"
    first = page.locator("main table tbody tr").first
    assert "无乱停车" in first.inner_text()  # best value per open case first
    page.check(f"input[name=case][value='{month.a.pk}']")
    page.check(f"input[name=case][value='{month.d.pk}']")
    page.locator("button", has_text="测算得分").first.click()
    page.wait_for_load_state("networkidle")
    assert "/scoring/what-if/" in page.url
    # 道路街巷整洁 3/6 → 4/6 of 3 points (+0.5), 无乱停车 1/2 → 2/2 of 2 (+1): 4.00 → 5.50.
    assert page.inner_text("#sa-projected").strip() == "5.50"
    assert page.inner_text("#sa-delta").strip() == "+1.50"
    assert page.is_checked(f"input[name=case][value='{month.a.pk}']")
    shot(page, "score-whatif")


def test_gap_list_fits_a_phone(
    phone: Any, live_server: Any, world: Any, month: Month, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, "office", password)
    phone.goto(f"{base}/scoring/gaps/?period=2026-10")
    assert month.a.number in phone.inner_text("main")
    assert fits(phone)
    shot(phone, "score-gaps-phone")
