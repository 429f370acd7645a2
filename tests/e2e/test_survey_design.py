"""问卷设计 in the browser: the office creates a survey, adds a satisfaction question with the
one-click preset and a text question asked only when the answer is 不满意, imports our Chinese
XLSForm through the upload page, and reads the questionnaire on a 375 px phone."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.surveys.models import Survey
from tests.e2e.conftest import fits, log_in, shot
from tests.surveys.xlsforms import DATA

pytestmark = pytest.mark.django_db(transaction=True)


def test_office_designs_a_survey_and_imports_an_xlsform(
    page: Any, phone: Any, live_server: Any, world: Any, password: str
) -> None:
    base = live_server.url
    log_in(page, base, "office", password)
    page.goto(f"{base}/surveys/")
    page.click("text=新建问卷")
    page.fill("#id_code", "jd2026")
    page.fill("#id_title", "东华门街道群众满意度调查")
    page.select_option("#id_region", label="东华门街道 (110101001)")
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")
    survey = Survey.objects.get(code="jd2026")
    assert page.url.endswith(f"/surveys/{survey.pk}/")
    assert "问卷“东华门街道群众满意度调查”已保存。" in page.inner_text(".messages")

    # A satisfaction question: the preset fills the four answers and their scores.
    page.click("text=添加题目")
    page.fill("#id_name", "q_env")
    page.fill("[name='label_zh-Hans']", "您对街道环境卫生是否满意？")
    page.click("button:has-text('预设：满意率')")
    page.wait_for_load_state("networkidle")
    assert page.input_value("[name='c-1-label_zh-Hans']") == "基本满意"
    assert page.input_value("[name='c-1-score']") == "0.9"
    assert page.is_checked("[name='c-3-excluded']")
    assert page.input_value("#id_measure") == "satisfaction"
    page.check("#id_required")
    shot(page, "survey-design-question-form")
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")
    assert "题目 q_env 已保存。" in page.inner_text(".messages")

    # A text question asked only when the answer is 不满意, built with the skip-logic builder.
    page.click("text=添加题目")
    page.fill("#id_name", "q_why")
    page.select_option("#id_kind", "text")
    assert page.is_hidden("[data-sv-rows]")
    page.fill("[name='label_zh-Hans']", "您不满意的原因是什么？")
    page.select_option("#id_when_question", "q_env")
    page.select_option("#id_when_op", "is")
    page.select_option("[data-sv-when-value]", "q_env:ns")
    page.click("button:has-text('保存')")
    page.wait_for_load_state("networkidle")
    q_why = survey.questions.get(name="q_why")
    assert q_why.relevant == "${q_env} = 'ns'"
    assert "“您对街道环境卫生是否满意？”的回答为“不满意”时提问" in page.inner_text(f"#q-{q_why.pk}")

    # Our Chinese XLSForm through the upload page, after the two questions.
    page.click("text=导入 XLSForm")
    page.set_input_files("#id_file", str(DATA / "satisfaction_zh.xlsx"))
    page.click("button:has-text('导入')")
    page.wait_for_load_state("networkidle")
    assert "已向“东华门街道群众满意度调查”导入 9 道题目。" in page.inner_text(".messages")
    assert list(survey.questions.order_by("order").values_list("name", flat=True)) == [
        "q_env",
        "q_why",
        "intro",
        "aware",
        "support",
        "joined",
        "env",
        "service",
        "why",
        "overall",
        "advice",
    ]
    body = page.inner_text(".sv-questions")
    for text in (
        "您是否知道我区正在创建全国文明城区？",
        "环境与服务满意度",
        "基本满意",
        "得 0.9 分",
        "不计入",
    ):
        assert text in body
    shot(page, "survey-design-detail")

    log_in(phone, base, "office", password)
    phone.goto(f"{base}/surveys/{survey.pk}/")
    assert "您对公共服务和窗口服务是否满意？" in phone.inner_text("main")
    assert fits(phone)
    shot(phone, "survey-design-detail-375")
