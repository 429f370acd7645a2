"""Screening, eligibility, one response per person, the rate limit, drafts and voiding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from chuangcheng.core.crypto import decrypt, keyed_hash
from chuangcheng.core.models import AuditEntry
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.screening import clean_screening, places
from chuangcheng.surveys.enums import Mode, ResponseState, ScreenReason, SurveyStatus
from chuangcheng.surveys.models import Answer, Response
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import GOOD, respond, screening


def test_screening_errors_name_each_field(sw: SurveyWorld) -> None:
    sw.survey.occupations = ["学生", "企业职工"]
    sw.survey.ask_phone = True
    cleaned, errors = clean_screening(
        sw.survey,
        {
            "age": "abc",
            "sex": "x",
            "months": "-1",
            "region": "110102",
            "occupation": "农民",
            "phone": "12345",
        },
    )
    assert cleaned is None
    assert errors == {
        "age": "请填写周岁年龄（0 到 120）。",
        "sex": "请选择男或女。",
        "months": "请用整数填写在本区居住的月数。",
        "region": "请选择您居住的街道或社区。",
        "occupation": "请从列表中选择职业。",
        "phone": "请填写 11 位大陆手机号码，或留空。",
    }


def test_places_are_the_streets_and_communities_of_the_survey_region(sw: SurveyWorld) -> None:
    found = {code: (p.region.name, p.street.name) for code, p in places(sw.survey).items()}
    assert found == {
        "110101001": ("东华门街道", "东华门街道"),
        "110101001001": ("多福巷社区", "东华门街道"),
        "110101002": ("景山街道", "景山街道"),
        "110101002001": ("吉祥社区", "景山街道"),
    }


@pytest.mark.parametrize(
    ("age", "months", "state"),
    [
        ("17", "24", ResponseState.SCREENED_OUT),
        ("18", "6", ResponseState.COMPLETE),
        ("65", "600", ResponseState.COMPLETE),
        ("66", "600", ResponseState.SCREENED_OUT),
        ("40", "5", ResponseState.SCREENED_OUT),
    ],
)
def test_eligibility_is_age_18_to_65_and_half_a_year_here(
    sw: SurveyWorld, age: str, months: str, state: str
) -> None:
    r = respond(sw, age=age, months=months)
    assert r.state == state
    if state == ResponseState.SCREENED_OUT:
        assert r.screen_reason == ScreenReason.INELIGIBLE
        assert not Answer.objects.filter(response=r).exists()
        assert (r.age, r.residence_months) == (int(age), int(months))


def test_second_response_from_the_same_device_is_refused(sw: SurveyWorld) -> None:
    respond(sw, token="phone-of-wang")
    with pytest.raises(submit.AlreadyAnsweredError) as caught:
        respond(sw, token="phone-of-wang")
    assert caught.value.key == "device"
    # Another survey is another question.
    assert respond(sw, token="phone-of-wang", survey=sw.other_survey, region="110102").pk
    # Screened out counts as answered too: trying again with another age does not work.
    respond(sw, token="teen", age="16")
    with pytest.raises(submit.AlreadyAnsweredError):
        respond(sw, token="teen", age="30")


def test_second_response_with_the_same_phone_is_refused_and_the_phone_is_encrypted(
    sw: SurveyWorld,
) -> None:
    sw.survey.ask_phone = True
    sw.survey.save()
    first = respond(sw, token="a", phone="138 0013 8000")
    assert first.phone_hash == keyed_hash("13800138000", "survey-phone")
    stored = Response.objects.filter(pk=first.pk).values_list("phone", flat=True)[0]
    assert stored == "13800138000"  # decrypted by the field
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM surveys_response WHERE id = %s", [first.pk])
        raw = cursor.fetchone()[0]
    assert "13800138000" not in raw
    assert decrypt(raw) == "13800138000"
    with pytest.raises(submit.AlreadyAnsweredError) as caught:
        respond(sw, token="b", phone="+8613800138000")
    assert caught.value.key == "phone"


def test_voided_response_frees_the_device(sw: SurveyWorld) -> None:
    r = respond(sw, token="t")
    submit.void(r, actor=sw.world.office, reason="测试")
    assert respond(sw, token="t").state == ResponseState.COMPLETE


def test_rate_limit_counts_responses_started_from_one_address_in_the_hour(
    sw: SurveyWorld, settings: object
) -> None:
    settings.SURVEY_RATE_LIMIT = 2  # type: ignore[attr-defined]
    now = timezone.now()
    ip = keyed_hash("203.0.113.9", "survey-ip")

    def go(at: dt.datetime) -> None:
        submit.start(
            sw.survey,
            actor=None,
            screening=screening(sw.survey),
            mode=Mode.SELF,
            ip_hash=ip,
            now=at,
        )

    go(now - dt.timedelta(minutes=70))
    go(now - dt.timedelta(minutes=30))
    go(now - dt.timedelta(minutes=1))
    with pytest.raises(submit.RateLimitedError):
        go(now)
    other = keyed_hash("203.0.113.10", "survey-ip")
    submit.start(
        sw.survey, actor=None, screening=screening(sw.survey), mode=Mode.SELF, ip_hash=other
    )


def test_a_closed_survey_or_one_outside_its_dates_takes_no_response(sw: SurveyWorld) -> None:
    sw.survey.ends_on = timezone.localdate() - dt.timedelta(days=1)
    sw.survey.save()
    with pytest.raises(submit.NotCollectingError):
        respond(sw)
    sw.survey.ends_on = None
    sw.survey.status = SurveyStatus.CLOSED
    sw.survey.save()
    with pytest.raises(submit.NotCollectingError):
        respond(sw)
    sw.survey.status = SurveyStatus.OPEN
    sw.survey.self_answer = False
    sw.survey.save()
    with pytest.raises(submit.NotCollectingError):
        respond(sw)


def test_interviewer_response_records_account_and_position(sw: SurveyWorld) -> None:
    started = submit.start(
        sw.survey,
        actor=sw.world.inspector,
        screening=screening(sw.survey),
        mode=Mode.HOME,
        position=submit.position_from("39.9251", "116.4051", "12"),
    )
    done = submit.submit(
        started,
        GOOD,
        actor=sw.world.inspector,
        position=submit.position_from(39.9252, 116.4052, 8),
    )
    assert (done.interviewer, done.mode, done.lat, done.lng, done.accuracy) == (
        sw.world.inspector,
        Mode.HOME,
        39.9252,
        116.4052,
        8.0,
    )
    # Position denied: the response goes through without one.
    bare = respond(sw, actor=sw.world.inspector, mode=Mode.STREET)
    assert (bare.state, bare.lat, bare.lng) == (ResponseState.COMPLETE, None, None)


def test_people_without_the_interview_permission_cannot_interview(sw: SurveyWorld) -> None:
    for user in (sw.world.user_s1, sw.other_office, None):
        with pytest.raises(PermissionDenied):
            respond(sw, actor=user, mode=Mode.HOME)
    started = submit.start(
        sw.survey, actor=sw.world.inspector, screening=screening(sw.survey), mode=Mode.HOME
    )
    # Another interviewer may not submit someone else's interview.
    with pytest.raises(PermissionDenied):
        submit.submit(started, GOOD, actor=sw.world.office)


def test_draft_keeps_partial_answers_and_submitting_twice_is_refused(sw: SurveyWorld) -> None:
    started = submit.start(
        sw.survey, actor=sw.world.inspector, screening=screening(sw.survey), mode=Mode.HOME
    )
    submit.save_draft(started, {"aware": "yes"}, actor=sw.world.inspector)
    assert dict(Answer.objects.filter(response=started).values_list("question__name", "value")) == {
        "aware": "yes"
    }
    with pytest.raises(ValidationError):
        submit.save_draft(started, {"aware": "perhaps"}, actor=sw.world.inspector)
    submit.submit(started, GOOD, actor=sw.world.inspector)
    with pytest.raises(submit.AlreadySubmittedError):
        submit.submit(started, GOOD, actor=sw.world.inspector)


def test_void_needs_a_reason_and_the_office_and_is_audited(sw: SurveyWorld) -> None:
    r = respond(sw)
    with pytest.raises(ValidationError) as caught:
        submit.void(r, actor=sw.world.office, reason="  ")
    assert caught.value.message_dict == {"reason": ["请填写作废原因。"]}
    for user in (sw.world.inspector, sw.world.leader, sw.other_office):
        with pytest.raises(PermissionDenied):
            submit.void(r, actor=user, reason="x")
    submit.void(r, actor=sw.world.office, reason="访员补录错误")
    entry = (
        AuditEntry.objects.filter(object_type="surveys.response", object_id=str(r.pk))
        .order_by("pk")
        .last()
    )
    assert entry is not None
    assert (entry.actor, entry.note, entry.before, entry.after) == (
        sw.world.office,
        "访员补录错误",
        {"state": "complete", "void_reason": ""},
        {"state": "void", "void_reason": "访员补录错误"},
    )
    with pytest.raises(ValidationError):
        submit.void(r, actor=sw.world.office, reason="again")
