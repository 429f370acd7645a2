"""Raw responses as a table: one row per submitted response, one column per question.

Screening answers (street, community, age, band, sex, occupation, months lived here) come
first, then each question in order, answered choices shown by their labels (a multiple choice's
labels joined by "、"). Never included: the phone number, its hash, the device and IP hashes,
and the interviewer's position (for a door-to-door interview it is the respondent's home).
Drafts are left out; screened-out and voided responses are in, with their state. Four queries
whatever the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.core.workbook import data_workbook
from chuangcheng.surveys.enums import CHOICE_KINDS, QuestionKind, ResponseState, Sex
from chuangcheng.surveys.models import Answer, Question, Response, Survey


def _questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(survey=survey)
        .exclude(kind=QuestionKind.NOTE)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )


def _shown(question: Question, value: str, labels: dict[str, str]) -> str:
    if question.kind not in CHOICE_KINDS or not value:
        return value
    picked = value.split() if question.kind == QuestionKind.MULTIPLE else [value]
    return "、".join(labels.get(v, v) for v in picked)


def response_table(survey: Survey) -> tuple[list[str], list[list[Any]], list[Question]]:
    """(headers, rows, questions) of the survey's submitted responses."""
    questions = _questions(survey)
    labels = {q.pk: {c.value: c.label() for c in q.choices.all()} for q in questions}
    responses = list(
        Response.objects.filter(survey=survey)
        .exclude(state=ResponseState.DRAFT)
        .select_related("street", "region", "interviewer")
        .order_by("submitted_at", "pk")
    )
    answers: dict[int, dict[int, str]] = defaultdict(dict)
    for response_id, question_id, value in (
        Answer.objects.filter(response__survey=survey)
        .exclude(response__state=ResponseState.DRAFT)
        .values_list("response_id", "question_id", "value")
    ):
        answers[response_id][question_id] = value
    headers = [
        _("Response"),
        _("State"),
        _("Mode"),
        _("Interviewer"),
        _("Submitted at"),
        _("Street"),
        _("Community"),
        _("Age"),
        _("Age band"),
        _("Sex"),
        _("Occupation"),
        _("Months lived here"),
        _("Language"),
        _("Reason voided"),
    ] + [f"{q.name} {q.label()}" for q in questions]
    sexes = dict(Sex.choices)
    rows = []
    for r in responses:
        given = answers.get(r.pk, {})
        submitted = (
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else ""
        )
        rows.append(
            [
                r.pk,
                r.get_state_display(),
                r.get_mode_display(),
                str(r.interviewer) if r.interviewer else "",
                submitted,
                r.street.name if r.street else "",
                r.region.name if r.region and r.region_id != r.street_id else "",
                r.age,
                r.age_band,
                str(sexes.get(r.sex, r.sex)),
                r.occupation,
                r.residence_months,
                r.language,
                r.void_reason,
                *(_shown(q, given.get(q.pk, ""), labels[q.pk]) for q in questions),
            ]
        )
    return headers, rows, questions


def question_rows(questions: Sequence[Question]) -> list[list[Any]]:
    return [
        [
            q.name,
            q.label(),
            q.get_kind_display(),
            q.get_measure_display() if q.measure else "",
            str(q.clause) if q.clause_id else "",
            "; ".join(
                f"{c.value}={c.label()}"
                + (
                    f" ({_('not counted')})"
                    if c.excluded
                    else (f" ({c.score})" if q.measure else "")
                )
                for c in q.choices.all()
            ),
        ]
        for q in questions
    ]


def responses_workbook(
    headers: list[str], rows: list[list[Any]], questions: list[Question]
) -> bytes:
    return data_workbook(
        [
            (_("Responses"), headers, rows),
            (
                _("Questions"),
                [_("Name"), _("Question"), _("Kind"), _("Measure"), _("Clause"), _("Choices")],
                question_rows(questions),
            ),
        ]
    )
