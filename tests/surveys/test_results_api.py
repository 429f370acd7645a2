"""GET /api/v1/surveys/{code}/report: the command line's figures, scoped (404 outside)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.surveys.models import Margin
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten

URL = "/api/v1/surveys/s2026/report"


@pytest.fixture
def ten(sw: SurveyWorld) -> SurveyWorld:
    load_ten(sw)
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101002", population=700)
    return sw


def test_the_api_gives_the_same_figures_as_the_command(ten: SurveyWorld) -> None:
    response = login(ten.world.office).get(URL)
    assert response.status_code == 200
    data = response.json()
    out = StringIO()
    call_command("survey", "report", "s2026", stdout=out)
    assert data == json.loads(out.getvalue())
    aware = data["measures"]["awareness"]["streets"]["all"]
    assert (aware["rate"], aware["ci_low"], aware["ci_high"], aware["weighted_rate"]) == (
        0.6,
        0.3127,
        0.8318,
        0.55,
    )


def test_a_leader_reads_it_too(ten: SurveyWorld) -> None:
    assert login(ten.world.leader).get(URL).status_code == 200


@pytest.mark.parametrize("who", ["inspector", "user_s1", "nobody", "auditor"])
def test_others_get_404(ten: SurveyWorld, who: str) -> None:
    response = login(getattr(ten.world, who)).get(URL)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_districts_office_gets_404_and_its_own_survey(ten: SurveyWorld) -> None:
    client = login(ten.other_office)
    assert client.get(URL).status_code == 404
    assert client.get("/api/v1/surveys/xc2026/report").status_code == 200
    assert login(ten.world.office).get("/api/v1/surveys/xc2026/report").status_code == 404


def test_an_unknown_code_is_404(ten: SurveyWorld) -> None:
    assert login(ten.world.office).get("/api/v1/surveys/nope/report").status_code == 404


def test_anonymous_callers_must_authenticate(ten: SurveyWorld, client: object) -> None:
    assert client.get(URL).status_code == 401  # type: ignore[attr-defined]


def test_the_report_endpoint_is_constant_in_queries(ten: SurveyWorld) -> None:
    client = login(ten.world.office)
    client.get(URL)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    load_ten(ten, times=3)
    with CaptureQueriesContext(connection) as large:
        client.get(URL)
    assert len(small) == len(large)


def test_schema_names_are_prefixed(ten: SurveyWorld) -> None:
    schema = login(ten.world.office).get("/api/v1/openapi.json").json()
    names = set(schema["components"]["schemas"])
    assert {"SurveyReportOut", "SurveyReportFigures", "SurveyReportMeasure"} <= names
