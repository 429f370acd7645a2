"""The figures page, its drill-down and a bulletin download, in the browser (desktop and phone)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from chuangcheng.core.models import AuditEntry
from tests.cases import bulletin_fixtures
from tests.e2e.conftest import log_in, shot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def month(world: Any, categories: Any, settings: Any, tmp_path: Path) -> Any:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return bulletin_fixtures.build(world, categories)


def _cells(page: Any, selector: str) -> list[list[str]]:
    rows = page.locator(selector)
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_office_reads_figures_drills_down_and_downloads_a_bulletin(
    page: Any, live_server: Any, world: Any, month: Any, password: str, tmp_path: Path
) -> None:
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/cases/figures/?period=2026-11")
    assert page.inner_text("main h1").strip() == "单位考核数据"
    units = _cells(page, "main table.fg-table >> nth=0 >> tbody tr")
    names = [row[1] for row in units]
    assert set(names) == {
        "区城管委",
        "区市场监管局",
        "区园林绿化局",
        "东华门街道办事处",
        "景山街道办事处",
        "交道口街道办事处",
        "北新桥街道办事处",
    }
    streets = _cells(page, "main table.fg-table >> nth=1 >> tbody tr")
    assert [row[0] for row in streets] == ["东华门街道", "景山街道", "交道口街道", "北新桥街道"]
    shot(page, "figures-office-desktop")

    # The overdue count of the first street opens exactly those cases.
    first_street_overdue = int(streets[0][9])
    page.locator(
        "main table.fg-table >> nth=1 >> tbody tr >> nth=0 >> a[href*='figure=overdue']"
    ).click()
    page.wait_for_url("**/cases/figures/cases/**")
    assert page.locator("main table.data tbody tr").count() == first_street_overdue
    shot(page, "figures-drilldown-desktop")

    page.goto(f"{base}/cases/figures/bulletin/")
    page.fill("#id_period", "2026-11")
    page.fill("#id_number", "东城区文明办〔2026〕第11期")
    page.fill("#id_title", "关于2026年11月城市管理问题督查整改情况的通报")
    shot(page, "bulletin-form-desktop")
    with page.expect_download() as download:
        page.click("button[value=pdf]")
    path = tmp_path / "bulletin.pdf"
    download.value.save_as(path)
    assert download.value.suggested_filename == "bulletin-2026-11-110101.pdf"
    assert path.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "东城区文明办〔2026〕第11期" in text
    assert AuditEntry.objects.filter(action="export", note="bulletin.pdf").count() == 1


def test_unit_on_a_phone_sees_its_own_row(
    phone: Any, live_server: Any, world: Any, month: Any, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, "unit_s1", password)
    phone.goto(f"{base}/cases/figures/?period=2026-11")
    rows = phone.locator("main table.fg-table tbody tr")
    assert rows.count() == 1
    text = rows.nth(0).inner_text()
    assert "东华门街道办事处" in text and "景山" not in phone.inner_text("main")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, width
    shot(phone, "figures-unit-phone")
    phone.goto(f"{base}/cases/figures/unit/{world.unit_s1.pk}/?period=2026-11")
    assert phone.inner_text("main h1").strip() == "东华门街道办事处"
    shot(phone, "figures-unit-history-phone")
    response = phone.goto(f"{base}/cases/figures/unit/{world.unit_s2.pk}/")
    assert response.status == 404


def test_office_on_a_phone(
    phone: Any, live_server: Any, world: Any, month: Any, password: str
) -> None:
    base = live_server.url
    log_in(phone, base, "office", password)
    phone.goto(f"{base}/cases/figures/?period=2026-11")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "figures-office-phone")
    phone.goto(f"{base}/cases/figures/bulletin/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    shot(phone, "bulletin-form-phone")
