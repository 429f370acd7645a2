"""The ``surveys.satisfaction`` warning kind, with exact findings, and its preset rule.

Latest survey ``s2026`` (started 2026-10-01, the TEN answers of results_data): satisfaction in
东华门 s, bs, ns, (dk not counted), s, bs → 3.8 of 5 = 76.0 %; in 景山 ns, s, bs, bs → 2.8 of 4
= 70.0 %. Previous survey ``s2025`` (started 2026-04-01): 东华门 s, s, s, bs → 3.9 of 4 =
97.5 %; 景山 s, s, ns, ns → 2 of 4 = 50.0 %.

With a threshold of 75 %, 4 answers at least and a 5-point drop: 东华门 is above the threshold
but fell 97.5 − 76.0 = 21.5 points → red (gap ≥ 10); 景山 is 5.0 points below and rose → orange
(gap ≥ 5).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from chuangcheng.alerts.domain.engine import evaluate
from chuangcheng.alerts.domain.kinds import KINDS, Finding
from chuangcheng.alerts.domain.params import clean_params
from chuangcheng.alerts.models import Warning, WarningRule
from chuangcheng.surveys.domain.kinds import survey_satisfaction
from chuangcheng.surveys.enums import Measure, QuestionKind, SurveyStatus
from chuangcheng.surveys.models import Survey
from tests.surveys.conftest import SurveyWorld, add_question
from tests.surveys.results_data import load_ten, respond

NOW = timezone.make_aware(dt.datetime(2026, 11, 23, 9, 0))
PARAMS = {"min_rate": 75, "min_sample": 4, "drop_points": 5, "orange_points": 5, "red_points": 10}
SCALE = [
    ("s", "满意", "1"),
    ("bs", "基本满意", "0.9"),
    ("ns", "不满意", "0"),
    ("dk", "说不清", "x"),
]


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are asserted in English (message ids); the default language is zh-Hans."""
    with translation.override("en"):
        yield


def survey_with_answers(
    sw: SurveyWorld, code: str, starts: dt.date, answers: dict[Any, list[str]]
) -> Survey:
    survey = Survey.objects.create(
        code=code,
        title=code,
        region=sw.world.district,
        status=SurveyStatus.CLOSED,
        starts_on=starts,
    )
    q = add_question(
        survey, 1, "satisfied", QuestionKind.SINGLE, "满意吗?", SCALE, measure=Measure.SATISFACTION
    )
    for street, values in answers.items():
        for value in values:
            respond(survey, street, "m", "30-44", {q: value})
    return survey


@pytest.fixture
def rounds(sw: SurveyWorld) -> SurveyWorld:
    Survey.objects.filter(pk=sw.survey.pk).update(starts_on=dt.date(2026, 10, 1))
    sw.survey.refresh_from_db()
    load_ten(sw)
    survey_with_answers(
        sw,
        "s2025",
        dt.date(2026, 4, 1),
        {sw.world.s1: ["s", "s", "s", "bs"], sw.world.s2: ["s", "s", "ns", "ns"]},
    )
    return sw


def found(params: dict[str, Any] = PARAMS) -> list[Finding]:
    return survey_satisfaction(dict(params), NOW)


def test_a_drop_and_a_low_street_are_found_with_levels_by_gap(rounds: SurveyWorld) -> None:
    w = rounds.world
    results = f"/surveys/{rounds.survey.pk}/results/#streets"
    assert found() == [
        Finding(
            key="survey:s2026:street:110101001",
            title="东华门街道: satisfaction fell 21.5 points to 76.0%",
            detail="2026年文明城区创建群众满意度调查: 76.0% over 5 answers counted; the threshold "
            "is 75%. Previous survey (s2025): 97.5%.",
            unit_id=w.unit_s1.pk,
            region_id=w.s1.pk,
            url=results,
            value=76.0,
            level="red",
        ),
        Finding(
            key="survey:s2026:street:110101002",
            title="景山街道: satisfaction 70.0%, below 75%",
            detail="2026年文明城区创建群众满意度调查: 70.0% over 4 answers counted; the threshold "
            "is 75%. Previous survey (s2025): 50.0%.",
            unit_id=w.unit_s2.pk,
            region_id=w.s2.pk,
            url=results,
            value=70.0,
            level="orange",
        ),
    ]


def test_streets_with_too_few_answers_are_left_out(rounds: SurveyWorld) -> None:
    """At 5 answers 景山 (4) is out, and 东华门's previous figure (4 answers) cannot be
    compared; 76.0 % is above 75 %."""
    assert found(PARAMS | {"min_sample": 5}) == []


def test_a_drop_of_zero_points_turns_the_comparison_off(rounds: SurveyWorld) -> None:
    assert [f.key for f in found(PARAMS | {"drop_points": 0})] == ["survey:s2026:street:110101002"]


def test_the_survey_it_was_copied_from_is_the_previous_one(rounds: SurveyWorld) -> None:
    """s2024 (older, 东华门 all 不满意 = 0 %) is what s2026 was copied from: no drop then."""
    older = survey_with_answers(
        rounds, "s2024", dt.date(2025, 10, 1), {rounds.world.s1: ["ns"] * 4}
    )
    Survey.objects.filter(pk=rounds.survey.pk).update(copied_from=older)
    assert [f.key for f in found()] == ["survey:s2026:street:110101002"]


def test_drafts_and_surveys_not_started_are_not_the_latest(rounds: SurveyWorld) -> None:
    later = survey_with_answers(
        rounds, "s2027", dt.date(2026, 12, 1), {rounds.world.s2: ["ns"] * 4}
    )
    draft = survey_with_answers(
        rounds, "s2026b", dt.date(2026, 11, 1), {rounds.world.s2: ["ns"] * 4}
    )
    Survey.objects.filter(pk=draft.pk).update(status=SurveyStatus.DRAFT)
    assert later.starts_on > NOW.date()
    assert {f.key.split(":")[1] for f in found()} == {"s2026"}


def test_the_kind_is_four_queries_at_any_size(rounds: SurveyWorld) -> None:
    with CaptureQueriesContext(connection) as small:
        found()
    load_ten(rounds, times=3)
    with CaptureQueriesContext(connection) as large:
        found()
    assert len(small) == len(large) == 4


def test_the_preset_rule_is_valid_and_raises_the_warnings(rounds: SurveyWorld) -> None:
    rule = WarningRule.objects.get(kind="surveys.satisfaction")
    assert clean_params(KINDS["surveys.satisfaction"], rule.params) == rule.params
    assert rule.params["min_rate"] == 80 and rule.params["min_sample"] == 30
    WarningRule.objects.exclude(pk=rule.pk).update(enabled=False)
    rule.params = PARAMS
    rule.save()
    evaluate(now=NOW, send=False)
    warnings = {w.key: (w.level, w.unit_id) for w in Warning.objects.filter(rule=rule)}
    assert warnings == {
        "survey:s2026:street:110101001": ("red", rounds.world.unit_s1.pk),
        "survey:s2026:street:110101002": ("orange", rounds.world.unit_s2.pk),
    }
