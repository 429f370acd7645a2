"""Credit rows written at submit: exact scores for the ``sw`` questionnaire."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.enums import Measure
from chuangcheng.surveys.models import Answer, Credit
from tests.surveys.conftest import SurveyWorld
from tests.surveys.fieldwork_helpers import respond, screening


def _credits(response_id: int) -> dict[str, tuple[str, Decimal, int | None]]:
    return {
        c.question.name: (c.measure, c.score, c.clause_id)
        for c in Credit.objects.filter(response_id=response_id).select_related("question")
    }


def test_basically_satisfied_earns_point_nine_and_copies_the_respondent(sw: SurveyWorld) -> None:
    r = respond(
        sw,
        {"aware": "yes", "joined": ["clean", "none"], "satisfied": "bs"},
        age="62",
        sex="m",
        region="110101002001",
    )
    assert _credits(r.pk) == {
        "aware": (Measure.AWARENESS, Decimal("1.000"), sw.opinion.pk),
        "joined": (Measure.PARTICIPATION, Decimal("1.000"), None),
        "satisfied": (Measure.SATISFACTION, Decimal("0.900"), sw.opinion.pk),
    }
    rows = list(Credit.objects.filter(response=r))
    assert {(c.street_id, c.age_band, c.sex, c.occupation, c.survey_id) for c in rows} == {
        (sw.world.s2.pk, "60-65", "m", "", sw.survey.pk)
    }
    assert {c.submitted_at for c in rows} == {r.submitted_at}


def test_dont_know_writes_no_satisfaction_row(sw: SurveyWorld) -> None:
    r = respond(sw, {"aware": "no", "joined": "none", "satisfied": "dk"})
    assert _credits(r.pk) == {
        "aware": (Measure.AWARENESS, Decimal("0.000"), sw.opinion.pk),
        "joined": (Measure.PARTICIPATION, Decimal("0.000"), None),
    }


def test_multiple_choice_earns_its_best_choice(sw: SurveyWorld) -> None:
    r = respond(sw, {"aware": "yes", "joined": "none clean", "satisfied": "s"})
    assert _credits(r.pk)["joined"] == (Measure.PARTICIPATION, Decimal("1.000"), None)
    # Stored in the question's order, each value once.
    assert Answer.objects.get(response=r, question=sw.joined).value == "clean none"


def test_hidden_question_is_not_required_and_its_answer_is_dropped(sw: SurveyWorld) -> None:
    r = respond(sw, {"aware": "yes", "joined": "vol", "satisfied": "s", "why": "太吵"})
    assert dict(Answer.objects.filter(response=r).values_list("question__name", "value")) == {
        "aware": "yes",
        "joined": "vol",
        "satisfied": "s",
    }


def test_shown_required_question_must_be_answered(sw: SurveyWorld) -> None:
    started = submit.start(
        sw.survey, actor=None, screening=screening(sw.survey), mode="self", now=timezone.now()
    )
    with pytest.raises(ValidationError) as caught:
        submit.submit(started, {"aware": "yes", "joined": "vol", "satisfied": "ns"}, actor=None)
    assert caught.value.message_dict == {"why": ["这个问题需要回答。"]}
    assert not Answer.objects.filter(response=started).exists()
    assert not Credit.objects.exists()
    done = submit.submit(
        started,
        {"aware": "yes", "joined": "vol", "satisfied": "ns", "why": "垃圾清运不及时"},
        actor=None,
    )
    assert _credits(done.pk)["satisfied"] == (Measure.SATISFACTION, Decimal("0.000"), sw.opinion.pk)
    assert Answer.objects.get(response=done, question=sw.why).value == "垃圾清运不及时"


def test_bad_values_are_named_per_question(sw: SurveyWorld) -> None:
    started = submit.start(sw.survey, actor=None, screening=screening(sw.survey), mode="self")
    with pytest.raises(ValidationError) as caught:
        submit.submit(started, {"aware": "maybe", "joined": "vol dance"}, actor=None)
    assert caught.value.message_dict == {
        "aware": ["“maybe”不是可选答案之一。"],
        "joined": ["“dance”不是可选答案之一。"],
        "satisfied": ["这个问题需要回答。"],
    }


def test_voiding_removes_the_credits(sw: SurveyWorld) -> None:
    r = respond(sw)
    assert Credit.objects.filter(response=r).count() == 3
    submit.void(r, actor=sw.world.office, reason="测试数据")
    assert not Credit.objects.filter(response=r).exists()
    r.refresh_from_db()
    assert (r.state, r.void_reason) == ("void", "测试数据")
