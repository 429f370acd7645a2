"""The office imports an indicator framework through the browser; units read it."""

from __future__ import annotations

import pytest

from chuangcheng.frameworks.models import Framework, Node
from tests.e2e.conftest import log_in, shot
from tests.e2e.files import write_csv
from tests.frameworks.helpers import HEADER as FRAMEWORK_HEADER

pytestmark = pytest.mark.django_db(transaction=True)

BAD_ROWS = [
    [
        "公共环境",
        "市容环境",
        "道路街巷整洁",
        "路面平整",
        "飞行检查",
        "2",
        "区城管委",
        "",
        "背街小巷",
    ],
    [None, None, None, "无乱贴乱画", "实地考察", "abc", "区城管委", "", "背街小巷"],
]
GOOD_ROWS = [
    [
        "公共环境",
        "市容环境",
        "道路街巷整洁",
        "路面平整，无垃圾",
        "实地考察",
        "2",
        "区城管委",
        "区市场监管局",
        "背街小巷",
    ],
    [
        None,
        None,
        None,
        "无乱贴乱画",
        "实地考察、材料审核",
        "1.5",
        "区城管委",
        "",
        "背街小巷、农贸市场",
    ],
    [None, None, "农贸市场环境", "划行归市", "实地考察", "3", "区市场监管局", "", "农贸市场"],
]


def _problem_rows(page) -> list[list[str]]:
    rows = page.locator("table.fw-problems tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("td").all_inner_texts()]
        for i in range(rows.count())
    ]


def test_import_bad_then_good_file_and_unit_reads_it(page, live_server, world, password, tmp_path):
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/frameworks/")
    page.click("main a[href='/frameworks/import/']")
    page.wait_for_url(f"{base}/frameworks/import/")

    # A file with an unknown method (row 2) and a score that is no number (row 3).
    page.set_input_files(
        "#id_file", str(write_csv(tmp_path / "bad.csv", FRAMEWORK_HEADER, BAD_ROWS))
    )
    with page.expect_navigation() as nav:
        page.click("main form button.btn-primary")
    assert nav.value.status == 422
    assert "2 个问题，未导入任何内容" in page.inner_text("main section.card h2")
    assert _problem_rows(page) == [
        [
            "2",
            "E（测评方法）",
            "“飞行检查”不是测评方法；请填写材料审核、实地考察、问卷调查或网上申报。",
        ],
        ["3", "F（分值）", "“abc”不是有效分值（应为 2 或 1.5 这样的数字）。"],
    ]
    assert Framework.objects.count() == 0
    assert Node.objects.count() == 0
    shot(page, "e2e-framework-import-problems")

    # The good file, under a chosen code and name, put in force at once.
    good = write_csv(tmp_path / "good.csv", FRAMEWORK_HEADER, GOOD_ROWS)
    page.set_input_files("#id_file", str(good))
    page.fill("#id_code", "DC-E2E")
    page.fill("#id_name", "东城区测评体系")
    page.check("#id_activate")
    page.click("main form button.btn-primary")
    framework = Framework.objects.get()
    page.wait_for_url(f"{base}/frameworks/{framework.pk}/")
    assert (framework.code, framework.version, framework.status) == ("DC-E2E", 1, "active")
    assert "已导入 东城区测评体系 第 1 版，共 3 条测评标准。" in page.inner_text("body")
    assert page.inner_text("main h1") == "东城区测评体系"
    # Contents are folded (closed <details>): read the text, not what is rendered.
    assert page.locator(".fw-tree .fw-text").all_text_contents() == [
        "路面平整，无垃圾",
        "无乱贴乱画",
        "划行归市",
    ]
    assert page.locator(".fw-tree .fw-num").all_text_contents() == [
        "1",
        "1.1",
        "1.1.1",
        "1.1.1.1",
        "1.1.1.2",
        "1.1.2",
        "1.1.2.1",
    ]
    assert page.locator(".stats .stat .value").first.inner_text() == "6.50"
    # The office manages it: new version and archive (already in force: no "put in force").
    assert page.locator(f"form[action='/frameworks/{framework.pk}/new-version/']").count() == 1
    assert page.locator(f"form[action='/frameworks/{framework.pk}/activate/']").count() == 0
    shot(page, "e2e-framework-tree")

    # A street unit reads the same tree but manages nothing.
    page.context.clear_cookies()
    log_in(page, base, "unit_s1", password)
    page.goto(f"{base}/frameworks/")
    assert "东城区测评体系" in page.inner_text("main")
    assert page.locator("a[href='/frameworks/import/']").count() == 0
    assert page.locator("main form[method=post]").count() == 0
    page.goto(f"{base}/frameworks/{framework.pk}/")
    assert page.locator(".fw-tree .fw-text").all_text_contents() == [
        "路面平整，无垃圾",
        "无乱贴乱画",
        "划行归市",
    ]
    assert page.locator("main form[method=post]").count() == 0
    assert page.locator("a.fw-edit").count() == 0
    response = page.goto(f"{base}/frameworks/import/")
    assert response.status == 404
    shot(page, "e2e-framework-tree-unit")
