"""More pages on a 375 px phone: detail, import, audit and print pages fit the screen."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import log_in, shot
from tests.e2e.files import POINT_HEADER, write_csv

pytestmark = pytest.mark.django_db(transaction=True)

WIDTH = 375


def _width(phone) -> int:
    phone.wait_for_load_state("networkidle")
    return phone.evaluate("document.documentElement.scrollWidth")


def _visit(phone, base: str, pages: list[tuple[str, str]]) -> list[tuple[str, int]]:
    too_wide = []
    for name, path in pages:
        response = phone.goto(base + path)
        assert response.status == 200, path
        width = _width(phone)
        if width > WIDTH:
            too_wide.append((path, width))
        shot(phone, f"phone-{name}")
    return too_wide


def test_office_pages_fit_a_phone(phone, live_server, world, password, tmp_path) -> None:
    base = live_server.url
    log_in(phone, base, "office", password)
    too_wide = _visit(
        phone,
        base,
        [
            ("unit", f"/units/{world.unit_s1.code}/"),
            ("region", f"/regions/{world.s1.code}/"),
            ("framework-import", "/frameworks/import/"),
            ("points-import", "/points/import/"),
            ("user", f"/accounts/users/{world.user_s1.pk}/"),
            ("point-print", f"/points/{world.p1.code}/print/"),
        ],
    )
    # The problem table of an import is a wide table: it must stack on a phone too.
    bad = write_csv(
        tmp_path / "bad.csv",
        POINT_HEADER,
        [["", "无此类型", "", "abc", "99", "无此街道", "无此单位", "无此部门", ""]],
    )
    phone.goto(f"{base}/points/import/")
    phone.set_input_files("#id_file", str(bad))
    phone.click("main form button.btn-primary")
    phone.wait_for_url(f"{base}/points/import/")
    assert phone.locator("main table.data tbody tr").count() == 7
    width = _width(phone)
    if width > WIDTH:
        too_wide.append(("/points/import/ (problems)", width))
    shot(phone, "phone-points-import-problems")
    assert too_wide == []


def test_audit_log_fits_a_phone(phone, live_server, world, password) -> None:
    base = live_server.url
    log_in(phone, base, "auditor", password)
    assert _visit(phone, base, [("audit", "/audit/")]) == []
    assert "auditor" in phone.inner_text("main")
