"""Writing an XLSForm: a new draft survey or more questions for a draft; clauses resolved by
number; all or nothing; and the ``chuangcheng survey import`` command."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from chuangcheng.core.models import AuditEntry
from chuangcheng.frameworks.enums import FrameworkStatus, NodeLevel
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.surveys.domain.design_import import code_from, import_xlsform
from chuangcheng.surveys.domain.xlsform import XLSFormError
from chuangcheng.surveys.models import Choice, Question, Survey
from tests.conftest import World
from tests.surveys.conftest import SurveyWorld
from tests.surveys.xlsforms import DATA, workbook

ZH = DATA / "satisfaction_zh.xlsx"


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


@pytest.fixture
def dc(db: None) -> Framework:
    """A framework numbered like the demo's: 7.1.1.1 … 7.1.2.2 assessed by survey, 7.1.3.1 not."""
    fw = Framework.objects.create(
        code="dc", version=1, name="东城测评体系", status=FrameworkStatus.ACTIVE
    )
    content = Node.objects.create(
        framework=fw, level=NodeLevel.CONTENT, text="群众满意度", seq=1, number="7.1.1"
    )
    for seq, number, methods in [
        (2, "7.1.1.1", ["survey"]),
        (3, "7.1.1.2", ["survey"]),
        (4, "7.1.2.1", ["survey", "field"]),
        (5, "7.1.2.2", ["survey"]),
        (6, "7.1.3.1", ["field"]),
    ]:
        Node.objects.create(
            framework=fw,
            parent=content,
            level=NodeLevel.STANDARD,
            seq=seq,
            number=number,
            text=f"条款{number}",
            methods=methods,
        )
    return fw


def run(world: World, path: Any = ZH, **kw: Any) -> Any:
    with path.open("rb") as stream:
        return import_xlsform(
            actor=world.office,
            stream=stream,
            filename=path.name,
            **{"region": world.district, **kw},
        )


def test_import_the_chinese_form_as_a_new_draft(world: World, dc: Framework) -> None:
    result = run(world, framework=dc)
    survey = result.survey
    assert (result.created, result.questions, result.choices, result.warnings) == (True, 9, 22, [])
    assert (survey.code, survey.title, survey.status, survey.region, survey.framework) == (
        "myd2026",
        "2026年文明城区创建群众满意度调查",
        "draft",
        world.district,
        dc,
    )
    assert (survey.languages, survey.form_id, survey.form_version, survey.created_by) == (
        ["zh-Hans", "en"],
        "myd2026",
        "2026.1",
        world.office,
    )
    rows = survey.questions.order_by("order").values_list(
        "order", "name", "kind", "measure", "clause__number"
    )
    assert list(rows) == [
        (1, "intro", "note", "", None),
        (2, "aware", "single", "awareness", "7.1.1.1"),
        (3, "support", "single", "support", "7.1.1.2"),
        (4, "joined", "multiple", "participation", "7.1.1.2"),
        (5, "env", "single", "satisfaction", "7.1.2.1"),
        (6, "service", "single", "satisfaction", "7.1.2.2"),
        (7, "why", "text", "", None),
        (8, "overall", "rating", "", None),
        (9, "advice", "text", "", None),
    ]
    env = survey.questions.get(name="env")
    assert env.group == {"zh-Hans": "环境与服务满意度", "en": "Environment and services"}
    assert list(env.choices.values_list("order", "value", "score", "excluded")) == [
        (1, "s", Decimal("1.000"), False),
        (2, "bs", Decimal("0.900"), False),
        (3, "ns", Decimal("0.000"), False),
        (4, "dk", Decimal("0.000"), True),
    ]
    entry = AuditEntry.objects.get(action="import")
    assert (entry.actor, entry.object_id, entry.note) == (
        world.office,
        str(survey.pk),
        "Imported 9 questions from satisfaction_zh.xlsx",
    )


def test_without_a_framework_the_clause_column_is_ignored(world: World) -> None:
    result = run(world, code="no-fw", title="无体系")
    assert result.warnings == [
        "The survey has no framework: the clause column was ignored (rows 4, 5, 6, 9, 10)"
    ]
    assert (result.survey.code, result.survey.title) == ("no-fw", "无体系")
    assert not result.survey.questions.filter(clause__isnull=False).exists()


def test_a_clause_not_assessed_by_survey_refuses_the_file(world: World, dc: Framework) -> None:
    content = workbook(
        [
            ["type", "name", "label", "clause"],
            ["text", "a", "甲", "7.1.3.1"],
            ["text", "b", "乙", "9.9"],
            ["text", "c", "丙", "7.1.1.1."],
        ]
    )
    with pytest.raises(XLSFormError) as info:
        import_xlsform(
            actor=world.office,
            stream=io.BytesIO(content),
            filename="x.xlsx",
            region=world.district,
            framework=dc,
        )
    assert [(i.sheet, i.row, i.column, i.message) for i in info.value.issues] == [
        ("survey", 2, "clause", "7.1.3.1 is not a clause of the framework assessed by survey."),
        ("survey", 3, "clause", "9.9 is not a clause of the framework assessed by survey."),
    ]
    assert Survey.objects.count() == 0 and Question.objects.count() == 0


def test_errors_write_nothing(world: World) -> None:
    with pytest.raises(XLSFormError):
        run(world, path=DATA / "pyxform_spec_test.xlsx")
    assert (Survey.objects.count(), Question.objects.count(), Choice.objects.count()) == (0, 0, 0)
    assert not AuditEntry.objects.filter(action="import").exists()


def test_add_questions_to_a_draft_after_its_own(sw: SurveyWorld) -> None:
    from chuangcheng.surveys.domain.design import copy_survey

    draft = copy_survey(actor=sw.world.office, survey=sw.survey, code="d2026", title="草稿")
    content = workbook(
        [
            ["type", "name", "label", "relevant"],
            ["text", "more", "还有什么不满意？", "${satisfied} = 'ns'"],
        ]
    )
    result = import_xlsform(
        actor=sw.world.office, stream=io.BytesIO(content), filename="more.xlsx", survey=draft
    )
    assert (result.created, result.questions) == (False, 1)
    assert list(draft.questions.order_by("order").values_list("order", "name")) == [
        (1, "aware"),
        (2, "joined"),
        (3, "satisfied"),
        (4, "why"),
        (5, "more"),
    ]
    clash = workbook([["type", "name", "label"], ["text", "why", "重名"]])
    with pytest.raises(XLSFormError) as info:
        import_xlsform(actor=sw.world.office, stream=io.BytesIO(clash), survey=draft)
    assert [str(i) for i in info.value.issues] == [
        "sheet survey, row 2, column name: The name why is used twice."
    ]
    with pytest.raises(ValidationError):
        import_xlsform(actor=sw.world.office, stream=io.BytesIO(content), survey=sw.survey)  # open


def test_import_is_for_the_office_over_the_region(sw: SurveyWorld) -> None:
    for user in (sw.other_office, sw.world.leader):
        with ZH.open("rb") as stream, pytest.raises(PermissionDenied):
            import_xlsform(actor=user, stream=stream, region=sw.world.district)
    with ZH.open("rb") as stream, pytest.raises(PermissionDenied):
        import_xlsform(actor=sw.other_office, stream=stream, survey=sw.survey)


def test_a_taken_code_is_refused(sw: SurveyWorld) -> None:
    with pytest.raises(XLSFormError) as info:
        run(sw.world, code="s2026")
    assert [str(i) for i in info.value.issues] == [
        "sheet settings, column form_id: A survey with the code s2026 exists: give another code."
    ]


def test_code_from_names() -> None:
    assert code_from("My Form v2.xlsx") == "my-form-v2"
    assert code_from("满意度.xlsx") == ""
    assert code_from("highways") == "highways"


def test_command_imports_into_the_only_top_region(world: World, dc: Framework) -> None:
    out, err = io.StringIO(), io.StringIO()
    call_command("survey", "import", str(ZH), "--framework", "dc", stdout=out, stderr=err)
    assert out.getvalue().splitlines() == [
        "Created survey myd2026 “2026年文明城区创建群众满意度调查” (东城区): 9 questions, 22 choices."  # noqa: E501
    ]
    survey = Survey.objects.get(code="myd2026")
    assert (survey.region, survey.framework, survey.created_by) == (world.district, dc, None)
    assert AuditEntry.objects.get(action="import").actor_name == "system"


def test_command_prints_warnings_of_a_real_form(world: World) -> None:
    out = io.StringIO()
    call_command(
        "survey",
        "import",
        str(DATA / "osm_fieldwork_highways.xlsx"),
        "--region",
        "110101001",
        stdout=out,
    )
    lines = out.getvalue().splitlines()
    assert (
        lines[0] == "Created survey highways “buildings” (东华门街道): 20 questions, 106 choices."
    )
    assert lines[1].startswith("warning: Column default is not supported")


def test_command_errors_exit_non_zero_and_write_nothing(sw: SurveyWorld) -> None:
    err = io.StringIO()
    with pytest.raises(
        CommandError, match=r"pyxform_spec_test.xlsx: 12 problem\(s\); nothing was imported."
    ):
        call_command(
            "survey",
            "import",
            str(DATA / "pyxform_spec_test.xlsx"),
            "--region",
            "110101",
            stderr=err,
        )
    assert (
        err.getvalue().splitlines()[1]
        == "sheet survey, row 15, column type: Repeated groups (repeats) are not supported."
    )
    with pytest.raises(
        CommandError, match=r"Give --region CODE: there is not exactly one top region\."
    ):
        call_command("survey", "import", str(ZH))
    with pytest.raises(CommandError, match=r"No region with code 999\."):
        call_command("survey", "import", str(ZH), "--region", "999")
    with pytest.raises(CommandError, match=r"No framework with code nope\."):
        call_command("survey", "import", str(ZH), "--region", "110101", "--framework", "nope")
    with pytest.raises(CommandError, match="No such file"):
        call_command("survey", "import", "/nonexistent.xlsx")
    assert Survey.objects.count() == 2


def test_command_adds_to_a_draft_with_into(sw: SurveyWorld) -> None:
    from chuangcheng.surveys.domain.design import copy_survey

    copy_survey(actor=sw.world.office, survey=sw.survey, code="d2026", title="草稿")
    out = io.StringIO()
    call_command(
        "survey", "import", str(DATA / "osm_fieldwork_highways.xlsx"), "--into", "d2026", stdout=out
    )
    assert (
        out.getvalue().splitlines()[0]
        == "Added to survey d2026 “草稿” (东城区): 20 questions, 106 choices."
    )
    with pytest.raises(CommandError, match="Questions can change only while the survey is a draft"):
        call_command("survey", "import", str(ZH), "--into", "s2026")
