"""Rates, intervals and weighted rates of the hand-computed fixture (tests/surveys/results_data).

Unweighted (z = 1.959964, z² = 3.841459):
- awareness overall 6/10 = 0.6. Wilson: centre = (0.6 + z²/20)/(1 + z²/10) = 0.79207/1.38415
  = 0.57225; half = z/1.38415 · √(0.6·0.4/10 + z²/400) = 1.41601 · 0.18331 = 0.25957
  → [0.3127, 0.8318]. By street: s1 4/6, s2 2/4.
- satisfaction overall Σ = 6.6 of 9 (说不清 out) = 0.7333; graded, so the normal interval:
  Σx² = 3.62 + 2.62 = 6.24, s² = (6.24 − 9·0.7333²)/8 = (6.24 − 4.84)/8 = 0.175,
  se = √(0.175/9) = 0.13944, half = 0.27330 → [0.4600, 1.0066 clipped to 1].
- participation 4/10 (a multiple choice earns its best selected choice).

Weighted with street margins s1 300, s2 700 (one dimension: w = 300/6 = 50 in s1, 700/4 = 175
in s2):
- awareness (50·4 + 175·2)/(50·6 + 175·4) = 550/1000 = 0.55; n_eff = 1000²/(6·50² + 4·175²)
  = 1 000 000/137 500 = 7.2727; Wilson at p = 0.55, n = 7.2727: centre = (0.55 + 0.26410)/
  1.52820 = 0.53272, half = 1.28253 · √(0.034031 + 0.018157) = 0.29299 → [0.2397, 0.8257].
- satisfaction (50·3.8 + 175·2.8)/(50·5 + 175·4) = 680/950 = 0.7158.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.enums import ResponseState
from chuangcheng.surveys.models import Margin
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten, respond


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Texts are asserted in English (message ids); the default language is zh-Hans."""
    with translation.override("en"):
        yield


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    load_ten(sw)
    # Never counted: a voided response (its credits stay), a draft, another district's survey.
    respond(sw.survey, sw.world.s1, "m", "18-29", {sw.aware: "yes"}, state=ResponseState.VOID)
    respond(sw.survey, sw.world.s2, "f", "18-29", {sw.aware: "yes"}, state=ResponseState.DRAFT)
    other_aware = sw.other_survey.questions.get(name="aware")
    respond(sw.other_survey, None, "m", "18-29", {other_aware: "yes"})
    return sw


def json_of(report: Any, measure: str, street: Any = "all") -> dict[str, Any]:
    m = report.measure(measure)
    figures = m.overall if street == "all" else m.streets[street.pk]
    return figures.as_json()  # type: ignore[no-any-return]


def test_unweighted_rates_and_intervals_match_the_hand_computation(ten: SurveyWorld) -> None:
    report = build_report(ten.survey)
    assert [m.measure for m in report.measures] == ["awareness", "participation", "satisfaction"]
    assert report.respondents == 10
    aware = json_of(report, "awareness")
    assert aware == {
        "numerator": 6.0,
        "denominator": 10,
        "rate": 0.6,
        "ci_low": 0.3127,
        "ci_high": 0.8318,
        "weighted_rate": None,
        "n": 10,
        "graded": False,
        "weighted_ci_low": None,
        "weighted_ci_high": None,
        "effective_n": None,
    }
    s1 = json_of(report, "awareness", ten.world.s1)
    assert (s1["numerator"], s1["denominator"], s1["rate"]) == (4.0, 6, 0.6667)
    s2 = json_of(report, "awareness", ten.world.s2)
    assert (s2["numerator"], s2["denominator"], s2["rate"]) == (2.0, 4, 0.5)
    sat = json_of(report, "satisfaction")
    assert (sat["numerator"], sat["denominator"], sat["rate"]) == (6.6, 9, 0.7333)
    assert (sat["ci_low"], sat["ci_high"], sat["graded"]) == (0.46, 1.0, True)
    assert json_of(report, "satisfaction", ten.world.s1)["rate"] == 0.76
    assert json_of(report, "satisfaction", ten.world.s2)["rate"] == 0.7
    part = json_of(report, "participation")
    assert (part["numerator"], part["denominator"], part["rate"]) == (4.0, 10, 0.4)
    assert report.respondents_by_street == {ten.world.s1.pk: 6, ten.world.s2.pk: 4}


def test_clause_breakdown_holds_the_measures_tied_to_the_clause(ten: SurveyWorld) -> None:
    report = build_report(ten.survey)
    aware = report.measure("awareness")
    assert aware is not None
    [clause] = aware.clauses
    assert clause.clause == ten.opinion
    assert clause.overall.as_json()["rate"] == 0.6
    assert clause.streets[ten.world.s2.pk].as_json()["denominator"] == 4
    participation = report.measure("participation")
    assert participation is not None and participation.clauses == []


def test_street_margins_post_stratify_the_rates(ten: SurveyWorld) -> None:
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101002", population=700)
    report = build_report(ten.survey)
    w = report.weighting
    assert w.applied and w.dimensions == ["street"] and w.iterations == 1 and w.warnings == []
    assert w.weights[("110101001", "18-29", "m", "")] == pytest.approx(50)
    assert w.weights[("110101002", "18-29", "m", "")] == pytest.approx(175)
    aware = json_of(report, "awareness")
    assert aware["rate"] == 0.6
    assert aware["weighted_rate"] == 0.55
    assert aware["effective_n"] == 7.3
    assert (aware["weighted_ci_low"], aware["weighted_ci_high"]) == (0.2397, 0.8257)
    assert json_of(report, "satisfaction")["weighted_rate"] == 0.7158
    # Within one street every weight is the same: the weighted rate is the street's own rate.
    assert json_of(report, "awareness", ten.world.s1)["weighted_rate"] == 0.6667


def test_a_sex_margin_nobody_answers_for_is_reported(ten: SurveyWorld) -> None:
    """Sex margins m 500 / f 500 and an age margin for a band nobody in the sample has."""
    for value, population in (("m", 500), ("f", 500)):
        Margin.objects.create(
            survey=ten.survey, dimension="sex", value=value, population=population
        )
    Margin.objects.create(survey=ten.survey, dimension="age_band", value="18-29", population=200)
    Margin.objects.create(survey=ten.survey, dimension="age_band", value="66-80", population=50)
    report = build_report(ten.survey)
    assert report.weighting.applied
    assert any("66-80" in text for text in report.weighting.warnings)
    # 18-29 is the only band with a margin: the other bands' respondents are left out.
    assert any("30-44" in text and "left out" in text for text in report.weighting.warnings)
    # Left: 3 respondents of 18-29 (s1 m yes, s1 f yes, s2 m yes) → weighted awareness 1.
    assert json_of(report, "awareness")["weighted_rate"] == 1.0
    assert report.weighting.excluded == 7


def test_an_empty_survey_reports_nothing_measured(sw: SurveyWorld) -> None:
    report = build_report(sw.survey)
    aware = json_of(report, "awareness")
    assert (aware["denominator"], aware["rate"], aware["ci_low"]) == (0, None, None)
    assert report.respondents == 0


def test_the_report_is_six_queries_at_any_size(sw: SurveyWorld) -> None:
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101002", population=700)
    load_ten(sw)
    with CaptureQueriesContext(connection) as small:
        build_report(sw.survey)
    load_ten(sw, times=4)
    with CaptureQueriesContext(connection) as large:
        report = build_report(sw.survey)
    assert report.respondents == 50
    assert len(small) == len(large) == 6
