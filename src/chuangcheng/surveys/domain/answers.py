"""Checking a questionnaire's answers on the server, whatever the browser did.

Questions are walked in order. A question whose ``relevant`` expression is false is not shown:
it is never required, its answer is dropped, and later expressions see it as unanswered (as
ODK Collect and Enketo do). A shown question must be answered when required; a choice must be
one of the question's values; numbers must be numbers. The browser runs the same skip logic
(``answer.js``) on the tree :func:`expressions.as_tree` gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from chuangcheng.surveys.domain import expressions
from chuangcheng.surveys.enums import QuestionKind
from chuangcheng.surveys.models import Question, Survey

TEXT_MAX = 2000
_INTEGER = re.compile(r"^[+-]?\d{1,12}$")

RawAnswers = Mapping[str, str | Sequence[str]]


@dataclass
class Checked:
    """The outcome of :func:`check_answers`."""

    values: dict[str, str] = field(default_factory=dict)  # shown and answered, as stored
    shown: set[str] = field(default_factory=set)
    errors: dict[str, str] = field(default_factory=dict)


def questions_of(survey: Survey) -> list[Question]:
    """The survey's questions in order with their choices (two queries)."""
    return list(Question.objects.filter(survey=survey).prefetch_related("choices"))


def _raw_text(raw: str | Sequence[str] | None) -> str | list[str]:
    if raw is None:
        return ""
    if isinstance(raw, str):
        return raw.strip()
    return [str(v).strip() for v in raw if str(v).strip()]


def _not_a_choice(value: str) -> tuple[str, str]:
    return "", _("“%(value)s” is not one of the choices.") % {"value": value}


def _multiple(question: Question, raw: str | list[str]) -> tuple[str, str]:
    values = [c.value for c in question.choices.all()]
    picked = raw.split() if isinstance(raw, str) else [v for r in raw for v in r.split()]
    unknown = [v for v in picked if v not in values]
    if unknown:
        return _not_a_choice(unknown[0])
    # Stored in the question's own order, each value once, as XLSForm does.
    return " ".join(v for v in values if v in picked), ""


def _single(question: Question, text: str) -> tuple[str, str]:
    if text not in {c.value for c in question.choices.all()}:
        return _not_a_choice(text)
    return text, ""


def _integer(question: Question, text: str) -> tuple[str, str]:
    if not _INTEGER.match(text):
        return "", _("Give a whole number, such as 3.")
    return str(int(text)), ""


def _decimal(question: Question, text: str) -> tuple[str, str]:
    text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) >= Decimal(10) ** 12:
        return "", _("Give a number, such as 2.5.")
    return text, ""


def _text(question: Question, text: str) -> tuple[str, str]:
    if len(text) > TEXT_MAX:
        return "", _("Keep the answer under %(max)d characters.") % {"max": TEXT_MAX}
    return text, ""


_CLEANERS: dict[str, Callable[[Question, str], tuple[str, str]]] = {
    QuestionKind.SINGLE: _single,
    QuestionKind.RATING: _single,
    QuestionKind.INTEGER: _integer,
    QuestionKind.DECIMAL: _decimal,
    QuestionKind.TEXT: _text,
}


def _clean_one(question: Question, raw: str | list[str]) -> tuple[str, str]:
    """(value as stored, error message or "")."""
    if question.kind == QuestionKind.MULTIPLE:
        return _multiple(question, raw)
    text = raw if isinstance(raw, str) else " ".join(raw)
    cleaner = _CLEANERS.get(question.kind)
    if not text or cleaner is None:
        return "", ""
    return cleaner(question, text)


def check_answers(questions: Sequence[Question], raw: RawAnswers, *, complete: bool) -> Checked:
    """Clean ``raw`` (question name → text, or a list of values for a multiple choice).
    ``complete`` requires every shown required question (a submit); a draft does not."""
    result = Checked()
    seen: dict[str, str] = {}
    for question in questions:
        if question.relevant.strip() and not expressions.is_relevant(question.relevant, seen):
            seen[question.name] = ""
            continue
        result.shown.add(question.name)
        if question.kind == QuestionKind.NOTE:
            continue
        value, error = _clean_one(question, _raw_text(raw.get(question.name)))
        if error:
            result.errors[question.name] = error
        elif not value and question.required and complete:
            result.errors[question.name] = _("This question needs an answer.")
        seen[question.name] = value
        if value:
            result.values[question.name] = value
    return result


def skip_trees(questions: Sequence[Question]) -> dict[str, Any]:
    """Each conditional question's ``relevant`` as the tree the browser evaluates."""
    return {
        q.name: expressions.as_tree(expressions.parse(q.relevant))
        for q in questions
        if q.relevant.strip()
    }
