"""The demo's two survey rounds, loaded over the small ``world`` district (same codes)."""

from __future__ import annotations

import datetime as dt
from io import StringIO

from chuangcheng.demo.survey_results import load_demo_survey_results
from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.enums import ResponseState, SurveyStatus
from chuangcheng.surveys.models import Credit, Response, Survey
from tests.conftest import World

TODAY = dt.date(2026, 11, 23)


def test_two_rounds_load_once_with_weighted_rates(world: World) -> None:
    made = load_demo_survey_results(StringIO(), today=TODAY)
    before, current = Survey.objects.order_by("starts_on")
    assert (before.code, before.status) == ("dc2025-residents", SurveyStatus.CLOSED)
    assert (current.code, current.status, current.copied_from_id) == (
        "dc2026-residents",
        SurveyStatus.OPEN,
        before.pk,
    )
    assert current.starts_on == TODAY - dt.timedelta(days=25)
    assert made == Response.objects.filter(state=ResponseState.COMPLETE).count()
    # Two streets: about 25 and 40 respondents each, give or take 6.
    assert 2 * 19 <= Response.objects.filter(survey=before).count() <= 2 * 31
    assert 2 * 34 <= Response.objects.filter(survey=current).count() <= 2 * 46
    assert not Response.objects.filter(survey=current, submitted_at__date__gte=TODAY).exists()
    credits = Credit.objects.filter(survey=current)
    assert credits.count() <= 6 * Response.objects.filter(survey=current).count()
    report = build_report(current)
    assert [m.measure for m in report.measures] == [
        "awareness",
        "participation",
        "support",
        "satisfaction",
    ]
    assert report.weighting.applied and report.weighting.converged
    for m in report.measures:
        assert m.overall.rate is not None and 0 < m.overall.rate < 1
        assert m.overall.weighted_rate is not None
    assert load_demo_survey_results(StringIO(), today=TODAY) == 0
