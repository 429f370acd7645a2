"""The questionnaire and the population of the demo's residents survey
(:mod:`chuangcheng.demo.survey_results`): questions with their choices and scores, the framework
clauses they feed (matched by the clause's text), age bands, occupations, eligible residents by
street (illustrative, shaped like the 2020 census of 东城区) and how each street leans."""

from __future__ import annotations

from typing import Any

from chuangcheng.surveys.enums import Measure, QuestionKind

BANDS = ("18-29", "30-44", "45-59", "60-65")
BAND_SAMPLE = (0.13, 0.24, 0.30, 0.33)
BAND_POPULATION = (0.22, 0.31, 0.29, 0.18)
OCCUPATIONS = ["企业职工", "机关事业单位", "个体经营", "离退休", "学生", "其他"]
# Eligible residents (18–65) by street, in thousands: illustrative, shaped like the census.
POPULATION = {
    "110101001": 38, "110101002": 27, "110101003": 46, "110101004": 42, "110101005": 44,
    "110101006": 40, "110101007": 39, "110101008": 47, "110101009": 52, "110101010": 68,
    "110101011": 26, "110101012": 41, "110101013": 48, "110101014": 50, "110101015": 45,
    "110101016": 44, "110101017": 63,
}  # fmt: skip
# Satisfaction leaning by street (added to the base chances); the rest are near 0.
LEAN_NOW = {"110101011": -0.26, "110101017": -0.2, "110101009": -0.12, "110101002": 0.04}
LEAN_BEFORE = {"110101011": -0.2, "110101017": -0.16, "110101009": 0.04}

SCALE = [("s", "满意", "Satisfied", "1"), ("bs", "基本满意", "Fairly satisfied", "0.9")]
SCALE += [("ns", "不满意", "Not satisfied", "0"), ("dk", "说不清", "Can't say", "x")]
QUESTIONS: list[dict[str, Any]] = [
    {
        "name": "aware",
        "kind": QuestionKind.SINGLE,
        "zh": "您是否知道东城区正在创建全国文明城区？",
        "en": "Do you know that Dongcheng is campaigning to be a National Civilized District?",
        "measure": Measure.AWARENESS,
        "clause": "市民对文明城区创建工作的知晓率",
        "choices": [("yes", "知道", "Yes", "1"), ("no", "不知道", "No", "0")],
    },
    {
        "name": "values",
        "kind": QuestionKind.SINGLE,
        "zh": "您了解社会主义核心价值观的基本内容吗？",
        "en": "Do you know the core socialist values?",
        "measure": Measure.AWARENESS,
        "clause": "社会主义核心价值观基本内容的知晓率",
        "choices": [("yes", "了解", "Yes", "1"), ("no", "不了解", "No", "0")],
    },
    {
        "name": "support",
        "kind": QuestionKind.SINGLE,
        "zh": "您支持创建全国文明城区吗？",
        "en": "Do you support the campaign?",
        "measure": Measure.SUPPORT,
        "clause": "支持率和参与率",
        "choices": [
            ("yes", "支持", "Yes", "1"),
            ("no", "不支持", "No", "0"),
            ("dk", "说不清", "Can't say", "x"),
        ],
    },
    {
        "name": "joined",
        "kind": QuestionKind.MULTIPLE,
        "zh": "过去一年您参加过哪些创建活动？",
        "en": "Which campaign activities did you take part in over the last year?",
        "measure": Measure.PARTICIPATION,
        "clause": "支持率和参与率",
        "choices": [
            ("volunteer", "志愿服务", "Volunteering", "1"),
            ("clean", "环境清洁", "Clean-ups", "1"),
            ("persuade", "文明劝导", "Civility patrols", "1"),
            ("none", "都没有参加", "None", "0"),
        ],
    },
    {
        "name": "sat_env",
        "kind": QuestionKind.SINGLE,
        "zh": "您对所在街道的市容环境和交通秩序是否满意？",
        "en": "Are you satisfied with your street's environment and traffic order?",
        "measure": Measure.SATISFACTION,
        "clause": "市容环境、交通秩序的满意率",
        "choices": SCALE,
    },
    {
        "name": "sat_service",
        "kind": QuestionKind.SINGLE,
        "zh": "您对公共服务和窗口服务是否满意？",
        "en": "Are you satisfied with public services and service windows?",
        "measure": Measure.SATISFACTION,
        "clause": "公共服务和窗口服务的满意率",
        "choices": SCALE,
    },
    {
        "name": "why",
        "kind": QuestionKind.TEXT,
        "zh": "您不满意的主要原因是什么？",
        "en": "What are you mainly not satisfied with?",
        "relevant": "${sat_env} = 'ns'",
    },
    {
        "name": "channel",
        "kind": QuestionKind.SINGLE,
        "zh": "您主要通过什么渠道了解创建工作？",
        "en": "How did you mainly hear about the campaign?",
        "choices": [
            ("board", "社区宣传栏", "Community notice boards", "0"),
            ("wechat", "微信公众号", "WeChat accounts", "0"),
            ("media", "电视报纸", "TV and newspapers", "0"),
            ("neighbours", "邻居亲友", "Neighbours and friends", "0"),
        ],
    },
]
REASONS = (
    "背街小巷有垃圾堆放",
    "非机动车乱停放",
    "施工围挡影响出行",
    "夜间噪音扰民",
    "小广告清理不及时",
)
