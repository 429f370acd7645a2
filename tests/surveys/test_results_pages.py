"""The results page and its cross-tabulation fragment: who may read them (404 for anyone
else, with another district's survey present), what they show, constant queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.surveys.models import Margin
from tests.conftest import World, login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    load_ten(sw)
    return sw


def url(sw: SurveyWorld, tail: str = "") -> str:
    return f"/surveys/{sw.survey.pk}/results/{tail}"


def test_office_reads_the_results_page(ten: SurveyWorld) -> None:
    response = login(ten.world.office).get(url(ten))
    assert response.status_code == 200
    report = response.context["report"]
    assert [m.measure for m in report.measures] == ["awareness", "participation", "satisfaction"]
    html = response.content.decode()
    assert "60.0%" in html and "31.3–83.2" in html  # awareness and its Wilson interval
    assert "73.3%" in html  # satisfaction
    assert "东华门街道" in html and "景山街道" in html
    assert 'id="crosstab-table"' in html and 'id="survey-results-data"' in html
    assert "<script>" not in html  # no inline script: the charts read json_script data
    charts = json.loads(
        html.split('id="survey-results-data" type="application/json">')[1].split("</script>")[0]
    )
    assert charts["streets"] == ["东华门街道", "景山街道"]
    assert charts["measures"][0]["rates"] == [66.7, 50.0]
    assert f'href="/surveys/{ten.survey.pk}/results/rates.xlsx"' in html


def test_leader_reads_the_page_without_the_exports(ten: SurveyWorld) -> None:
    response = login(ten.world.leader).get(url(ten))
    assert response.status_code == 200
    assert "rates.xlsx" not in response.content.decode()


@pytest.mark.parametrize("who", ["inspector", "user_s1", "nobody", "auditor"])
def test_others_get_404(ten: SurveyWorld, who: str) -> None:
    user = getattr(ten.world, who)
    assert login(user).get(url(ten)).status_code == 404
    assert login(user).get(url(ten, "crosstab/")).status_code == 404


def test_another_districts_office_gets_404(ten: SurveyWorld) -> None:
    assert login(ten.other_office).get(url(ten)).status_code == 404
    other = f"/surveys/{ten.other_survey.pk}/results/"
    assert login(ten.world.office).get(other).status_code == 404
    assert login(ten.other_office).get(other).status_code == 200


def test_the_crosstab_fragment_switches_rows_and_columns(ten: SurveyWorld) -> None:
    response = login(ten.world.office).get(url(ten, "crosstab/?row=satisfied&col=sex"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith('<section class="card" id="crosstab"')
    table = response.context["table"]
    assert [r["cells"][0]["pct"] for r in table.table()] == [40.0, 20.0, 40.0, 0.0]


def test_a_bad_crosstab_says_why(ten: SurveyWorld) -> None:
    response = login(ten.world.office).get(
        url(ten, "crosstab/?row=why&col=sex"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "“why” is not a choice question of this survey." in response.content.decode()


def test_weighting_status_shows_margins_and_warnings(ten: SurveyWorld) -> None:
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101002", population=700)
    Margin.objects.create(survey=ten.survey, dimension="street", value="110101099", population=50)
    html = login(ten.world.office).get(url(ten)).content.decode()
    assert 'id="weighting-warnings"' in html
    assert "110101099" in html  # the margin with nobody behind it
    assert "55.0%" in html  # weighted awareness


def page_queries(world: World, sw: SurveyWorld) -> int:
    client = login(world.office)
    client.get(url(sw))  # sessions, permissions cached
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(sw)).status_code == 200
    return len(queries)


def test_the_page_is_a_constant_number_of_queries(sw: SurveyWorld) -> None:
    Margin.objects.create(survey=sw.survey, dimension="sex", value="m", population=500)
    Margin.objects.create(survey=sw.survey, dimension="sex", value="f", population=500)
    load_ten(sw)
    small = page_queries(sw.world, sw)
    load_ten(sw, times=4)
    assert page_queries(sw.world, sw) == small
