"""Skip logic: the subset of XLSForm ``relevant`` expressions that surveys accept (ADR 0011).

Grammar (whitespace between tokens is free)::

    expr     := and_expr ("or" and_expr)*
    and_expr := compare ("and" compare)*
    compare  := operand [("=" | "!=" | ">" | ">=" | "<" | "<=") operand]
    operand  := "${" name "}" | 'text' | "text" | ["-"] number
              | "(" expr ")" | "not(" expr ")"
              | "selected(" operand "," operand ")" | "count-selected(" operand ")"

``and``/``or``/``not``/``selected``/``count-selected`` are lower case, as in XPath. Anything else
(arithmetic, other functions, ``==``, ``&&``, a chained comparison such as ``1 < ${a} < 3``) is
refused by :func:`parse` with an :class:`ExpressionError` giving the character position.

Evaluation (:func:`evaluate`) follows XLSForm/XPath 1.0 as ODK Collect and Enketo do:

- an unanswered question is the empty string; a multiple-choice answer is its values joined
  by single spaces (``"vol clean"``);
- ``=`` and ``!=`` compare numerically when both sides look like numbers (``"18"``, ``"-2.5"``,
  ``".5"``; count-selected is a number), otherwise as strings; ``"1.0" = "1"`` is true;
- ``>``, ``>=``, ``<``, ``<=`` compare numerically when both sides look like numbers, are
  **false when either side is empty** (XPath turns "" into NaN, so ``${age} < 18`` does not
  show a question while the age is unanswered), otherwise compare strings by code point;
- a truth value compared with ``=``/``!=`` compares with the other side's truth value; with
  ``>`` etc. it counts as 1 or 0;
- ``selected(${m}, 'v')`` is true when ``v`` is one of the space-separated values of ``${m}``;
  ``count-selected(${m})`` is how many values ``${m}`` holds (0 when unanswered);
- used as a condition (``and``, ``or``, ``not``, the whole expression), a string is true when
  non-empty and a number when non-zero.

:func:`as_tree` gives the parsed expression as plain JSON-able data for the browser, which
evaluates the same tree with the same rules; ``tests/surveys/data/expression_cases.json`` holds
cases with their expected results for both sides.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Mapping
from dataclasses import fields
from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.surveys.domain.expressions_syntax import (
    COMPARISONS,
    NAME_RE,
    NUMBER_RE,
    And,
    Compare,
    CountSelected,
    Expr,
    ExpressionError,
    Not,
    Number,
    Or,
    Ref,
    Selected,
    Text,
    parse,
)

__all__ = [
    "COMPARISONS",
    "NAME_RE",
    "And",
    "Compare",
    "CountSelected",
    "Expr",
    "ExpressionError",
    "Not",
    "Number",
    "Or",
    "Ref",
    "Selected",
    "Text",
    "as_tree",
    "check",
    "evaluate",
    "is_relevant",
    "names",
    "parse",
    "refs",
]

Value = str | float | bool
TAGS: dict[type, str] = {
    Ref: "ref",
    Text: "str",
    Number: "num",
    And: "and",
    Or: "or",
    Not: "not",
    Selected: "selected",
    CountSelected: "count-selected",
}


def names(expr: Expr) -> set[str]:
    """The question names ``expr`` refers to."""
    return {ref.name for ref in refs(expr)}


def _parts(expr: Expr) -> list[Expr]:
    return [v for f in fields(expr) if not isinstance(v := getattr(expr, f.name), str | int)]


def refs(expr: Expr) -> list[Ref]:
    """The ``${name}`` references of ``expr`` in reading order."""
    if isinstance(expr, Ref):
        return [expr]
    return [ref for part in _parts(expr) for ref in refs(part)]


def check(text: str, earlier: Collection[str]) -> Expr:
    """``text`` parsed, refusing a reference to anything but one of the ``earlier`` question
    names (skip logic looks back only)."""
    expr = parse(text)
    for ref in refs(expr):
        if ref.name not in earlier:
            raise ExpressionError(
                _("${%(name)s} is not an earlier question") % {"name": ref.name}, ref.offset
            )
    return expr


# --- evaluation ---------------------------------------------------------------------------


def _is_number(value: Value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, float) or NUMBER_RE.fullmatch(value.strip()) is not None


def _truth(value: Value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return value != 0
    return value != ""


def _text(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else str(value)
    return value


_RELATIONS: dict[str, Callable[[Any, Any], bool]] = {
    "=": operator.eq,
    "!=": operator.ne,
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
}


def _compare(op: str, left: Value, right: Value) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        if op in ("=", "!="):
            return (_truth(left) == _truth(right)) == (op == "=")
        a0 = float(left) if isinstance(left, bool) else left
        b0 = float(right) if isinstance(right, bool) else right
        return _compare(op, a0, b0)
    a: Any
    b: Any
    if _is_number(left) and _is_number(right):
        a, b = float(left), float(right)
    elif op not in ("=", "!=") and (left == "" or right == ""):
        return False
    else:
        a, b = _text(left), _text(right)
    return bool(_RELATIONS[op](a, b))


def _value(expr: Expr, answers: Mapping[str, str]) -> Value:  # noqa: PLR0911 - one per node
    if isinstance(expr, Ref):
        return answers.get(expr.name) or ""
    if isinstance(expr, Text):
        return expr.text
    if isinstance(expr, Number):
        return float(expr.text)
    if isinstance(expr, Compare):
        return _compare(expr.op, _value(expr.left, answers), _value(expr.right, answers))
    if isinstance(expr, Not):
        return not _truth(_value(expr.operand, answers))
    if isinstance(expr, CountSelected):
        return float(len(_text(_value(expr.target, answers)).split()))
    if isinstance(expr, Selected):
        wanted = _text(_value(expr.choice, answers)).strip()
        return wanted in _text(_value(expr.target, answers)).split()
    left = _truth(_value(expr.left, answers))
    if isinstance(expr, And):
        return left and _truth(_value(expr.right, answers))
    return left or _truth(_value(expr.right, answers))


def evaluate(expr: Expr, answers: Mapping[str, str]) -> bool:
    """Whether ``expr`` holds for ``answers`` (question name → answer as stored)."""
    return _truth(_value(expr, answers))


def is_relevant(text: str, answers: Mapping[str, str]) -> bool:
    """Whether a question with ``relevant`` = ``text`` is asked; an empty text always is."""
    return True if not text.strip() else evaluate(parse(text), answers)


def as_tree(expr: Expr) -> Any:
    """``expr`` as JSON-able lists for the browser: ``["ref", name]``, ``["str", text]``,
    ``["num", text]``, ``[op, left, right]`` for the comparisons, ``["and", l, r]``,
    ``["or", l, r]``, ``["not", e]``, ``["selected", t, v]``, ``["count-selected", t]``."""
    if isinstance(expr, Ref | Text | Number):
        return [TAGS[type(expr)], expr.name if isinstance(expr, Ref) else expr.text]
    tag = expr.op if isinstance(expr, Compare) else TAGS[type(expr)]
    return [tag, *(as_tree(part) for part in _parts(expr))]
