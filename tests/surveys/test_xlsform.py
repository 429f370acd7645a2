"""Reading XLSForm workbooks: our Chinese questionnaire, two real forms of the ODK ecosystem
(one taken with warnings, one refused) and every refusal naming its sheet, row and column."""

from __future__ import annotations

import io
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from chuangcheng.surveys.domain.xlsform import XLSFormError, read_xlsform
from tests.surveys.xlsforms import DATA, TEMPLATE, satisfaction_zh, workbook

HEAD = ["type", "name", "label", "relevant", "required"]


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


def read(content: bytes) -> Any:
    return read_xlsform(io.BytesIO(content))


def issues(content: bytes) -> list[tuple[str, int, str, str]]:
    with pytest.raises(XLSFormError) as info:
        read(content)
    return [(i.sheet, i.row, i.column, i.message) for i in info.value.issues]


def test_the_checked_in_chinese_form_and_template_are_what_the_helper_writes() -> None:
    def cells(data: bytes) -> list[list[Any]]:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets]

    expected = cells(satisfaction_zh())
    assert cells((DATA / "satisfaction_zh.xlsx").read_bytes()) == expected
    assert cells(TEMPLATE.read_bytes()) == expected


def test_chinese_form_reads_every_question_exactly() -> None:
    spec = read((DATA / "satisfaction_zh.xlsx").read_bytes())
    assert (spec.title, spec.form_id, spec.version) == (
        "2026年文明城区创建群众满意度调查",
        "myd2026",
        "2026.1",
    )
    assert spec.languages == ["zh-Hans", "en"]
    assert spec.warnings == []
    got = [(q.row, q.name, q.kind, q.required, q.measure, q.clause) for q in spec.questions]
    assert got == [
        (2, "intro", "note", False, "", ""),
        (4, "aware", "single", True, "awareness", "7.1.1.1"),
        (5, "support", "single", True, "support", "7.1.1.2"),
        (6, "joined", "multiple", True, "participation", "7.1.1.2"),
        (9, "env", "single", True, "satisfaction", "7.1.2.1"),
        (10, "service", "single", True, "satisfaction", "7.1.2.2"),
        (11, "why", "text", True, "", ""),
        (13, "overall", "rating", False, "", ""),
        (14, "advice", "text", False, "", ""),
    ]
    by = {q.name: q for q in spec.questions}
    assert by["aware"].labels == {
        "zh-Hans": "您是否知道我区正在创建全国文明城区？",
        "en": "Do you know that our district is running for National Civilized District?",
    }
    assert by["joined"].hints == {"zh-Hans": "可多选", "en": "Choose all that apply"}
    assert by["aware"].group == {"zh-Hans": "创建知晓与支持", "en": "Awareness and support"}
    assert by["why"].group == {"zh-Hans": "环境与服务满意度", "en": "Environment and services"}
    assert by["overall"].group == {}
    assert by["why"].relevant == "${env} = 'ns' or ${service} = 'ns'"
    assert [(c.value, c.labels["zh-Hans"], c.score, c.excluded) for c in by["env"].choices] == [
        ("s", "满意", Decimal(1), False),
        ("bs", "基本满意", Decimal("0.9"), False),
        ("ns", "不满意", Decimal(0), False),
        ("dk", "说不清", Decimal(0), True),
    ]
    assert by["support"].choices[2].labels == {"zh-Hans": "说不清", "en": "Can't say"}
    overall = by["overall"]
    assert (overall.scale_min, overall.scale_max) == (1, 5)
    assert [(c.value, c.score) for c in overall.choices] == [
        ("1", Decimal("0.000")),
        ("2", Decimal("0.250")),
        ("3", Decimal("0.500")),
        ("4", Decimal("0.750")),
        ("5", Decimal("1.000")),
    ]


def test_real_osm_fieldwork_highways_form_imports_with_warnings() -> None:
    spec = read((DATA / "osm_fieldwork_highways.xlsx").read_bytes())
    assert (spec.title, spec.form_id, spec.version) == (
        "buildings",
        "highways",
        "2024-12-25T11:35:47.433000",
    )
    assert spec.languages == ["en"]
    assert len(spec.questions) == 20
    assert Counter(q.kind for q in spec.questions) == {"single": 15, "text": 4, "integer": 1}
    assert [q.name for q in spec.questions][:5] == [
        "highway_type",
        "highway",
        "name",
        "surface",
        "smoothness",
    ]
    by = {q.name: q for q in spec.questions}
    assert by["highway_type"].labels == {"en": "What feature is this?"}
    assert by["highway_type"].required is True
    assert [c.value for c in by["highway_type"].choices] == ["highway", "path", "bridge", "barrier"]
    assert by["highway_type"].choices[1].labels == {"en": "Path (foot traffic only)"}
    assert by["oneway"].hints == {"en": "(direction of traffic, NOT the number of lanes)"}
    assert by["surface"].group == {"en": "Highway"}
    assert by["surface"].relevant == "${highway_type} = 'highway'"
    # A question in a group with a condition of its own gets both.
    assert (
        by["swing_gate"].relevant == "(${highway_type} = 'barrier') and (${barrier} = 'swing_gate')"
    )
    assert len(by["barrier"].choices) == 23
    assert "cattle grid" in [c.value for c in by["barrier"].choices]  # spaces: a single choice
    assert spec.warnings == [
        "Column default is not supported and was ignored (rows 4, 9, 10, 12, 13, 15, 19, 20, 24, 31, 33)",  # noqa: E501
        "Column trigger is not supported and was ignored (rows 4, 9, 10, 19)",
    ]


def test_real_pyxform_spec_form_is_refused_row_by_row() -> None:
    found = issues((DATA / "pyxform_spec_test.xlsx").read_bytes())
    cannot = "cannot be answered here (text, numbers and choices only)."
    assert found == [
        ("survey", 7, "relevant", "“regex” is not supported: use ${name}, quoted text, numbers, comparisons, and, or, not(), selected() and count-selected() at character 1"),  # noqa: E501
        ("survey", 15, "type", "Repeated groups (repeats) are not supported."),
        ("survey", 29, "type", "Repeated groups (repeats) are not supported."),
        ("survey", 30, "type", f"Questions of type “acknowledge” {cannot}"),
        ("survey", 31, "type", f"Questions of type “date” {cannot}"),
        ("survey", 32, "type", f"Questions of type “time” {cannot}"),
        ("survey", 33, "type", f"Questions of type “datetime” {cannot}"),
        ("survey", 34, "type", f"Questions of type “geopoint” {cannot}"),
        ("survey", 35, "type", f"Questions of type “barcode” {cannot}"),
        ("survey", 36, "type", f"Questions of type “image” {cannot}"),
        ("survey", 37, "type", f"Questions of type “audio” {cannot}"),
        ("survey", 38, "type", f"Questions of type “video” {cannot}"),
    ]  # fmt: skip


def test_metadata_rows_are_left_out_with_a_warning() -> None:
    spec = read(
        workbook(
            [
                HEAD,
                ["start", "start"],
                ["username", "username"],
                ["text", "q1", "你好"],
                ["calculate", "c1", None],
                ["end", "end"],
            ]
        )
    )
    assert [q.name for q in spec.questions] == ["q1"]
    assert spec.warnings == [
        "Rows of type start are not questions and were left out (rows 2)",
        "Rows of type username are not questions and were left out (rows 3)",
        "Rows of type calculate are not questions and were left out (rows 5)",
        "Rows of type end are not questions and were left out (rows 6)",
    ]
    assert spec.languages == ["zh-Hans"]  # a bare label holding Chinese


def test_skip_logic_must_point_back_at_imported_questions() -> None:
    found = issues(
        workbook(
            [
                HEAD,
                ["username", "username"],
                ["text", "q1", "A", "${username} = 'x'"],
                ["text", "q2", "B", "${q3} = 'x'"],
                ["text", "q3", "C", "${q1} == 'x'"],
                ["text", "q4", "D", "${q1} = ’x’"],
            ]
        )
    )
    assert found == [
        ("survey", 3, "relevant", "${username} is a row of type username, which is not imported at character 1"),  # noqa: E501
        ("survey", 4, "relevant", "${q3} is not an earlier question at character 1"),
        ("survey", 5, "relevant", "Use = to compare, not == at character 7"),
        ("survey", 6, "relevant", "Curly quote “’”: write straight quotes ' or \" at character 9"),
    ]  # fmt: skip


def test_rows_we_cannot_show_are_refused_by_row() -> None:
    found = issues(
        workbook(
            [
                ["type", "name", "label", "choice_filter", "required"],
                ["select_one colors or_other", "q1", "Colour"],
                ["select_one_from_file towns.csv", "q2", "Town"],
                ["select_one colors", "q3", "Pastel", "pastel=yes"],
                ["begin_repeat", "r", "People"],
                ["text", "q4", "Name", None, "${q1} = 'red'"],
                ["range", "q5", "Rate"],
                ["rank", "q6", "Order"],
                ["end_group"],
            ],
            [["list_name", "name", "label"], ["colors", "red", "Red"], ["colors", "blue", "Blue"]],
        )
    )
    assert found == [
        ("survey", 2, "type", "“or_other” is not supported (for or_other, add an “other” choice and a text question asked when it is selected)."),  # noqa: E501
        ("survey", 3, "type", "Choices from a file or an external list (select_one_from_file) are not supported: put the choices on the choices sheet."),  # noqa: E501
        ("survey", 4, "choice_filter", "Filtering choices (choice_filter) is not supported."),
        ("survey", 5, "type", "Repeated groups (repeats) are not supported."),
        ("survey", 6, "required", "Write yes or no (a condition is not supported)."),
        ("survey", 8, "type", "Questions of type “rank” cannot be answered here (text, numbers and choices only)."),  # noqa: E501
        ("survey", 9, "type", "end_group without a begin_group."),
    ]  # fmt: skip


def test_names_labels_lists_and_groups_are_checked() -> None:
    found = issues(
        workbook(
            [
                HEAD,
                ["begin_group", "g", "G"],
                ["text", "1st", "A"],
                ["text", "ok", "B"],
                ["integer", "ok", "C"],
                ["decimal", "nolabel"],
                ["select_multiple spaced", "m", "D"],
                ["select_one missing", "s", "E"],
                ["range", "r", "F"],
            ],
            [["list_name", "name", "label"], ["spaced", "a b", "AB"], ["spaced", "c", "C"]],
        )
    )
    name_rule = (
        "A name of letters, digits, _ and - (at most 64) starting with a letter is required."
    )
    assert found == [
        ("survey", 2, "type", "This begin_group is never closed with end_group."),
        ("survey", 3, "name", name_rule),
        ("survey", 5, "name", "The name ok is used twice."),
        ("survey", 6, "label", "The question needs a label."),
        ("survey", 8, "type", "The choice list missing is not on the choices sheet."),
        ("choices", 2, "name", "a b has a space: the values of a multiple choice cannot."),
    ]


def test_choice_sheet_problems_name_their_cells() -> None:
    found = issues(
        workbook(
            [HEAD, ["select_one yn", "q", "Q"]],
            [
                ["list name", "value", "label", "score", "excluded"],
                ["yn", "yes", "是", "1.5", None],
                ["yn", "yes", "是", "1", None],
                ["yn", None, "否", "0", None],
                [None, "dk", "说不清", "0", "maybe"],
                ["yn", "x" * 65, "long", "abc", "perhaps"],
            ],
        )
    )
    assert found == [
        ("choices", 2, "score", "A score is a number from 0 to 1 (at most 3 decimals)."),
        ("choices", 3, "value", "yes is twice in list yn."),
        ("choices", 4, "value", "The choice's name (its value) is missing."),
        ("choices", 5, "list name", "The list name is missing."),
        ("choices", 6, "value", "At most 64 characters."),
        ("choices", 6, "score", "A score is a number from 0 to 1 (at most 3 decimals)."),
        ("choices", 6, "excluded", "Write yes or no."),
    ]


def test_scores_as_percentages_and_excluded_words() -> None:
    spec = read(
        workbook(
            [["type", "name", "label", "measure"], ["select_one s", "q", "满意吗", "满意率"]],
            [
                ["list_name", "name", "label", "score", "excluded"],
                ["s", "s", "满意", "100%", "no"],
                ["s", "bs", "基本满意", "90%", "FALSE"],
                ["s", "dk", "说不清", None, "是"],
            ],
        )
    )
    q = spec.questions[0]
    assert q.measure == "satisfaction"
    assert [(c.score, c.excluded) for c in q.choices] == [
        (Decimal(1), False),
        (Decimal("0.9"), False),
        (Decimal(0), True),
    ]


def test_measure_words_and_a_measured_question_without_scores() -> None:
    spec = read(
        workbook(
            [
                ["type", "name", "label", "measure"],
                ["select_one yn", "a", "知道吗", "知晓"],
                ["select_one yn", "b", "支持吗", "Support"],
            ],
            [["list_name", "name", "label"], ["yn", "y", "是"], ["yn", "n", "否"]],
        )
    )
    assert [q.measure for q in spec.questions] == ["awareness", "support"]
    assert spec.warnings == [
        "Every choice of a measured question scores 0: set the scores (rows 2, 3)"
    ]
    bad = issues(
        workbook(
            [
                ["type", "name", "label", "measure"],
                ["text", "t", "T", "满意"],
                ["text", "u", "U", "happy"],
            ]
        )
    )
    assert bad == [
        ("survey", 2, "measure", "Only a choice or rating question can count in a rate."),
        ("survey", 3, "measure", "Write one of awareness, participation, support, satisfaction (知晓, 参与, 支持, 满意)."),  # noqa: E501
    ]  # fmt: skip


def test_language_columns_map_onto_our_codes() -> None:
    spec = read(
        workbook(
            [
                ["type", "name", "label::Chinese (zh)", "label::English", "label:Swahili(sw)", "hint::English (en)"],  # noqa: E501
                ["text", "q", "姓名", "Name", "Jina", "Full name"],
            ],
        )
    )  # fmt: skip
    q = spec.questions[0]
    assert q.labels == {"zh-Hans": "姓名", "en": "Name", "sw": "Jina"}
    assert q.hints == {"en": "Full name"}
    assert spec.languages == ["zh-Hans", "en", "sw"]


def test_a_bare_label_takes_the_default_language_else_the_only_named_one() -> None:
    settings = [["form_title", "default_language"], ["T", "English (en)"]]
    spec = read(workbook([HEAD, ["text", "q", "Name"]], None, settings))
    assert spec.questions[0].labels == {"en": "Name"}
    spec = read(
        workbook(
            [HEAD, ["select_one yn", "q", "Q"]],
            [["list_name", "name", "label::Français (fr)"], ["yn", "o", "Oui"]],
        )
    )
    assert spec.questions[0].labels == {"fr": "Q"}
    spec = read(workbook([HEAD, ["text", "q", "Name"]]))
    assert spec.questions[0].labels == {"en": "Name"}


def test_nested_groups_join_labels_and_conditions() -> None:
    spec = read(
        workbook(
            [
                HEAD,
                ["select_one yn", "go", "继续？"],
                ["begin group", "a", "甲", "${go} = 'y'"],
                ["begin_group", "b", "乙"],
                ["begin_group", "c", None, "selected(${go}, 'y')"],
                ["text", "inner", "里面", "${go} != 'n'"],
                ["end_group"],
                ["end group"],
                ["text", "mid", "中间"],
                ["end_group"],
                ["note", None, "说明"],
                ["note", "empty_note"],
            ],
            [["list_name", "name", "label"], ["yn", "y", "是"], ["yn", "n", "否"]],
        )
    )
    by = {q.name: q for q in spec.questions}
    assert list(by) == ["go", "inner", "mid", "note_11"]
    assert by["inner"].group == {"zh-Hans": "甲 / 乙"}
    assert by["inner"].relevant == "(${go} = 'y') and (selected(${go}, 'y')) and (${go} != 'n')"
    assert by["mid"].group == {"zh-Hans": "甲"}
    assert by["mid"].relevant == "${go} = 'y'"
    assert by["note_11"].kind == "note"
    assert spec.warnings == ["Notes without a label were left out (rows 12)"]


def test_range_parameters_make_a_rating_scale() -> None:
    spec = read(
        workbook(
            [[*HEAD, "parameters"], ["range", "r", "打分", None, None, "start=0 end=10 step=1"]]
        )
    )
    assert (spec.questions[0].scale_min, spec.questions[0].scale_max) == (0, 10)
    assert len(spec.questions[0].choices) == 11
    bad = issues(
        workbook(
            [
                [*HEAD, "parameters"],
                ["range", "a", "A", None, None, "start=1 end=5 step=2"],
                ["range", "b", "B", None, None, "start=0 end=20"],
                ["range", "c", "C", None, None, "start=x end=5"],
            ]
        )
    )
    scale = "A rating scale counts by 1 from start to end, at most 11 points."
    assert bad == [
        ("survey", 2, "parameters", scale),
        ("survey", 3, "parameters", scale),
        ("survey", 4, "parameters", "Give whole numbers: start=1 end=5 step=1."),
    ]


def test_not_a_workbook_or_no_survey_sheet() -> None:
    with pytest.raises(XLSFormError) as info:
        read(b"type,name,label\ntext,q,Q\n")
    assert info.value.issues[0].message.startswith("This is not an Excel .xlsx workbook")
    from openpyxl import Workbook

    book = Workbook()
    assert book.active is not None
    book.active.title = "Sheet1"
    out = io.BytesIO()
    book.save(out)
    assert issues(out.getvalue()) == [("survey", 0, "", "The workbook has no sheet named survey.")]
    assert issues(workbook([["name", "label"], ["q", "Q"]])) == [
        ("survey", 1, "type", "The column type is missing.")
    ]
    assert issues(workbook([HEAD, ["start", "start"]])) == [
        ("survey", 0, "", "The form has no question.")
    ]


def test_existing_questions_can_be_referred_to_when_adding_to_a_survey() -> None:
    content = workbook([HEAD, ["text", "more", "更多", "${satisfied} = 'ns'"]])
    spec = read_xlsform(io.BytesIO(content), existing={"satisfied"})
    assert spec.questions[0].relevant == "${satisfied} = 'ns'"
    with pytest.raises(XLSFormError) as info:
        read_xlsform(
            io.BytesIO(workbook([HEAD, ["text", "satisfied", "重名"]])), existing={"satisfied"}
        )
    assert [i.message for i in info.value.issues] == ["The name satisfied is used twice."]


def test_data_files_are_listed_in_the_readme() -> None:
    readme = (DATA / "README.md").read_text("utf-8")
    for path in Path(DATA).glob("*.xlsx"):
        assert f"`{path.name}`" in readme
