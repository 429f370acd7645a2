"""Editing a point and importing points through the browser."""

from __future__ import annotations

import pytest

from chuangcheng.core.models import AuditEntry
from chuangcheng.points.models import Point
from tests.e2e.conftest import log_in, shot
from tests.e2e.files import POINT_HEADER, write_csv

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(page, selector: str) -> list[list[str]]:
    rows = page.locator(selector)
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_office_renames_a_point_and_leader_cannot_edit(page, live_server, world, password):
    base = live_server.url
    code = world.p1.code
    log_in(page, base, "office", password)
    page.goto(f"{base}/points/{code}/")
    page.click(f"main a[href='/points/{code}/edit/']")
    page.wait_for_url(f"{base}/points/{code}/edit/")
    assert page.input_value("#id_name") == "多福巷"
    page.fill("#id_name", "多福巷（东段）")
    page.click("main form button.btn-primary")
    page.wait_for_url(f"{base}/points/{code}/")
    assert page.inner_text("main h1").strip() == "多福巷（东段）"
    assert "点位 P00001 已保存。" in page.inner_text("body")
    history = _rows(page, "main table.data tbody tr")
    assert len(history) == 1
    _when, who, event, changed = history[0]
    assert (who, event) == ("office", "修改")  # the audit log records the user name
    assert changed.split("、")[0] == "名称"
    assert Point.objects.get(code=code).name == "多福巷（东段）"
    entry = AuditEntry.objects.get(object_type="points.point", action="update")
    assert (entry.before["name"], entry.after["name"]) == ("多福巷", "多福巷（东段）")
    shot(page, "e2e-point-renamed")

    page.context.clear_cookies()
    log_in(page, base, "leader", password)
    page.goto(f"{base}/points/{code}/")
    assert page.inner_text("main h1").strip() == "多福巷（东段）"
    assert page.locator(f"a[href='/points/{code}/edit/']").count() == 0
    assert page.locator(f"form[action='/points/{code}/active/']").count() == 0


def test_points_import_with_bad_file_lists_problems_and_writes_nothing(
    page, live_server, world, password, tmp_path
):
    base = live_server.url
    bad = write_csv(
        tmp_path / "bad.csv",
        POINT_HEADER,
        [
            ["新点", "背街小巷", "", "abc", "39.92", "东华门街道", "东华门街道办事处", "", ""],
            ["另一点", "无此类型", "", "116.41", "39.92", "无此街道", "东华门街道办事处", "", ""],
        ],
    )
    entries = AuditEntry.objects.count()
    log_in(page, base, "office", password)
    page.goto(f"{base}/points/import/")
    page.set_input_files("#id_file", str(bad))
    page.click("main form button.btn-primary")
    page.wait_for_load_state("networkidle")
    assert page.url == f"{base}/points/import/"
    assert "3 个问题，未写入任何数据" in page.inner_text("main")
    assert _rows(page, "main table.data tbody tr") == [
        ["2", "D 经度", "“abc”不是数字。"],
        ["3", "B 类型", "未知的点位类型“无此类型”。"],
        ["3", "F 街道", "未知的街道“无此街道”。"],
    ]
    assert sorted(Point.objects.values_list("code", flat=True)) == ["P00001", "P00002"]
    assert AuditEntry.objects.exclude(action="login").count() == entries
    shot(page, "e2e-points-import-problems")


def test_renaming_a_point_keeps_its_community(page, live_server, world, password):
    base = live_server.url
    code = world.p1.code
    log_in(page, base, "office", password)
    page.goto(f"{base}/points/{code}/edit/")
    page.fill("#id_name", "多福巷（东段）")
    page.click("main form button.btn-primary")
    page.wait_for_url(f"{base}/points/{code}/")
    assert Point.objects.get(code=code).region == world.c1
    assert page.locator("main table.data tbody tr td").nth(3).inner_text() == "名称"
