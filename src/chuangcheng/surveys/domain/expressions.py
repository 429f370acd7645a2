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
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

COMPARISONS = ("=", "!=", ">", ">=", "<", "<=")
NUMBER_RE = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class ExpressionError(ValueError):
    """An expression outside the subset. ``offset`` is the 0-based character position of the
    problem; the message names it 1-based ("at character 5")."""

    def __init__(self, message: str, offset: int) -> None:
        self.offset = offset
        self.detail = message
        super().__init__(
            _("%(message)s at character %(position)d")
            % {
                "message": message,
                "position": offset + 1,
            }
        )


@dataclass(frozen=True)
class Ref:
    """``${name}``: the answer to an earlier question ("" when unanswered)."""

    name: str
    offset: int = field(default=0, compare=False)

    def value(self, answers: Mapping[str, str]) -> Value:
        return answers.get(self.name) or ""

    def tree(self) -> list[Any]:
        return ["ref", self.name]

    def parts(self) -> tuple[Expr, ...]:
        return ()


@dataclass(frozen=True)
class Text:
    """A quoted string literal."""

    text: str

    def value(self, answers: Mapping[str, str]) -> Value:
        return self.text

    def tree(self) -> list[Any]:
        return ["str", self.text]

    def parts(self) -> tuple[Expr, ...]:
        return ()


@dataclass(frozen=True)
class Number:
    """A number literal, kept as written (``"18"``, ``"-0.5"``)."""

    text: str

    def value(self, answers: Mapping[str, str]) -> Value:
        return float(self.text)

    def tree(self) -> list[Any]:
        return ["num", self.text]

    def parts(self) -> tuple[Expr, ...]:
        return ()


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        return _compare(self.op, self.left.value(answers), self.right.value(answers))

    def tree(self) -> list[Any]:
        return [self.op, self.left.tree(), self.right.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        return _truth(self.left.value(answers)) and _truth(self.right.value(answers))

    def tree(self) -> list[Any]:
        return ["and", self.left.tree(), self.right.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        return _truth(self.left.value(answers)) or _truth(self.right.value(answers))

    def tree(self) -> list[Any]:
        return ["or", self.left.tree(), self.right.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.left, self.right)


@dataclass(frozen=True)
class Not:
    operand: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        return not _truth(self.operand.value(answers))

    def tree(self) -> list[Any]:
        return ["not", self.operand.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.operand,)


@dataclass(frozen=True)
class Selected:
    target: Expr
    choice: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        wanted = _text(self.choice.value(answers)).strip()
        return wanted in _text(self.target.value(answers)).split()

    def tree(self) -> list[Any]:
        return ["selected", self.target.tree(), self.choice.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.target, self.choice)


@dataclass(frozen=True)
class CountSelected:
    target: Expr

    def value(self, answers: Mapping[str, str]) -> Value:
        return float(len(_text(self.target.value(answers)).split()))

    def tree(self) -> list[Any]:
        return ["count-selected", self.target.tree()]

    def parts(self) -> tuple[Expr, ...]:
        return (self.target,)


Expr = Ref | Text | Number | Compare | And | Or | Not | Selected | CountSelected
Value = str | float | bool


# --- tokens -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: str  # "ref", "str", "num", "op", "(", ")", ",", "-", "word", "end"
    text: str
    offset: int


_TOKEN_RE = re.compile(
    r"""(?P<space>\s+)
    |(?P<ref>\$\{(?P<name>[^}]*)\})
    |(?P<str>'[^']*'|"[^"]*")
    |(?P<num>\d+(?:\.\d*)?|\.\d+)
    |(?P<op>!=|>=|<=|==|=|<|>)
    |(?P<punct>[(),-])
    |(?P<word>[A-Za-z_][A-Za-z0-9_.-]*)""",
    re.VERBOSE,
)


def _unreadable(source: str, i: int) -> ExpressionError:
    if source.startswith("${", i):
        return ExpressionError(_("A reference ${… is not closed with }"), i)
    if source[i] in "'\"":
        return ExpressionError(_("A quoted text is not closed"), i)
    return ExpressionError(_("Unexpected character “%(char)s”") % {"char": source[i]}, i)


def _tokens(source: str) -> list[_Token]:
    out: list[_Token] = []
    i = 0
    while i < len(source):
        m = _TOKEN_RE.match(source, i)
        if m is None:
            raise _unreadable(source, i)
        kind, text = m.lastgroup or "", m.group()
        if kind == "ref":
            text = m.group("name")
            if not NAME_RE.fullmatch(text):
                raise ExpressionError(
                    _("“%(name)s” is not a question name") % {"name": text}, i + 2
                )
        elif kind == "str":
            text = text[1:-1]
        elif kind == "op" and text == "==":
            raise ExpressionError(_("Use = to compare, not =="), i)
        elif kind == "punct":
            kind = text
        if kind != "space":
            out.append(_Token(kind, text, i))
        i = m.end()
    out.append(_Token("end", "", len(source)))
    return out


# --- parser -------------------------------------------------------------------------------


class _Parser:
    def __init__(self, source: str) -> None:
        self.tokens = _tokens(source)
        self.at = 0

    @property
    def tok(self) -> _Token:
        return self.tokens[self.at]

    def take(self, kind: str, what: str) -> _Token:
        tok = self.tok
        if tok.kind != kind:
            raise ExpressionError(_("Expected %(what)s") % {"what": what}, tok.offset)
        self.at += 1
        return tok

    def is_word(self, word: str) -> bool:
        return self.tok.kind == "word" and self.tok.text == word

    def expr(self) -> Expr:
        left = self.and_expr()
        while self.is_word("or"):
            self.at += 1
            left = Or(left, self.and_expr())
        return left

    def and_expr(self) -> Expr:
        left = self.compare()
        while self.is_word("and"):
            self.at += 1
            left = And(left, self.compare())
        return left

    def compare(self) -> Expr:
        left = self.operand()
        if self.tok.kind != "op":
            return left
        op = self.tok.text
        self.at += 1
        node = Compare(op, left, self.operand())
        if self.tok.kind == "op":
            raise ExpressionError(
                _("Only one comparison at a time: join comparisons with and / or"),
                self.tok.offset,
            )
        return node

    def operand(self) -> Expr:
        tok = self.tok
        if tok.kind == "ref":
            self.at += 1
            return Ref(tok.text, tok.offset)
        if tok.kind == "str":
            self.at += 1
            return Text(tok.text)
        if tok.kind == "num":
            self.at += 1
            return Number(tok.text)
        if tok.kind == "-":
            self.at += 1
            num = self.take("num", _("a number after -"))
            return Number("-" + num.text)
        if tok.kind == "(":
            self.at += 1
            inner = self.expr()
            self.take(")", _("a closing parenthesis )"))
            return inner
        if tok.kind == "word":
            return self.function(tok)
        if tok.kind == "end":
            raise ExpressionError(_("The expression ends too early"), tok.offset)
        raise ExpressionError(_("Unexpected “%(token)s”") % {"token": tok.text}, tok.offset)

    def function(self, tok: _Token) -> Expr:
        word = tok.text
        if word not in ("not", "selected", "count-selected"):
            if word.lower() in ("and", "or", "not", "selected", "count-selected"):
                raise ExpressionError(
                    _("Write “%(word)s” in lower case") % {"word": word.lower()}, tok.offset
                )
            raise ExpressionError(
                _(
                    "“%(word)s” is not supported: use ${name}, quoted text, numbers, comparisons, "
                    "and, or, not(), selected() and count-selected()"
                )
                % {"word": word},
                tok.offset,
            )
        self.at += 1
        self.take("(", _("( after %(word)s") % {"word": word})
        node: Expr
        if word == "not":
            node = Not(self.expr())
        elif word == "selected":
            target = self.compare()
            self.take(",", _("a comma between the two arguments of selected()"))
            node = Selected(target, self.compare())
        else:
            node = CountSelected(self.compare())
        self.take(")", _("a closing parenthesis )"))
        return node


def parse(text: str) -> Expr:
    """The expression ``text`` parsed; :class:`ExpressionError` when outside the subset."""
    if not text.strip():
        raise ExpressionError(_("The expression is empty"), 0)
    parser = _Parser(text)
    node = parser.expr()
    tok = parser.tok
    if tok.kind != "end":
        if tok.kind == "word" and tok.text.lower() in ("and", "or"):
            raise ExpressionError(
                _("Write “%(word)s” in lower case") % {"word": tok.text.lower()}, tok.offset
            )
        raise ExpressionError(
            _("Unexpected “%(token)s” after a complete expression") % {"token": tok.text},
            tok.offset,
        )
    return node


def names(expr: Expr) -> set[str]:
    """The question names ``expr`` refers to."""
    return {ref.name for ref in refs(expr)}


def refs(expr: Expr) -> list[Ref]:
    """The ``${name}`` references of ``expr`` in reading order."""
    if isinstance(expr, Ref):
        return [expr]
    return [ref for part in expr.parts() for ref in refs(part)]


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


def evaluate(expr: Expr, answers: Mapping[str, str]) -> bool:
    """Whether ``expr`` holds for ``answers`` (question name → answer as stored)."""
    return _truth(expr.value(answers))


def is_relevant(text: str, answers: Mapping[str, str]) -> bool:
    """Whether a question with ``relevant`` = ``text`` is asked; an empty text always is."""
    return True if not text.strip() else evaluate(parse(text), answers)


def as_tree(expr: Expr) -> Any:
    """``expr`` as JSON-able lists for the browser: ``["ref", name]``, ``["str", text]``,
    ``["num", text]``, ``[op, left, right]`` for the comparisons, ``["and", l, r]``,
    ``["or", l, r]``, ``["not", e]``, ``["selected", t, v]``, ``["count-selected", t]``."""
    return expr.tree()
