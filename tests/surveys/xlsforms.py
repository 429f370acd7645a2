"""XLSForm workbooks for tests, written with openpyxl: :func:`workbook` from rows, and
:func:`satisfaction_zh`, the Chinese questionnaire kept as ``data/satisfaction_zh.xlsx`` (and as
the downloadable template ``surveys/static/surveys/xlsform-template.xlsx``).

Run ``python -m tests.surveys.xlsforms`` to write both files again after changing it."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

from openpyxl import Workbook

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "src/chuangcheng/surveys/static/surveys/xlsform-template.xlsx"

Rows = list[list[Any]]


def workbook(survey: Rows, choices: Rows | None = None, settings: Rows | None = None) -> bytes:
    """An .xlsx with the given sheets (each a header row then data rows)."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for row in survey:
        sheet.append(row)
    for name, rows in (("choices", choices), ("settings", settings)):
        if rows is not None:
            extra = book.create_sheet(name)
            for row in rows:
                extra.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SURVEY_ZH: Rows = [
    ["type", "name", "label::zh-Hans", "label::English (en)", "hint::zh-Hans",
     "hint::English (en)", "required", "relevant", "measure", "clause", "parameters"],
    ["note", "intro", "您好！我们正在开展文明城区创建群众满意度调查，耽误您几分钟时间，谢谢支持。",
     "Hello! We are asking residents about the civilized-district campaign. It takes a few minutes."],  # noqa: E501
    ["begin_group", "g_aware", "创建知晓与支持", "Awareness and support"],
    ["select_one aware", "aware", "您是否知道我区正在创建全国文明城区？",
     "Do you know that our district is running for National Civilized District?",
     None, None, "yes", None, "知晓", "7.1.1.1"],
    ["select_one support", "support", "您是否支持我区创建全国文明城区？",
     "Do you support the campaign?", None, None, "yes", None, "支持", "7.1.1.2"],
    ["select_multiple joined", "joined", "您参加过哪些创建活动？", "Which campaign activities did you take part in?",  # noqa: E501
     "可多选", "Choose all that apply", "yes", None, "参与", "7.1.1.2"],
    ["end_group"],
    ["begin_group", "g_satisfied", "环境与服务满意度", "Environment and services"],
    ["select_one satisfied", "env", "您对城区市容环境、交通秩序是否满意？",
     "Are you satisfied with the streetscape and traffic order?", None, None, "yes", None, "满意", "7.1.2.1"],  # noqa: E501
    ["select_one satisfied", "service", "您对公共服务和窗口服务是否满意？",
     "Are you satisfied with public services?", None, None, "yes", None, "满意", "7.1.2.2"],
    ["text", "why", "您不满意的主要原因是什么？", "What are you dissatisfied with?", None, None, "yes",  # noqa: E501
     "${env} = 'ns' or ${service} = 'ns'"],
    ["end_group"],
    ["range", "overall", "总体来说，您给我区文明创建工作打几分？", "Overall, how would you rate the campaign?",  # noqa: E501
     "1分最低，5分最高", "1 is lowest, 5 is highest", "no", None, None, None, "start=1 end=5 step=1"],  # noqa: E501
    ["text", "advice", "您对创建工作还有什么意见和建议？", "Any suggestions for the campaign?", "选填", "Optional"],  # noqa: E501
]  # fmt: skip

CHOICES_ZH: Rows = [
    ["list_name", "name", "label::zh-Hans", "label::English (en)", "score", "excluded"],
    ["aware", "yes", "知道", "Yes", 1, None],
    ["aware", "no", "不知道", "No", 0, None],
    ["support", "yes", "支持", "I support it", 1, None],
    ["support", "no", "不支持", "I do not", 0, None],
    ["support", "dk", "说不清", "Can't say", 0, "yes"],
    ["joined", "vol", "志愿服务", "Volunteering", 1, None],
    ["joined", "clean", "环境清洁", "Clean-ups", 1, None],
    ["joined", "promo", "文明宣传", "Campaign promotion", 1, None],
    ["joined", "none", "都没有参加", "None", 0, None],
    ["satisfied", "s", "满意", "Satisfied", 1, None],
    ["satisfied", "bs", "基本满意", "Fairly satisfied", 0.9, None],
    ["satisfied", "ns", "不满意", "Dissatisfied", 0, None],
    ["satisfied", "dk", "说不清", "Can't say", 0, "yes"],
]

SETTINGS_ZH: Rows = [
    ["form_title", "form_id", "version", "default_language"],
    ["2026年文明城区创建群众满意度调查", "myd2026", "2026.1", "zh-Hans"],
]


def satisfaction_zh() -> bytes:
    return workbook(SURVEY_ZH, CHOICES_ZH, SETTINGS_ZH)


if __name__ == "__main__":
    content = satisfaction_zh()
    for path in (DATA / "satisfaction_zh.xlsx", TEMPLATE):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        sys.stdout.write(f"{path}\n")
