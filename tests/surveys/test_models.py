"""Who sees which survey, and the age bands."""

from __future__ import annotations

from chuangcheng.surveys.enums import SurveyStatus
from chuangcheng.surveys.models import Survey
from tests.surveys.conftest import SurveyWorld


def test_office_sees_its_district_survey_only(sw: SurveyWorld) -> None:
    assert list(Survey.objects.visible_to(sw.world.office)) == [sw.survey]
    assert list(Survey.objects.visible_to(sw.other_office)) == [sw.other_survey]


def test_street_inspector_sees_the_open_district_survey_not_a_draft(sw: SurveyWorld) -> None:
    assert list(Survey.objects.visible_to(sw.world.inspector)) == [sw.survey]
    sw.survey.status = SurveyStatus.DRAFT
    sw.survey.save()
    assert list(Survey.objects.visible_to(sw.world.inspector)) == []


def test_units_and_strangers_see_no_survey(sw: SurveyWorld) -> None:
    assert list(Survey.objects.visible_to(sw.world.user_s1)) == []
    assert list(Survey.objects.visible_to(sw.world.nobody)) == []


def test_band_of_cuts_inclusive_bands(sw: SurveyWorld) -> None:
    assert [sw.survey.band_of(a) for a in (17, 18, 29, 30, 65, 66)] == [
        "",
        "18-29",
        "18-29",
        "30-44",
        "60-65",
        "",
    ]
