"""Scores in the browser: the office opens the overview at 1280 px, drills from a project down
to a clause and sees an observation with the case it produced; a unit user at 375 px sees its
own tree."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Observation
from tests.cases.workflow_helpers import report
from tests.e2e.conftest import fits, log_in, shot
from tests.scoring.conftest import build_scored
from tests.scoring.pages_data import PERIOD, october

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_drills_down_to_an_observation_and_its_case(
    page: Any, live_server: Any, world: Any, categories: dict[str, Any], password: str
) -> None:
    scored = build_scored(world)
    october(world, scored)
    case = report(world, categories)
    Observation.objects.filter(clause=scored.clean_posters, result=Result.FAIL).update(case=case)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server.url, "office", password)
    page.goto(f"{live_server.url}/scoring/?period={PERIOD}")
    assert page.locator(".sc-framework > details > summary .sc-score").inner_text() == "4.75"
    assert page.locator(".sc-untested").first.is_visible()
    shot(page, "scores-overview")
    page.click("text=公共环境")
    page.wait_for_load_state("networkidle")
    assert "3.75" in page.locator(".sc-stats").inner_text()
    page.click(".sc-children >> text=市容环境")
    page.wait_for_load_state("networkidle")
    page.click(".sc-children >> text=道路街巷整洁")
    page.wait_for_load_state("networkidle")
    assert "2.25" in page.locator(".sc-stats").inner_text()
    assert "合格率 × 分值" in page.content()
    rows = page.locator(".sc-obs tbody tr")
    assert rows.count() == 4
    failed = page.locator(".sc-obs tr.sc-obs-fail")
    assert "多福巷" in failed.inner_text()
    shot(page, "scores-clause")
    failed.locator(f"text={case.number}").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/cases/{case.pk}/")


def test_unit_user_sees_its_tree_on_a_phone(
    phone: Any, live_server: Any, world: Any, password: str
) -> None:
    scored = build_scored(world)
    october(world, scored)
    log_in(phone, live_server.url, "unit_s2", password)
    phone.goto(f"{live_server.url}/scoring/?period={PERIOD}")
    assert "1.5" in phone.locator(".sc-framework > details > summary .sc-score").inner_text()
    assert "景山" in phone.locator(".sc-treecard h2").inner_text()
    assert "多福巷" not in phone.content()
    assert fits(phone)
    shot(phone, "scores-unit-phone")
