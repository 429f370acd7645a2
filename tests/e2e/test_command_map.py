"""挂图指挥 and 动态分析 in a browser: switch the map's layers, open a case's popup, and see the
trend charts drawn — on a desktop and at 375 px."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.cases.models import Case
from tests.command.map_data import s1_case, s2_case, square
from tests.conftest import World
from tests.e2e.conftest import fits, log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


def _setup(world: World, categories: dict[str, Any]) -> tuple[Case, Case]:
    """Street outlines, an overdue case in 东华门 and one in time in 景山 (far enough apart not
    to be clustered at the district's zoom)."""
    world.s1.boundary = square(116.405, 39.925, 0.006)
    world.s1.save()
    world.s2.boundary = square(116.396, 39.938, 0.006)
    world.s2.save()
    now = timezone.now()
    late = s1_case(world, now - dt.timedelta(hours=2), category=categories["S0101"])
    in_time = s2_case(
        world,
        now + dt.timedelta(days=2),
        category=categories["S0201"],
        lat=39.940,
        lng=116.396,
        reported=now - dt.timedelta(days=1),
    )
    return late, in_time


def _layer(page: Any, key: str) -> None:
    """Click the layer control's entry labelled as the page's config names layer ``key``."""
    text = page.evaluate(
        "k => JSON.parse(document.getElementById('map-config').textContent).labels[k]", key
    )
    page.locator(".leaflet-control-layers label", has_text=text).first.click()


def _run(page: Any, base: str, password: str, late: Case, phone: bool) -> None:
    log_in(page, base, "office", password)
    page.goto(f"{base}/command/map/")
    page.wait_for_function("document.getElementById('command-map').dataset.points === '2'")
    if phone:
        page.tap(".leaflet-control-layers-toggle")
    _layer(page, "cases")
    page.wait_for_function("document.getElementById('command-map').dataset.cases === '2'")
    _layer(page, "heat")
    # Both cases were reported within the default 13 weeks.
    page.wait_for_function("document.getElementById('command-map').dataset.heat === '2'")
    assert "2 个问题" in page.inner_text("#heat-range")
    _layer(page, "shadeOverdue")
    page.wait_for_function("document.getElementById('command-map').dataset.shade === 'overdue'")
    _layer(page, "shadeRate")
    page.wait_for_function("document.getElementById('command-map').dataset.shade === 'rate'")
    assert page.locator(".leaflet-cm-shade-pane path").count() >= 2
    if phone:
        page.mouse.click(20, 400)  # close the layer list
    page.locator(f'.cm-case[title="{late.number}"]').click()
    popup = page.locator(".leaflet-popup-content .cm-popup")
    popup.wait_for()
    page.wait_for_function(
        "n => (document.querySelector('.leaflet-popup-content .cm-number') || {}).textContent"
        "?.startsWith(n)",
        arg=late.number,
    )
    text = popup.inner_text()
    assert late.category is not None
    assert late.category.name in text
    assert "超期（督办）" in (page.text_content(".cm-legend") or "")
    if phone:
        assert fits(page, 375)


def test_command_map_layers_and_case_popup(page, live_server, world, categories, password) -> None:
    late, _in_time = _setup(world, categories)
    _run(page, live_server.url, password, late, phone=False)
    shot(page, "e2e-command-map")


def test_command_map_on_a_phone(phone, live_server, world, categories, password) -> None:
    late, _in_time = _setup(world, categories)
    _run(phone, live_server.url, password, late, phone=True)
    shot(phone, "e2e-command-map-phone")


@pytest.mark.parametrize("fixture", ["page", "phone"])
def test_trends_page_draws_its_charts(
    request, fixture, live_server, world, categories, password
) -> None:
    browser_page = request.getfixturevalue(fixture)
    _setup(world, categories)
    log_in(browser_page, live_server.url, "office", password)
    browser_page.goto(f"{live_server.url}/command/trends/")
    for chart in ("chart-periods", "chart-categories", "chart-streets", "chart-units"):
        browser_page.wait_for_selector(f"#{chart} canvas")
    assert browser_page.locator("#chart-compliance canvas").count() == 1
    assert "动态分析" in browser_page.inner_text("h1")
    if fixture == "phone":
        assert fits(browser_page, 375)
    shot(browser_page, f"e2e-command-trends-{fixture}")
