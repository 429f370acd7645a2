"""The dashboards' survey panel: the latest readable survey's four rates, scoped, constant
queries, shown on the leader's and the office's boards and in the big screen's ticker."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from chuangcheng.accounts.scope import scope_of
from chuangcheng.core.dashboards import PANELS
from chuangcheng.surveys.enums import SurveyStatus
from chuangcheng.surveys.models import Margin, Survey
from chuangcheng.surveys.panels import latest_rates
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld
from tests.surveys.results_data import load_ten


def request_for(user: Any) -> Any:
    request = RequestFactory().get("/")
    request.user = user
    scope_of(user)
    return request


def test_registered_for_the_leader_office_and_screen() -> None:
    assert PANELS["surveys.latest"].boards == {"leader", "office", "screen"}


def test_the_latest_surveys_rates_with_intervals(sw: SurveyWorld) -> None:
    load_ten(sw)
    Survey.objects.filter(pk=sw.survey.pk).update(starts_on=dt.date(2026, 10, 1))
    # An older survey and a newer draft are not the one shown.
    Survey.objects.create(
        code="old", title="旧", region=sw.world.district, status=SurveyStatus.CLOSED,
        starts_on=dt.date(2025, 10, 1),
    )  # fmt: skip
    Survey.objects.create(
        code="draft", title="草稿", region=sw.world.district, starts_on=dt.date(2026, 11, 1)
    )
    found = latest_rates(request_for(sw.world.leader), "leader")
    assert found is not None
    assert found["survey"] == sw.survey and found["link"] == f"/surveys/{sw.survey.pk}/results/"
    figures = {
        m.measure: (m.overall.rate_pct, m.overall.denominator) for m in found["report"].measures
    }
    assert figures == {
        "awareness": (60.0, 10),
        "participation": (40.0, 10),
        "satisfaction": (73.3, 9),
    }
    html = render_to_string(
        "surveys/panels/latest.html",
        {**found, "panel": PANELS["surveys.latest"], "board": "leader"},
    )
    assert "60.0%" in html and "31.3–83.2" in html and "n=10" in html
    assert f'href="/surveys/{sw.survey.pk}/results/#streets"' in html
    ticker = render_to_string(
        "surveys/panels/latest.html",
        {**found, "panel": PANELS["surveys.latest"], "board": "screen"},
    )
    assert "<link" not in ticker and "60.0%" in ticker


def test_weighted_rates_show_when_margins_exist(sw: SurveyWorld) -> None:
    load_ten(sw)
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101001", population=300)
    Margin.objects.create(survey=sw.survey, dimension="street", value="110101002", population=700)
    found = latest_rates(request_for(sw.world.office), "office")
    assert found is not None and found["weighted"]
    html = render_to_string(
        "surveys/panels/latest.html",
        {**found, "panel": PANELS["surveys.latest"], "board": "office"},
    )
    assert "55.0%" in html


def test_nothing_for_those_who_may_not_read_results(sw: SurveyWorld) -> None:
    for user in (sw.world.inspector, sw.world.user_s1, sw.world.nobody, sw.world.auditor):
        assert latest_rates(request_for(user), "office") is None


def test_another_district_sees_its_own_survey(sw: SurveyWorld) -> None:
    found = latest_rates(request_for(sw.other_office), "office")
    assert found is not None and found["survey"] == sw.other_survey


def test_the_leaders_board_shows_the_panel(sw: SurveyWorld) -> None:
    load_ten(sw)
    html = login(sw.world.leader).get("/board/leader/").content.decode()
    assert 'class="card board-panel sr-panel"' in html
    assert f'href="/surveys/{sw.survey.pk}/results/"' in html


def test_constant_queries(sw: SurveyWorld) -> None:
    load_ten(sw)
    request = request_for(sw.world.leader)
    latest_rates(request, "leader")
    with CaptureQueriesContext(connection) as small:
        latest_rates(request, "leader")
    load_ten(sw, times=3)
    with CaptureQueriesContext(connection) as large:
        latest_rates(request, "leader")
    assert len(small) == len(large) == 7
