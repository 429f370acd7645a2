"""Survey results in the browser: the office reads the rates, switches the cross-tabulation to
answers by sex, and downloads the rates as .xlsx; on a phone the page needs no sideways
scrolling; the leader finds the survey panel on the dashboard and follows it to the results."""

from __future__ import annotations

import io
from types import SimpleNamespace
from typing import Any

import pytest
from openpyxl import load_workbook

from chuangcheng.surveys.enums import Measure, QuestionKind, SurveyStatus
from chuangcheng.surveys.models import Margin, Survey
from tests.e2e.conftest import fits, log_in, shot
from tests.surveys.conftest import add_question
from tests.surveys.results_data import load_ten

pytestmark = pytest.mark.django_db(transaction=True)


def ten_answers(world: Any) -> Survey:
    """The hand-computed fixture of tests/surveys (awareness 6/10 = 60.0 %)."""
    survey = Survey.objects.create(
        code="s2026", title="2026年群众满意度调查", region=world.district, status=SurveyStatus.OPEN
    )
    aware = add_question(
        survey, 1, "aware", QuestionKind.SINGLE, "您是否知道我区正在创建全国文明城区?",
        [("yes", "知道", "1"), ("no", "不知道", "0")], measure=Measure.AWARENESS,
    )  # fmt: skip
    joined = add_question(
        survey, 2, "joined", QuestionKind.MULTIPLE, "您参加过哪些创建活动?",
        [("vol", "志愿服务", "1"), ("clean", "环境清洁", "1"), ("none", "都没有", "0")],
        measure=Measure.PARTICIPATION,
    )  # fmt: skip
    satisfied = add_question(
        survey, 3, "satisfied", QuestionKind.SINGLE, "您对创建工作成效是否满意?",
        [("s", "满意", "1"), ("bs", "基本满意", "0.9"), ("ns", "不满意", "0"),
         ("dk", "说不清", "x")],
        measure=Measure.SATISFACTION,
    )  # fmt: skip
    why = add_question(survey, 4, "why", QuestionKind.TEXT, "不满意的原因?")
    load_ten(SimpleNamespace(world=world, survey=survey, aware=aware, joined=joined,
                             satisfied=satisfied, why=why))  # fmt: skip
    for code, population in (("110101001", 300), ("110101002", 700)):
        Margin.objects.create(survey=survey, dimension="street", value=code, population=population)
    return survey


def test_office_reads_switches_a_crosstab_and_downloads_the_rates(
    page: Any, phone: Any, live_server: Any, world: Any, password: str
) -> None:
    survey = ten_answers(world)
    base = live_server.url
    url = f"{base}/surveys/{survey.pk}/results/"

    log_in(page, base, "office", password)
    page.goto(url)
    headline = page.inner_text("#headline")
    assert "60.0%" in headline and "31.3–83.2" in headline and "加权 55.0%" in headline
    assert page.locator("#chart-streets canvas").count() == 1
    # The cross-tabulation starts as the first question by street; switch the columns to sex.
    assert "东华门街道" in page.inner_text("#crosstab-table thead")
    page.select_option("#ct-row", "satisfied")
    page.wait_for_selector("#crosstab-table >> text=满意")
    page.select_option("#ct-col", "sex")
    page.wait_for_selector("#crosstab-table thead >> text=女")
    head = page.locator("#crosstab-table thead th").all_inner_texts()
    assert head == ["答案", "男", "女", "全部"]
    # The chart is drawn when htmx settles the swapped table, a moment after the swap.
    page.wait_for_selector("#chart-crosstab canvas")
    assert page.locator("#chart-crosstab canvas").count() == 1
    shot(page, "survey-results-crosstab-1366")
    with page.expect_download() as download:
        page.click("#export-rates-xlsx")
    data = download.value.path().read_bytes()
    rows = list(load_workbook(io.BytesIO(data)).worksheets[0].iter_rows(values_only=True))
    assert rows[1][:10] == ("awareness", "知晓率", None, None, "all", "东城区", 6, 10, 0.6, 0.3127)

    log_in(phone, base, "office", password)
    phone.goto(url)
    phone.wait_for_selector("#chart-streets canvas")
    assert fits(phone)
    shot(phone, "survey-results-375")


def test_leader_sees_the_survey_panel_and_follows_it(
    page: Any, live_server: Any, world: Any, password: str
) -> None:
    survey = ten_answers(world)
    base = live_server.url
    log_in(page, base, "leader", password)
    page.goto(f"{base}/board/leader/")
    panel = page.locator("section.sr-panel")
    assert "群众问卷调查" in panel.inner_text()
    assert "60.0%" in panel.inner_text()
    shot(page, "survey-panel-leader-1366")
    panel.locator("a", has_text="查看全部结果").click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/surveys/{survey.pk}/results/")
    # The leader reads the results but takes no exports.
    assert page.locator("#export-rates-xlsx").count() == 0
