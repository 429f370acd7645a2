"""Interviewer mode: the menu entry, the survey list with today's count, an interview from
screening to submit with the position and the account, drafts, and "my responses"."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.accounts.enums import Role
from chuangcheng.surveys.enums import Mode, ResponseState, SurveyStatus
from chuangcheng.surveys.models import Answer, Response
from tests.conftest import login
from tests.factories import UserFactory, grant
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import respond

SCREEN = {"mode": "home", "age": "45", "sex": "m", "months": "240", "region": "110101001001"}
POS = {"lat": "39.925100", "lng": "116.405100", "accuracy": "12"}


def test_menu_entry_follows_the_permission(sw: SurveyWorld) -> None:
    assert "入户/街访调查" in login(sw.world.inspector).get("/").content.decode()
    assert "入户/街访调查" not in login(sw.world.user_s1).get("/").content.decode()
    assert login(sw.world.user_s1).get("/surveys/interview/").status_code == 403


def test_list_shows_open_surveys_with_todays_count(sw: SurveyWorld) -> None:
    respond(sw, actor=sw.world.inspector, mode=Mode.HOME)
    respond(sw, actor=sw.world.inspector, mode=Mode.STREET)
    respond(sw, actor=sw.world.inspector, mode=Mode.STREET, age="90")
    page = login(sw.world.inspector).get("/surveys/interview/")
    assert [(s.code, s.today_count) for s in page.context["surveys"]] == [("s2026", 2)]
    body = page.content.decode()
    assert "西城区满意度调查" not in body
    sw.survey.interviewers = False
    sw.survey.save()
    assert login(sw.world.inspector).get("/surveys/interview/").context["surveys"] == []


def test_start_defaults_to_the_interviewers_street(sw: SurveyWorld) -> None:
    page = login(sw.world.inspector).get(f"/surveys/interview/{sw.survey.pk}/start/")
    assert page.status_code == 200
    assert page.context["values"]["region"] == "110101001"
    assert '<option value="110101001" selected>' in page.content.decode()


def test_an_interview_from_screening_to_submit(sw: SurveyWorld) -> None:
    client = login(sw.world.inspector)
    started = client.post(f"/surveys/interview/{sw.survey.pk}/start/", {**SCREEN, **POS})
    response = Response.objects.get()
    assert started["Location"] == f"/surveys/interview/r/{response.pk}/"
    assert (response.state, response.interviewer, response.lat, response.accuracy) == (
        ResponseState.DRAFT,
        sw.world.inspector,
        39.9251,
        12.0,
    )
    page = client.get(started["Location"]).content.decode()
    assert 'data-geo="1"' in page and "您对创建工作成效是否满意?" in page
    kept = client.post(started["Location"], {"action": "draft", "aware": "yes"})
    assert kept["Location"] == "/surveys/interview/"
    assert Answer.objects.get(response=response).value == "yes"
    refused = client.post(started["Location"], {"action": "submit", "aware": "yes"})
    assert refused.status_code == 400
    assert "这个问题需要回答。" in refused.content.decode()
    done = client.post(
        started["Location"],
        {
            "action": "submit",
            "aware": "yes",
            "joined": "vol",
            "satisfied": "s",
            **POS,
            "lat": "39.9260",
        },
    )
    assert done["Location"] == f"/surveys/interview/r/{response.pk}/done/"
    response.refresh_from_db()
    assert (response.state, response.lat, response.mode) == ("complete", 39.926, "home")
    thanks = client.get(done["Location"]).content.decode()
    assert "谢谢" in thanks and f"/surveys/interview/{sw.survey.pk}/start/" in thanks


def test_position_denied_still_saves(sw: SurveyWorld) -> None:
    client = login(sw.world.inspector)
    started = client.post(f"/surveys/interview/{sw.survey.pk}/start/", SCREEN)
    client.post(started["Location"], {"aware": "no", "joined": "none", "satisfied": "dk"})
    assert Response.objects.get().lat is None
    assert Response.objects.get().state == "complete"


def test_screening_errors_and_screened_out(sw: SurveyWorld) -> None:
    client = login(sw.world.inspector)
    bad = client.post(f"/surveys/interview/{sw.survey.pk}/start/", {**SCREEN, "mode": ""})
    assert bad.status_code == 400
    assert "请选择入户或街访。" in bad.content.decode()
    out = client.post(f"/surveys/interview/{sw.survey.pk}/start/", {**SCREEN, "months": "3"})
    response = Response.objects.get()
    assert out["Location"] == f"/surveys/interview/r/{response.pk}/done/"
    assert "因此无需继续作答" in client.get(out["Location"]).content.decode()


def test_nobody_else_reaches_an_interview(sw: SurveyWorld) -> None:
    r = respond(sw, actor=sw.world.inspector, mode=Mode.HOME)
    second = UserFactory(username="inspector2", display_name="督查员乙")
    grant(second, Role.INSPECTOR, region=sw.world.s1)
    client = login(second)
    for url in (f"/surveys/interview/r/{r.pk}/", f"/surveys/interview/r/{r.pk}/done/"):
        assert client.get(url).status_code == 404
    # Another district's survey, or a closed one, is not there to start.
    assert client.get(f"/surveys/interview/{sw.other_survey.pk}/start/").status_code == 404
    sw.survey.status = SurveyStatus.CLOSED
    sw.survey.save()
    assert client.get(f"/surveys/interview/{sw.survey.pk}/start/").status_code == 404


def _queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_my_responses_lists_only_mine_in_constant_queries(sw: SurveyWorld) -> None:
    client = login(sw.world.inspector)
    respond(sw, actor=sw.world.inspector, mode=Mode.HOME)
    respond(sw, actor=sw.world.office, mode=Mode.HOME)
    client.get("/surveys/interview/mine/")
    few = _queries(client, "/surveys/interview/mine/")
    for _ in range(8):
        respond(sw, actor=sw.world.inspector, mode=Mode.STREET)
    assert _queries(client, "/surveys/interview/mine/") == few
    page = client.get("/surveys/interview/mine/")
    assert {r.interviewer_id for r in page.context["page"].object_list} == {sw.world.inspector.pk}
    assert page.context["totals"] == {"complete": 9, "today": 9}
    few_list = _queries(client, "/surveys/interview/")
    respond(sw, actor=sw.world.inspector, mode=Mode.STREET)
    assert _queries(client, "/surveys/interview/") == few_list
