"""The public link /s/<token>/: notice, screening, questionnaire, one response per device and
per phone, the rate limit, closed surveys and unknown tokens."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.surveys.enums import ResponseState, SurveyStatus
from chuangcheng.surveys.models import Answer, Credit, Response
from chuangcheng.surveys.views_public import COOKIE
from tests.surveys.conftest import SurveyWorld

SCREEN = {"age": "34", "sex": "f", "months": "24", "region": "110101001001", "notice": "1"}
FETCH = {"HTTP_X_REQUESTED_WITH": "fetch"}


def url(sw: SurveyWorld, tail: str = "") -> str:
    return f"/s/{sw.survey.public_token}/{tail}"


def start(client: Client, sw: SurveyWorld, **extra: str) -> Any:
    return client.post(url(sw), {**SCREEN, **extra}, REMOTE_ADDR="198.51.100.7")


def test_screening_page_shows_notice_and_sets_an_httponly_device_cookie(sw: SurveyWorld) -> None:
    client = Client()
    page = client.get(url(sw))
    assert page.status_code == 200
    body = page.content.decode()
    assert "隐私告知（第 1 版）" in body
    assert "东华门街道" in body and "多福巷社区" in body and "景山街道" in body
    cookie = page.cookies[COOKIE]
    assert (
        cookie["httponly"] and cookie["path"] == "/s/" and int(cookie["max-age"]) > 3600 * 24 * 365
    )


def test_a_resident_answers_once(sw: SurveyWorld) -> None:
    client = Client()
    client.get(url(sw))
    screened = start(client, sw)
    assert screened.status_code == 302
    assert screened["Location"].startswith(url(sw, "answer/"))
    response = Response.objects.get()
    assert (response.state, response.mode, response.notice_version, response.street) == (
        ResponseState.DRAFT,
        "self",
        "1",
        sw.world.s1,
    )
    assert response.ip_hash == keyed_hash("198.51.100.7", "survey-ip")
    page = client.get(url(sw, "answer/"))
    assert "您对创建工作成效是否满意?" in page.content.decode()
    sent = client.post(
        url(sw, "answer/"), {"aware": "yes", "joined": ["vol", "clean"], "satisfied": "bs"}
    )
    assert sent.status_code == 302
    assert sent["Location"].startswith(url(sw, "thanks/complete/"))
    response.refresh_from_db()
    assert response.state == ResponseState.COMPLETE
    assert Credit.objects.filter(response=response).count() == 3
    # Back to the link: already answered, and starting again is refused.
    assert client.get(url(sw))["Location"].startswith(url(sw, "thanks/already/"))
    assert start(client, sw)["Location"].startswith(url(sw, "thanks/already/"))
    assert Response.objects.count() == 1


def test_fetch_submit_gets_json_errors_by_question_then_a_redirect(sw: SurveyWorld) -> None:
    client = Client()
    client.get(url(sw))
    start(client, sw)
    bad = client.post(url(sw, "answer/"), {"aware": "yes", "satisfied": "ns"}, **FETCH)
    assert bad.status_code == 400
    assert bad.json() == {
        "errors": {
            "joined": "这个问题需要回答。",
            "why": "这个问题需要回答。",
        }
    }
    assert not Answer.objects.exists()
    good = client.post(
        url(sw, "answer/"),
        {"aware": "yes", "joined": "none", "satisfied": "ns", "why": "噪音"},
        **FETCH,
    )
    assert good.status_code == 200
    assert good.json()["redirect"].startswith(url(sw, "thanks/complete/"))
    # A retry of the same submit (the answer was lost on the way) is not an error.
    again = client.post(
        url(sw, "answer/"),
        {"aware": "yes", "joined": "none", "satisfied": "ns", "why": "噪音"},
        **FETCH,
    )
    assert again.json()["redirect"].startswith(url(sw, "thanks/complete/"))


def test_screening_errors_come_back_by_field_and_nothing_is_saved(sw: SurveyWorld) -> None:
    client = Client()
    client.get(url(sw))
    bad = client.post(url(sw), {"age": "", "sex": "f", "months": "24", "region": "x"})
    assert bad.status_code == 400
    body = bad.content.decode()
    assert "请填写周岁年龄（0 到 120）。" in body
    assert "请选择您居住的街道或社区。" in body
    assert "请勾选以确认您已阅读隐私告知。" in body
    assert not Response.objects.exists()


def test_not_eligible_and_quota_full_are_thanked(sw: SurveyWorld) -> None:
    client = Client()
    client.get(url(sw))
    out = start(client, sw, age="70")
    assert out["Location"].startswith(url(sw, "thanks/ineligible/"))
    page = client.get(out["Location"])
    assert "18 至 65 周岁" in page.content.decode()
    assert Response.objects.get().state == ResponseState.SCREENED_OUT


def test_same_phone_from_another_device_is_refused(sw: SurveyWorld) -> None:
    sw.survey.ask_phone = True
    sw.survey.save()
    first, second = Client(), Client()
    for c in (first, second):
        c.get(url(sw))
    assert start(first, sw, phone="13800138000").status_code == 302
    refused = start(second, sw, phone="138-0013-8000")
    assert refused["Location"].startswith(url(sw, "thanks/already/"))
    assert Response.objects.count() == 1


def test_rate_limit_answers_429_with_a_friendly_page(sw: SurveyWorld, settings: Any) -> None:
    settings.SURVEY_RATE_LIMIT = 2
    for _ in range(2):
        c = Client()
        c.get(url(sw))
        assert start(c, sw).status_code == 302
    late = Client()
    late.get(url(sw))
    refused = start(late, sw)
    assert refused.status_code == 429
    assert "同一网络" in refused.content.decode()
    assert Response.objects.count() == 2


@pytest.mark.parametrize("change", ["closed", "draft", "no_self_answer"])
def test_a_survey_not_taking_answers_says_so(sw: SurveyWorld, change: str) -> None:
    if change == "no_self_answer":
        sw.survey.self_answer = False
    else:
        sw.survey.status = SurveyStatus.CLOSED if change == "closed" else SurveyStatus.DRAFT
    sw.survey.save()
    client = Client()
    page = client.get(url(sw), follow=True)
    assert page.status_code == 200
    assert "本调查目前不接受作答" in page.content.decode()
    assert start(client, sw)["Location"].startswith(url(sw, "thanks/closed/"))
    assert not Response.objects.exists()


def test_unknown_token_is_404(sw: SurveyWorld) -> None:
    client = Client()
    assert client.get("/s/no-such-token/").status_code == 404
    assert client.get("/s/no-such-token/answer/").status_code == 404
    assert client.get(url(sw, "thanks/whatever/")).status_code == 404


def test_english_form_when_the_survey_has_english(sw: SurveyWorld) -> None:
    sw.survey.languages = ["zh-Hans", "en"]
    sw.survey.save()
    sw.aware.labels = {"zh-Hans": "您是否知道?", "en": "Do you know?"}
    sw.aware.save()
    client = Client()
    client.get(url(sw))
    start(client, sw)
    page = client.get(url(sw, "answer/") + "?lang=en").content.decode()
    assert "Do you know?" in page and "Submit" in page
    assert "您是否知道?" not in page
    zh = client.get(url(sw, "answer/")).content.decode()
    assert "您是否知道?" in zh and "English" in zh


def test_answer_page_without_a_response_goes_back_to_the_start(sw: SurveyWorld) -> None:
    assert Client().get(url(sw, "answer/"))["Location"] == url(sw)
