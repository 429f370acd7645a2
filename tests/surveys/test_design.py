"""Designing surveys in the domain: settings, status, copying a round, questions, presets and
the rules that keep skip logic pointing back; every change audited, refusals write nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from chuangcheng.core.models import AuditEntry
from chuangcheng.surveys.domain.design import (
    SurveyData,
    change_status,
    copy_survey,
    create_survey,
    delete_survey,
    parse_age_bands,
    update_survey,
)
from chuangcheng.surveys.domain.design_questions import (
    PRESETS,
    ChoiceData,
    QuestionData,
    delete_question,
    move_question,
    save_question,
    survey_clauses,
)
from chuangcheng.surveys.enums import Mode, SurveyStatus
from chuangcheng.surveys.models import Choice, Margin, Question, QuotaCell, Response, Survey
from tests.conftest import World
from tests.surveys.conftest import SurveyWorld


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


def data(world: World, **kw: Any) -> SurveyData:
    return SurveyData(**{"code": "t2026", "title": "测试调查", "region": world.district, **kw})


def test_create_survey_with_defaults_and_audit(world: World) -> None:
    survey = create_survey(actor=world.office, data=data(world, target_size=2000))
    assert (survey.code, survey.status, survey.created_by, survey.target_size) == (
        "t2026",
        "draft",
        world.office,
        2000,
    )
    assert survey.age_bands == [[18, 29], [30, 44], [45, 59], [60, 65]]
    entry = AuditEntry.objects.get(object_type="surveys.survey", object_id=str(survey.pk))
    assert (entry.action, entry.actor, entry.after["code"]) == ("create", world.office, "t2026")


def test_only_the_office_over_the_region_creates(world: World, sw: SurveyWorld) -> None:
    for user in (world.leader, world.auditor, world.inspector, world.user_s1, sw.other_office):
        with pytest.raises(PermissionDenied):
            create_survey(actor=user, data=data(world))
    assert not Survey.objects.filter(code="t2026").exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "有 空格"}, "code", "Letters, digits, - and _ (at most 40), e.g. myd2026."),
        ({"code": "s2026"}, "code", "Another survey has this code."),
        ({"title": " "}, "title", "Give a title."),
        ({"languages": []}, "languages", "Choose at least one language."),
        ({"min_age": 70}, "max_age", "The oldest eligible age must be at least the youngest."),
        (
            {"age_bands": [[18, 29], [31, 65]]},
            "age_bands",
            "Bands must follow each other without gaps from 18 to 65 (e.g. 18-29, 30-44, 45-59, 60-65).",  # noqa: E501
        ),
        (
            {"age_bands": [[18, 60]]},
            "age_bands",
            "The last band must end at the oldest eligible age, 65.",
        ),
        ({"age_bands": []}, "age_bands", "Give at least one age band."),
        (
            {"occupations": ["学生", "学生"]},
            "occupations",
            "One occupation per line, each once, at most 40 characters.",
        ),
        (
            {"self_answer": False, "interviewers": False},
            "self_answer",
            "Allow self-answering, interviewers, or both.",
        ),
    ],
)
def test_survey_settings_are_checked(
    sw: SurveyWorld, change: dict[str, Any], field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        create_survey(actor=sw.world.office, data=data(sw.world, **change))
    assert errors(info)[field] == [message]
    assert Survey.objects.count() == 2


def test_collection_dates_in_order(world: World) -> None:
    import datetime as dt

    with pytest.raises(ValidationError) as info:
        create_survey(
            actor=world.office,
            data=data(world, starts_on=dt.date(2026, 5, 2), ends_on=dt.date(2026, 5, 1)),
        )
    assert errors(info) == {"ends_on": ["The collection ends before it starts."]}


def test_parse_age_bands() -> None:
    assert parse_age_bands("18-29, 30-44，45～59；60–65") == [
        [18, 29],
        [30, 44],
        [45, 59],
        [60, 65],
    ]
    with pytest.raises(ValueError, match="30到44"):
        parse_age_bands("18-29, 30到44")


def test_an_open_survey_keeps_its_sample_settings(sw: SurveyWorld) -> None:
    survey = sw.survey
    changed = data(
        sw.world,
        code="s2026",
        title="新标题",
        min_age=16,
        age_bands=[[16, 65]],
        occupations=["学生"],
        target_size=800,
    )
    update_survey(actor=sw.world.office, survey=survey, data=changed)
    survey.refresh_from_db()
    assert (survey.title, survey.target_size, survey.min_age, survey.occupations) == (
        "新标题",
        800,
        18,
        [],
    )
    assert survey.age_bands == [[18, 29], [30, 44], [45, 59], [60, 65]]
    entry = AuditEntry.objects.filter(action="update").latest("id")
    assert entry.before == {"target_size": None, "title": "2026年文明城区创建群众满意度调查"}
    assert entry.after == {"target_size": 800, "title": "新标题"}


def test_status_moves_along_the_transitions_only(sw: SurveyWorld) -> None:
    office, survey = sw.world.office, sw.survey
    with pytest.raises(ValidationError) as info:
        change_status(actor=office, survey=survey, status=SurveyStatus.DRAFT)
    assert info.value.messages == ["A survey that is Collecting cannot become Draft."]
    change_status(actor=office, survey=survey, status=SurveyStatus.CLOSED)
    change_status(actor=office, survey=survey, status=SurveyStatus.OPEN)
    survey.refresh_from_db()
    assert survey.status == "open"
    assert [e.after for e in AuditEntry.objects.filter(action="update").order_by("id")] == [
        {"status": "closed"},
        {"status": "open"},
    ]
    with pytest.raises(PermissionDenied):
        change_status(actor=sw.world.leader, survey=survey, status=SurveyStatus.CLOSED)


def test_an_empty_draft_cannot_open(world: World) -> None:
    survey = create_survey(actor=world.office, data=data(world))
    with pytest.raises(ValidationError) as info:
        change_status(actor=world.office, survey=survey, status=SurveyStatus.OPEN)
    assert info.value.messages == ["Add at least one question before opening the survey."]


def test_copy_as_new_round_copies_questions_quotas_and_margins(sw: SurveyWorld) -> None:
    from django.utils import timezone

    QuotaCell.objects.create(
        survey=sw.survey, street=sw.world.s1, age_band="18-29", sex="f", target=20
    )
    Margin.objects.create(survey=sw.survey, dimension="sex", value="f", population=51000)
    Response.objects.create(survey=sw.survey, mode=Mode.SELF, started_at=timezone.now())
    copy = copy_survey(actor=sw.world.office, survey=sw.survey, code="s2027", title="2027年调查")
    assert (copy.status, copy.copied_from, copy.region, copy.framework) == (
        "draft",
        sw.survey,
        sw.world.district,
        sw.framework,
    )
    assert copy.public_token != sw.survey.public_token
    assert list(
        copy.questions.values_list("order", "name", "kind", "measure", "clause_id", "relevant")
    ) == [
        (1, "aware", "single", "awareness", sw.opinion.pk, ""),
        (2, "joined", "multiple", "participation", None, ""),
        (3, "satisfied", "single", "satisfaction", sw.opinion.pk, ""),
        (4, "why", "text", "", None, "${satisfied} = 'ns'"),
    ]
    assert list(
        Choice.objects.filter(question__survey=copy, question__name="satisfied").values_list(
            "value", "score", "excluded"
        )
    ) == [
        ("s", Decimal("1.000"), False),
        ("bs", Decimal("0.900"), False),
        ("ns", Decimal("0.000"), False),
        ("dk", Decimal("0.000"), True),
    ]
    assert list(copy.quotas.values_list("street", "age_band", "sex", "target")) == [
        (sw.world.s1.pk, "18-29", "f", 20)
    ]
    assert list(copy.margins.values_list("dimension", "value", "population")) == [
        ("sex", "f", 51000)
    ]
    assert copy.responses.count() == 0
    assert (
        AuditEntry.objects.get(action="create", object_id=str(copy.pk)).note == "Copied from s2026"
    )


def test_delete_only_an_unanswered_draft(sw: SurveyWorld) -> None:
    from django.utils import timezone

    with pytest.raises(ValidationError):
        delete_survey(actor=sw.world.office, survey=sw.survey)  # open
    draft = copy_survey(actor=sw.world.office, survey=sw.survey, code="d1", title="草稿")
    Response.objects.create(survey=draft, mode=Mode.SELF, started_at=timezone.now())
    with pytest.raises(ValidationError) as info:
        delete_survey(actor=sw.world.office, survey=draft)
    assert info.value.messages == ["This survey has responses and cannot be deleted."]
    Response.objects.filter(survey=draft).delete()
    delete_survey(actor=sw.world.office, survey=draft)
    assert not Survey.objects.filter(code="d1").exists()


@pytest.fixture
def draft(sw: SurveyWorld) -> Survey:
    return copy_survey(actor=sw.world.office, survey=sw.survey, code="d2026", title="草稿")


def q(name: str, kind: str = "text", **kw: Any) -> QuestionData:
    return QuestionData(name=name, kind=kind, labels={"zh-Hans": f"{name}？"}, **kw)


def test_add_a_satisfaction_question_with_the_preset(sw: SurveyWorld, draft: Survey) -> None:
    saved = save_question(
        actor=sw.world.office,
        survey=draft,
        data=q(
            "env",
            "single",
            measure="satisfaction",
            clause=sw.opinion,
            required=True,
            choices=PRESETS["satisfaction"],
        ),
    )
    assert saved.order == 5
    assert list(saved.choices.values_list("order", "value", "labels", "score", "excluded")) == [
        (1, "s", {"zh-Hans": "满意", "en": "Satisfied"}, Decimal("1.000"), False),
        (2, "bs", {"zh-Hans": "基本满意", "en": "Fairly satisfied"}, Decimal("0.900"), False),
        (3, "ns", {"zh-Hans": "不满意", "en": "Dissatisfied"}, Decimal("0.000"), False),
        (4, "dk", {"zh-Hans": "说不清", "en": "Can't say"}, Decimal("0.000"), True),
    ]
    entry = AuditEntry.objects.get(object_type="surveys.question", action="create")
    assert entry.after["choices"] == ["s=1.000", "bs=0.900", "ns=0.000", "dk=0.000*"]


def test_a_rating_question_gets_its_points(sw: SurveyWorld, draft: Survey) -> None:
    saved = save_question(
        actor=sw.world.office,
        survey=draft,
        data=q(
            "overall",
            "rating",
            scale_min=1,
            scale_max=4,
            choices=[ChoiceData("x", {"zh-Hans": "x"})],
        ),
    )
    assert list(saved.choices.values_list("value", "score")) == [
        ("1", Decimal("0.000")),
        ("2", Decimal("0.333")),
        ("3", Decimal("0.667")),
        ("4", Decimal("1.000")),
    ]


@pytest.mark.parametrize(
    ("question", "field", "message"),
    [
        (q("aware"), "name", "Another question of this survey has this name."),
        (q("9x"), "name", "Letters, digits, _ and - starting with a letter (at most 64), e.g. q1."),
        (QuestionData(name="a", kind="text", labels={"zh-Hans": " "}), "labels", "Give the question's text."),  # noqa: E501
        (q("a", "single", choices=[ChoiceData("y", {"zh-Hans": "是"})]), "choices", "Give at least two choices."),  # noqa: E501
        (q("a", "single", choices=[ChoiceData("y", {"zh-Hans": "是"}), ChoiceData("y", {"zh-Hans": "对"})]), "choices", "Each choice needs its own value."),  # noqa: E501
        (q("a", "multiple", choices=[ChoiceData("y es", {"zh-Hans": "是"}), ChoiceData("n", {"zh-Hans": "否"})]), "choices", "Values are short codes without spaces (at most 64 characters), e.g. s, bs, ns."),  # noqa: E501
        (q("a", "single", choices=[ChoiceData("y", {"zh-Hans": ""}), ChoiceData("n", {"zh-Hans": "否"})]), "choices", "Every choice needs a label (y)."),  # noqa: E501
        (q("a", "single", choices=[ChoiceData("y", {"zh-Hans": "是"}, Decimal(2)), ChoiceData("n", {"zh-Hans": "否"})]), "choices", "Scores run from 0 to 1 (y)."),  # noqa: E501
        (q("a", "text", choices=[ChoiceData("y", {"zh-Hans": "是"})]), "choices", "Only choice questions have choices."),  # noqa: E501
        (q("a", "rating", scale_min=1, scale_max=12), "scale_max", "A scale runs from a lower to a higher whole number, at most 11 points."),  # noqa: E501
        (q("a", measure="satisfaction"), "measure", "Only a choice or rating question can count in a rate."),  # noqa: E501
        (q("a", relevant="${later} = 'x'"), "relevant", "${later} is not an earlier question at character 1"),  # noqa: E501
        (q("a", relevant="${aware} = "), "relevant", "The expression ends too early at character 12"),  # noqa: E501
    ],
)  # fmt: skip
def test_questions_are_checked(
    sw: SurveyWorld, draft: Survey, question: QuestionData, field: str, message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        save_question(actor=sw.world.office, survey=draft, data=question)
    assert errors(info)[field] == [message]
    assert draft.questions.count() == 4


def test_a_clause_must_be_a_survey_clause_of_the_framework(sw: SurveyWorld, draft: Survey) -> None:
    from chuangcheng.frameworks.models import Node

    field_clause = Node.objects.create(
        framework=sw.framework,
        parent=sw.opinion.parent,
        level="standard",
        seq=3,
        number="2.",
        text="实地",
        methods=["field"],
    )
    assert [n.pk for n in survey_clauses(draft)] == [sw.opinion.pk]
    with pytest.raises(ValidationError) as info:
        save_question(actor=sw.world.office, survey=draft, data=q("a", clause=field_clause))
    assert errors(info)["clause"] == [
        "Choose a clause of the survey's framework assessed by survey."
    ]


def test_questions_change_only_in_a_draft(sw: SurveyWorld) -> None:
    with pytest.raises(ValidationError) as info:
        save_question(actor=sw.world.office, survey=sw.survey, data=q("new"))
    assert info.value.messages == [
        "Questions can change only while the survey is a draft (this one is Collecting)."
    ]
    with pytest.raises(ValidationError):
        delete_question(actor=sw.world.office, question=sw.why)
    with pytest.raises(ValidationError):
        move_question(actor=sw.world.office, question=sw.why, up=True)
    assert sw.survey.questions.count() == 4


def test_skip_logic_keeps_pointing_back(sw: SurveyWorld, draft: Survey) -> None:
    office = sw.world.office
    satisfied = draft.questions.get(name="satisfied")
    why = draft.questions.get(name="why")
    message = "Questions why use ${satisfied} in their skip logic; change them first."
    with pytest.raises(ValidationError) as info:
        delete_question(actor=office, question=satisfied)
    assert info.value.messages == [message]
    renamed = q("content", "single", choices=PRESETS["satisfaction"])
    with pytest.raises(ValidationError) as info:
        save_question(actor=office, survey=draft, data=renamed, question=satisfied)
    assert errors(info)["name"] == [message]
    with pytest.raises(ValidationError) as info:
        move_question(actor=office, question=why, up=True)
    assert info.value.messages == [
        "why asks only after an answer to satisfied: it cannot come before it."
    ]
    with pytest.raises(ValidationError):
        move_question(actor=office, question=satisfied, up=False)
    assert list(draft.questions.order_by("order").values_list("name", flat=True)) == [
        "aware",
        "joined",
        "satisfied",
        "why",
    ]


def test_move_and_delete(sw: SurveyWorld, draft: Survey) -> None:
    office = sw.world.office
    joined = draft.questions.get(name="joined")
    move_question(actor=office, question=joined, up=True)
    assert list(draft.questions.order_by("order").values_list("order", "name")) == [
        (1, "joined"),
        (2, "aware"),
        (3, "satisfied"),
        (4, "why"),
    ]
    move_question(actor=office, question=draft.questions.get(name="joined"), up=True)  # first
    move_question(actor=office, question=draft.questions.get(name="aware"), up=True)
    assert list(draft.questions.order_by("order").values_list("name", flat=True)) == [
        "aware",
        "joined",
        "satisfied",
        "why",
    ]
    delete_question(actor=office, question=draft.questions.get(name="why"))
    assert list(draft.questions.values_list("name", flat=True)) == ["aware", "joined", "satisfied"]
    assert AuditEntry.objects.filter(object_type="surveys.question", action="delete").count() == 1
    assert AuditEntry.objects.filter(object_type="surveys.question", action="update").count() == 2


def test_editing_replaces_choices_and_keeps_the_section(sw: SurveyWorld, draft: Survey) -> None:
    aware = draft.questions.get(name="aware")
    aware.group = {"zh-Hans": "知晓"}
    aware.save()
    edited = q(
        "aware",
        "single",
        measure="awareness",
        group={"zh-Hans": "知晓"},
        relevant="",
        choices=[
            ChoiceData("y", {"zh-Hans": "知道"}, Decimal(1)),
            ChoiceData("n", {"zh-Hans": "不知道"}),
        ],
    )
    save_question(actor=sw.world.office, survey=draft, data=edited, question=aware)
    aware.refresh_from_db()
    assert list(aware.choices.values_list("value", flat=True)) == ["y", "n"]
    assert aware.group == {"zh-Hans": "知晓"}
    entry = AuditEntry.objects.filter(object_type="surveys.question", action="update").latest("id")
    assert entry.before["choices"] == ["yes=1.000", "no=0.000"]
    assert entry.after["choices"] == ["y=1.000", "n=0.000"]
    assert Question.objects.filter(survey=sw.survey, name="aware").get().choices.count() == 2
