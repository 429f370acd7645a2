"""The appraisal ranking in the browser: the office at 1280 px, a unit's own row on a phone."""

from __future__ import annotations

from typing import Any

import pytest

from tests.appraisal.conftest import build_cases, build_observations
from tests.e2e.conftest import fits, log_in, shot
from tests.scoring.conftest import build_scored

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def month(world: Any) -> Any:
    scored = build_scored(world)
    build_cases(world)
    build_observations(world, scored)
    return scored


def test_office_ranking_at_desktop_width(
    page: Any, live_server: Any, world: Any, month: Any, password: str
) -> None:
    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, base, "office", password)
    page.goto(f"{base}/appraisal/?period=2026-10")
    assert page.inner_text("main h1").strip() == "单位考核"
    rows = page.locator("main table.ap-table >> nth=0 >> tbody tr")
    first = [c.strip() for c in rows.nth(0).locator("td").all_inner_texts()]
    assert first[0] == "1" and first[1].startswith("景山街道办事处") and first[-2] == "92.00"
    assert rows.count() == 3
    assert fits(page, 1280)
    shot(page, "appraisal-office-desktop")
    page.get_by_role("link", name="红黑榜").click()
    page.wait_for_url("**/appraisal/honour/**")
    assert "黑榜" in page.inner_text("main")
    shot(page, "appraisal-honour-desktop")


def test_unit_sees_its_own_row_on_a_phone(
    phone: Any, live_server: Any, world: Any, month: Any, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, "unit_s1", password)
    phone.goto(f"{base}/appraisal/?period=2026-10")
    text = phone.inner_text("main")
    assert "东华门街道办事处" in text and "景山" not in text
    assert phone.locator("main table.ap-table tbody tr").count() == 1
    assert fits(phone)
    shot(phone, "appraisal-unit-phone")
    response = phone.goto(f"{base}/appraisal/units/{world.unit_s2.pk}/?period=2026-10")
    assert response.status == 404
