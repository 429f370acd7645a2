"""The syntax of skip-logic expressions: their tree, tokens and parser. The subset and its
meaning are described in :mod:`chuangcheng.surveys.domain.expressions`, which is the module to
import."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
class Text:
    """A quoted string literal."""

    text: str


@dataclass(frozen=True)
class Number:
    """A number literal, kept as written (``"18"``, ``"-0.5"``)."""

    text: str


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class And:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Or:
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class Selected:
    target: Expr
    choice: Expr


@dataclass(frozen=True)
class CountSelected:
    target: Expr


Expr = Ref | Text | Number | Compare | And | Or | Not | Selected | CountSelected
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
    if source[i] in "‘’“”":
        message = _("Curly quote “%(char)s”: write straight quotes ' or \"")
        return ExpressionError(message % {"char": source[i]}, i)
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
