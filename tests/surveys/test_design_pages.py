"""The designer's pages: who sees and changes what (404 outside scope, 403 without the right),
the forms end to end, the preset and the skip-logic builder, and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chuangcheng.surveys.domain.design import copy_survey
from chuangcheng.surveys.models import Question, Survey
from tests.conftest import login
from tests.surveys.conftest import SurveyWorld, add_question
from tests.surveys.xlsforms import DATA, workbook


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def draft(sw: SurveyWorld) -> Survey:
    return copy_survey(actor=sw.world.office, survey=sw.survey, code="d2026", title="草稿调查")


def page(user: Any, url: str) -> Any:
    return login(user).get(url, HTTP_ACCEPT_LANGUAGE="en")


def test_list_shows_the_users_surveys_only(sw: SurveyWorld) -> None:
    w = sw.world
    body = page(w.office, "/surveys/").content.decode()
    assert "2026年文明城区创建群众满意度调查" in body and "西城区满意度调查" not in body
    assert "/surveys/new/" in body
    for reader in (w.leader, w.auditor):
        body = page(reader, "/surveys/").content.decode()
        assert "2026年文明城区创建群众满意度调查" in body and "/surveys/new/" not in body
    assert "西城区满意度调查" in page(sw.other_office, "/surveys/").content.decode()
    for stranger in (w.inspector, w.user_s1, w.nobody):
        assert page(stranger, "/surveys/").status_code == 403


def test_nav_has_the_surveys_entry_for_readers(sw: SurveyWorld) -> None:
    assert 'href="/surveys/"' in page(sw.world.leader, "/surveys/").content.decode()
    assert 'href="/surveys/"' not in login(sw.world.user_s1).get("/").content.decode()


def test_detail_outside_scope_is_404_and_without_right_403(sw: SurveyWorld) -> None:
    url = f"/surveys/{sw.survey.pk}/"
    assert page(sw.other_office, url).status_code == 404
    assert page(sw.world.user_s1, url).status_code == 404
    assert page(sw.world.inspector, url).status_code == 403  # sees it to interview only
    assert page(sw.world.office, f"/surveys/{sw.other_survey.pk}/").status_code == 404
    for url in (f"/surveys/{sw.survey.pk}/edit/", f"/surveys/{sw.survey.pk}/copy/"):
        assert page(sw.other_office, url).status_code == 404
        assert page(sw.world.leader, url).status_code == 403


def test_detail_lists_questions_with_choices_and_skip_logic(sw: SurveyWorld) -> None:
    body = page(sw.world.office, f"/surveys/{sw.survey.pk}/").content.decode()
    for text in (
        "您是否知道我区正在创建全国文明城区?",
        "基本满意",
        "scores 0.9",
        "not counted",
        "Satisfaction (满意率)",
    ):
        assert text in body
    assert "Asked only when the answer to “您对创建工作成效是否满意?” is “不满意”" in body
    assert "Close" in body and "Copy as new round" in body
    assert "/questions/new/" not in body  # open: no more questions
    assert "Questions can change only while the survey is a draft." in body
    leader = page(sw.world.leader, f"/surveys/{sw.survey.pk}/").content.decode()
    assert "基本满意" in leader and "Copy as new round" not in leader and "Close" not in leader


def test_list_and_detail_queries_do_not_grow(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{draft.pk}/"

    def count(path: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    count("/surveys/")  # the first request of a session loads the user's grants
    small = (count("/surveys/"), count(url))
    for i in range(5):
        copy_survey(actor=sw.world.office, survey=draft, code=f"more{i}", title=f"更多{i}")
        add_question(
            draft, 10 + i, f"extra{i}", "single", f"问题{i}", [("a", "甲", "1"), ("b", "乙", "0")]
        )
    assert (count("/surveys/"), count(url)) == small


def test_create_a_survey_through_the_form(sw: SurveyWorld) -> None:
    client = login(sw.world.office)
    form = client.get("/surveys/new/").content.decode()
    assert "18-29, 30-44, 45-59, 60-65" in form
    response = client.post(
        "/surveys/new/",
        {
            "code": "jd2026",
            "title": "街道满意度调查",
            "region": sw.world.s1.pk,
            "framework": sw.framework.pk,
            "languages": ["zh-Hans", "en"],
            "min_age": 18,
            "max_age": 65,
            "min_residence_months": 6,
            "age_bands": "18-39, 40-65",
            "occupations": "学生\n退休\n",
            "target_size": 400,
            "self_answer": "on",
        },
    )
    survey = Survey.objects.get(code="jd2026")
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/"
    assert (survey.region, survey.age_bands, survey.occupations, survey.interviewers) == (
        sw.world.s1,
        [[18, 39], [40, 65]],
        ["学生", "退休"],
        False,
    )


def test_bad_settings_are_shown_on_their_fields(sw: SurveyWorld) -> None:
    response = login(sw.world.office).post(
        "/surveys/new/",
        {"code": "s2026", "title": "x", "region": sw.world.district.pk, "languages": ["zh-Hans"],
         "min_age": 18, "max_age": 65, "min_residence_months": 6, "age_bands": "18到65", "self_answer": "on"},  # noqa: E501
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert "Write bands as from-to, separated by commas: 18-29, 30-44 (not “18到65”)." in body
    assert Survey.objects.count() == 2
    response = login(sw.world.office).post(
        "/surveys/new/",
        {"code": "s2026", "title": "x", "region": sw.other_survey.region.pk, "languages": ["zh-Hans"],  # noqa: E501
         "min_age": 18, "max_age": 65, "min_residence_months": 6, "age_bands": "18-65", "self_answer": "on"},  # noqa: E501
    )  # fmt: skip
    assert "Select a valid choice." in response.content.decode()  # another district's region


def test_add_a_question_with_the_satisfaction_preset(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{draft.pk}/questions/new/"
    base = {
        "name": "env",
        "kind": "text",
        "label_zh-Hans": "您对市容环境是否满意？",
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
    }
    shown = client.post(url, {**base, "preset": "satisfaction"}).content.decode()
    for value in ('value="s"', 'value="基本满意"', 'value="0.9"', 'value="说不清"'):
        assert value in shown
    assert '<option value="satisfaction" selected>' in shown
    assert '<option value="single" selected>' in shown
    assert Question.objects.filter(survey=draft, name="env").count() == 0  # not saved yet
    rows = {"c-TOTAL_FORMS": "5", "c-INITIAL_FORMS": "0"}
    for i, (value, label, score, excluded) in enumerate(
        [
            ("s", "满意", "1", ""),
            ("bs", "基本满意", "0.9", ""),
            ("ns", "不满意", "0", ""),
            ("dk", "说不清", "0", "on"),
            ("", "", "", ""),
        ]
    ):
        rows |= {f"c-{i}-value": value, f"c-{i}-label_zh-Hans": label, f"c-{i}-score": score}
        if excluded:
            rows[f"c-{i}-excluded"] = excluded
    response = client.post(
        url,
        {
            **base,
            **rows,
            "kind": "single",
            "measure": "satisfaction",
            "clause": sw.opinion.pk,
            "required": "on",
        },
    )
    env = Question.objects.get(survey=draft, name="env")
    assert (
        response.status_code == 302 and response["Location"] == f"/surveys/{draft.pk}/#q-{env.pk}"
    )
    assert (env.kind, env.measure, env.clause, env.required, env.order) == (
        "single",
        "satisfaction",
        sw.opinion,
        True,
        5,
    )
    assert [(c.value, str(c.score), c.excluded) for c in env.choices.all()] == [
        ("s", "1.000", False),
        ("bs", "0.900", False),
        ("ns", "0.000", False),
        ("dk", "0.000", True),
    ]


def test_skip_logic_from_the_builder_and_the_advanced_field(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    url = f"/surveys/{draft.pk}/questions/new/"
    base = {
        "kind": "text",
        "label_zh-Hans": "为什么？",
        "c-TOTAL_FORMS": "0",
        "c-INITIAL_FORMS": "0",
    }
    client.post(
        url,
        {
            **base,
            "name": "b1",
            "when_question": "satisfied",
            "when_op": "not",
            "when_value": "satisfied:s",
        },
    )
    client.post(
        url,
        {
            **base,
            "name": "b2",
            "when_question": "joined",
            "when_op": "has",
            "when_value": "joined:vol",
        },
    )
    client.post(
        url,
        {
            **base,
            "name": "b3",
            "when_question": "joined",
            "relevant": "count-selected(${joined}) > 1",
        },
    )
    assert dict(draft.questions.filter(name__startswith="b").values_list("name", "relevant")) == {
        "b1": "${satisfied} != 's'",
        "b2": "selected(${joined}, 'vol')",
        "b3": "count-selected(${joined}) > 1",
    }
    bad = client.post(
        url, {**base, "name": "b4", "when_question": "satisfied", "when_value": "joined:vol"}
    )
    assert "Choose an answer of the chosen question." in bad.content.decode()
    bad = client.post(url, {**base, "name": "b5", "relevant": "${nope} = 1"})
    assert "${nope} is not an earlier question at character 1" in bad.content.decode()
    b1 = draft.questions.get(name="b1")
    edit = client.get(f"/surveys/{draft.pk}/questions/{b1.pk}/").content.decode()
    assert (
        '<option value="satisfied:s" selected>' in edit and '<option value="not" selected>' in edit
    )


def test_edit_move_delete_and_refusals_on_open_surveys(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    aware = draft.questions.get(name="aware")
    joined = draft.questions.get(name="joined")
    response = client.post(f"/surveys/{draft.pk}/questions/{joined.pk}/move/", {"to": "up"})
    assert response["Location"] == f"/surveys/{draft.pk}/#q-{joined.pk}"
    assert list(draft.questions.order_by("order").values_list("name", flat=True))[:2] == [
        "joined",
        "aware",
    ]
    client.post(f"/surveys/{draft.pk}/questions/{aware.pk}/delete/")
    assert not draft.questions.filter(name="aware").exists()
    refused = client.post(
        f"/surveys/{draft.pk}/questions/{draft.questions.get(name='satisfied').pk}/delete/",
        follow=True,
    )
    assert (
        "Questions why use ${satisfied} in their skip logic; change them first."
        in refused.content.decode()
    )
    open_form = client.get(
        f"/surveys/{sw.survey.pk}/questions/{sw.why.pk}/", follow=True
    ).content.decode()
    assert (
        "Questions can change only while the survey is a draft (this one is Collecting)."
        in open_form
    )
    assert page(sw.world.leader, f"/surveys/{draft.pk}/questions/new/").status_code == 403
    assert (
        login(sw.world.leader)
        .post(f"/surveys/{draft.pk}/questions/{joined.pk}/delete/")
        .status_code
        == 403
    )
    assert (
        login(sw.other_office)
        .post(f"/surveys/{draft.pk}/questions/{joined.pk}/delete/")
        .status_code
        == 404
    )
    assert (
        page(sw.world.office, f"/surveys/{draft.pk}/questions/{sw.why.pk}/").status_code == 404
    )  # another survey's


def test_status_copy_and_delete_buttons(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    client.post(f"/surveys/{draft.pk}/status/", {"status": "open"})
    draft.refresh_from_db()
    assert draft.status == "open"
    refused = client.post(f"/surveys/{draft.pk}/status/", {"status": "draft"}, follow=True)
    assert "A survey that is Collecting cannot become Draft." in refused.content.decode()
    response = client.post(f"/surveys/{draft.pk}/copy/", {"code": "r2", "title": "第二轮"})
    second = Survey.objects.get(code="r2")
    assert response["Location"] == f"/surveys/{second.pk}/"
    assert (second.status, second.questions.count(), second.copied_from) == ("draft", 4, draft)
    assert (
        "Another survey has this code."
        in client.post(f"/surveys/{draft.pk}/copy/", {"code": "r2", "title": "x"}).content.decode()
    )
    assert (
        login(sw.world.leader)
        .post(f"/surveys/{draft.pk}/status/", {"status": "closed"})
        .status_code
        == 403
    )
    assert client.post(f"/surveys/{second.pk}/delete/")["Location"] == "/surveys/"
    assert not Survey.objects.filter(code="r2").exists()


def test_import_page_creates_a_survey_or_lists_the_problems(sw: SurveyWorld) -> None:
    client = login(sw.world.office)
    assert "xlsform-template.xlsx" in client.get("/surveys/import/").content.decode()
    upload = SimpleUploadedFile(
        "satisfaction_zh.xlsx", (DATA / "satisfaction_zh.xlsx").read_bytes()
    )
    response = client.post(
        "/surveys/import/", {"file": upload, "region": sw.world.district.pk}, follow=True
    )
    survey = Survey.objects.get(code="myd2026")
    body = response.content.decode()
    assert response.redirect_chain == [(f"/surveys/{survey.pk}/", 302)]
    assert "9 questions imported into “2026年文明城区创建群众满意度调查”." in body
    assert (
        "The survey has no framework: the clause column was ignored (rows 4, 5, 6, 9, 10)" in body
    )
    assert "您对公共服务和窗口服务是否满意？" in body
    bad = SimpleUploadedFile("spec.xlsx", (DATA / "pyxform_spec_test.xlsx").read_bytes())
    body = client.post(
        "/surveys/import/", {"file": bad, "region": sw.world.district.pk}
    ).content.decode()
    assert "The file was not imported: 12 problems to fix. Nothing was saved." in body
    assert "Repeated groups (repeats) are not supported." in body and ">15<" in body
    wrong = SimpleUploadedFile("form.xls", b"x")
    assert (
        "Upload an Excel .xlsx file (save an .xls as .xlsx)."
        in client.post(
            "/surveys/import/", {"file": wrong, "region": sw.world.district.pk}
        ).content.decode()
    )
    assert Survey.objects.count() == 3
    assert page(sw.world.leader, "/surveys/import/").status_code == 403


def test_import_into_a_draft_page(sw: SurveyWorld, draft: Survey) -> None:
    client = login(sw.world.office)
    content = workbook([["type", "name", "label"], ["text", "extra", "补充问题"]])
    response = client.post(
        f"/surveys/{draft.pk}/import/", {"file": SimpleUploadedFile("a.xlsx", content)}
    )
    assert response["Location"] == f"/surveys/{draft.pk}/"
    assert draft.questions.order_by("order").last().name == "extra"  # type: ignore[union-attr]
    assert page(sw.other_office, f"/surveys/{draft.pk}/import/").status_code == 404
    moved = client.get(f"/surveys/{sw.survey.pk}/import/", follow=True)
    assert moved.redirect_chain == [(f"/surveys/{sw.survey.pk}/", 302)]


def test_pages_in_chinese(sw: SurveyWorld, settings: Any) -> None:
    settings.LANGUAGE_CODE = "zh-hans"
    with translation.override("zh-hans"):
        body = (
            login(sw.world.office)
            .get(f"/surveys/{sw.survey.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
            .content.decode()
        )
    assert "问卷设计" in body and "不计入" in body
