"""The skip-logic subset: parsing, references and evaluation with exact results.

The table of cases lives in ``data/expression_cases.json`` so that the browser's evaluator can
be checked against the very same expected results."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

from chuangcheng.surveys.domain.expressions import (
    And,
    Compare,
    CountSelected,
    ExpressionError,
    Not,
    Number,
    Or,
    Ref,
    Selected,
    Text,
    as_tree,
    check,
    evaluate,
    is_relevant,
    names,
    parse,
)


@pytest.fixture(autouse=True)
def _english() -> Any:
    with translation.override("en"):
        yield


CASES: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "expression_cases.json").read_text("utf-8")
)


@pytest.mark.parametrize("case", CASES["cases"], ids=lambda c: c["expr"])
def test_evaluates_each_case(case: dict[str, Any]) -> None:
    assert evaluate(parse(case["expr"]), CASES["answers"]) is case["result"]


@pytest.mark.parametrize("case", CASES["errors"], ids=lambda c: c["expr"] or "empty")
def test_refuses_each_error_at_its_position(case: dict[str, Any]) -> None:
    with pytest.raises(ExpressionError) as info:
        parse(case["expr"])
    assert info.value.offset == case["offset"]
    assert str(info.value).endswith(f"at character {case['offset'] + 1}")


def test_case_table_is_large_and_balanced() -> None:
    results = [c["result"] for c in CASES["cases"]]
    assert len(results) == 70
    assert results.count(True) == 46
    assert len(CASES["errors"]) == 20


def test_parse_builds_the_tree_with_and_tighter_than_or() -> None:
    expr = parse("${a} = 'x' or not(${b} >= 2) and selected(${c}, 'v')")
    assert expr == Or(
        Compare("=", Ref("a"), Text("x")),
        And(
            Not(Compare(">=", Ref("b"), Number("2"))),
            Selected(Ref("c"), Text("v")),
        ),
    )


def test_parse_keeps_number_text_and_negative_numbers() -> None:
    assert parse("count-selected(${m}) > -1.50") == Compare(
        ">", CountSelected(Ref("m")), Number("-1.50")
    )


def test_and_or_are_left_associative() -> None:
    assert parse("${a} or ${b} or ${c}") == Or(Or(Ref("a"), Ref("b")), Ref("c"))
    assert parse("${a} and ${b} and ${c}") == And(And(Ref("a"), Ref("b")), Ref("c"))


def test_reference_offsets_point_at_the_dollar() -> None:
    expr = parse("${a} = 1 and ${bb} = 2")
    assert isinstance(expr, And)
    assert isinstance(expr.right, Compare)
    assert isinstance(expr.right.left, Ref)
    assert expr.right.left.offset == 13


def test_names_lists_every_reference_once() -> None:
    expr = parse("selected(${joined}, 'vol') and (${age} > 18 or count-selected(${joined}) = 0)")
    assert names(expr) == {"joined", "age"}
    assert names(parse("'a' = 'a'")) == set()
    assert names(parse("selected(${m}, ${v})")) == {"m", "v"}


def test_names_accepts_xlsform_name_characters() -> None:
    assert names(parse("${q_1.a-b} = 1")) == {"q_1.a-b"}


def test_check_refuses_a_later_or_unknown_question() -> None:
    assert check("${aware} = 'yes'", {"aware", "age"}) == Compare("=", Ref("aware"), Text("yes"))
    with pytest.raises(ExpressionError) as info:
        check("${aware} = 'yes' and ${later} > 2", {"aware"})
    assert info.value.offset == 21
    assert str(info.value) == "${later} is not an earlier question at character 22"


def test_error_messages_are_clear() -> None:
    def message(text: str) -> str:
        with pytest.raises(ExpressionError) as info:
            parse(text)
        return str(info.value)

    assert message("${a} == 1") == "Use = to compare, not == at character 6"
    assert message("${a} = 1 AND ${b} = 2") == "Write “and” in lower case at character 10"
    assert message("${a} > 1 )") == ("Unexpected “)” after a complete expression at character 10")
    assert message("${a} = ") == "The expression ends too early at character 8"
    assert message("${a} = 'x") == "A quoted text is not closed at character 8"
    assert message("string-length(${a}) > 3") == (
        "“string-length” is not supported: use ${name}, quoted text, numbers, comparisons, "
        "and, or, not(), selected() and count-selected() at character 1"
    )
    assert message("1 < ${a} < 3") == (
        "Only one comparison at a time: join comparisons with and / or at character 10"
    )


def test_evaluate_with_no_answers_at_all() -> None:
    assert evaluate(parse("${a} = ''"), {}) is True
    assert evaluate(parse("${a} < 18"), {}) is False
    assert evaluate(parse("not(selected(${a}, 'x'))"), {}) is True


def test_evaluate_treats_none_as_unanswered() -> None:
    answers: dict[str, Any] = {"a": None}
    assert evaluate(parse("${a} = ''"), answers) is True


def test_is_relevant_for_empty_and_set_expressions() -> None:
    assert is_relevant("", {}) is True
    assert is_relevant("  ", {}) is True
    assert is_relevant("${s} = 'ns'", {"s": "ns"}) is True
    assert is_relevant("${s} = 'ns'", {"s": "s"}) is False


def test_as_tree_is_plain_data() -> None:
    tree = as_tree(parse("not(${a} = 'x') or selected(${m}, 'v') and count-selected(${m}) >= 2"))
    assert tree == [
        "or",
        ["not", ["=", ["ref", "a"], ["str", "x"]]],
        [
            "and",
            ["selected", ["ref", "m"], ["str", "v"]],
            [">=", ["count-selected", ["ref", "m"]], ["num", "2"]],
        ],
    ]
    assert json.loads(json.dumps(tree)) == tree
