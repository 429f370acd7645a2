"""Each role opens its dashboard and sees real figures; the big screen draws its charts and
refreshes once (issue 5, DONE criterion), on a desktop and at 375 px."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from chuangcheng.command.domain.targets import set_target
from tests.command.boards_data import build
from tests.conftest import World
from tests.e2e.conftest import fits, log_in, shot
from tests.scoring.conftest import build_scored
from tests.scoring.pages_data import october

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(world: World) -> World:
    scored = build_scored(world)
    october(world, scored)
    set_target(actor=world.office, framework=scored.framework, region=world.district, rate="80")
    build(world, timezone.now())
    return world


def figure(page: Any, panel: str, name: str) -> str:
    return page.inner_text(f'[data-panel="{panel}"] [data-figure="{name}"]').strip()


@pytest.mark.parametrize("device", ["page", "phone"])
def test_leader_sees_scores_and_cases(
    request: pytest.FixtureRequest, live_server: Any, data: World, password: str, device: str
) -> None:
    page = request.getfixturevalue(device)
    base = live_server.url
    log_in(page, base, "leader", password)
    page.goto(f"{base}/?period=2026-10")
    assert figure(page, "command.leader_score", "projected") == "5.94"
    assert figure(page, "command.leader_score", "rate") == "59.38%"
    assert figure(page, "command.leader_score", "target") == "80.00%"
    assert figure(page, "command.leader_cases", "open") == "8"
    assert figure(page, "command.leader_cases", "overdue") == "2"
    # The trends draw with ECharts.
    page.wait_for_selector('[data-source="chart-cases-month"] canvas')
    assert fits(page, page.viewport_size["width"])
    shot(page, f"boards-leader-{device}")
    page.click('[data-panel="command.leader_cases"] [data-figure="overdue"]')
    page.wait_for_load_state("networkidle")
    assert "/cases/?overdue=1" in page.url
    assert "2 件案件" in page.inner_text("main") or "2 cases" in page.inner_text("main")


@pytest.mark.parametrize("device", ["page", "phone"])
def test_office_sees_its_work_queues(
    request: pytest.FixtureRequest, live_server: Any, data: World, password: str, device: str
) -> None:
    page = request.getfixturevalue(device)
    base = live_server.url
    log_in(page, base, "office", password)
    assert page.inner_text(".board-tabs [aria-current]") == "文明办视图"
    figures = {
        k: figure(page, "command.office_queues", k)
        for k in ("intake", "overdue", "review", "extension")
    }
    assert figures == {"intake": "3", "overdue": "2", "review": "1", "extension": "1"}
    assert figure(page, "command.basic_data", "points") == "2"
    assert fits(page, page.viewport_size["width"])
    shot(page, f"boards-office-{device}")
    page.click('[data-panel="command.office_queues"] [data-figure="extension"]')
    page.wait_for_load_state("networkidle")
    assert "extension=1" in page.url
    assert page.locator("table.cs-table tbody tr").count() == 1


@pytest.mark.parametrize("device", ["page", "phone"])
def test_unit_sees_only_its_cases(
    request: pytest.FixtureRequest, live_server: Any, data: World, password: str, device: str
) -> None:
    page = request.getfixturevalue(device)
    base = live_server.url
    log_in(page, base, "unit_s1", password)
    rows = page.locator('[data-panel="command.unit_cases"] tbody tr')
    assert rows.count() == 2
    assert "东华门街道办事处" in rows.nth(0).inner_text()
    body = page.inner_text("main")
    assert "景山" not in body
    assert fits(page, page.viewport_size["width"])
    shot(page, f"boards-unit-{device}")
    assert page.goto(f"{base}/board/leader/").status == 404


@override_settings(SCREEN_REFRESH_SECONDS=2)
@pytest.mark.parametrize("device", ["page", "phone"])
def test_big_screen_draws_and_refreshes(
    request: pytest.FixtureRequest, live_server: Any, data: World, password: str, device: str
) -> None:
    page = request.getfixturevalue(device)
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/command/screen/?period=2026-10")
    for chart in ("c-gauge", "c-day", "c-streets", "c-month", "c-units"):
        page.wait_for_selector(f"#{chart} canvas")
    page.wait_for_selector(
        "#c-map path.leaflet-interactive", state="attached"
    ) if data.district.boundary else None
    assert page.inner_text('[data-k="totals.open"]') == "8"
    # A new case shows after the next refresh, without reloading the page.
    from tests.cases.figures_fixtures import make_case

    make_case(data.c2, None, status="reported", reported=timezone.now())
    page.wait_for_selector('#screen[data-refreshes="1"]', state="attached", timeout=20_000)
    assert page.inner_text('[data-k="totals.open"]') == "9"
    assert fits(page, page.viewport_size["width"])
    shot(page, f"boards-screen-{device}")
