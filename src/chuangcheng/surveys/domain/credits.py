"""Credit rows: what a complete response earns on each measured question (ADR 0011).

One row per measured question that was shown and answered with a counted choice: the score of
the chosen choice, or for a multiple choice the best score among its chosen counted choices.
A question not shown, not answered, answered only with excluded choices ("说不清"), or not a
choice question writes nothing, so it stays out of the rate's denominator. The respondent's
street, age band, sex and occupation, the submit time, the question's measure and clause are
copied onto the row so that every rate is one grouped query. Voiding a response deletes them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from chuangcheng.surveys.enums import CHOICE_KINDS
from chuangcheng.surveys.models import Credit, Question, Response


def score_of(question: Question, value: str) -> Decimal | None:
    """The score ``value`` earns on ``question``; None when it earns no row."""
    if not question.measure or question.kind not in CHOICE_KINDS or not value:
        return None
    picked = set(value.split())
    scores = [c.score for c in question.choices.all() if c.value in picked and not c.excluded]
    return max(scores) if scores else None


def credits_for(
    response: Response, questions: Sequence[Question], values: Mapping[str, str]
) -> list[Credit]:
    """The unsaved credit rows of a complete response whose shown answers are ``values``."""
    assert response.submitted_at is not None
    rows = []
    for question in questions:
        score = score_of(question, values.get(question.name, ""))
        if score is None:
            continue
        rows.append(
            Credit(
                survey_id=response.survey_id,
                response=response,
                question=question,
                measure=question.measure,
                clause_id=question.clause_id,
                street_id=response.street_id,
                age_band=response.age_band,
                sex=response.sex,
                occupation=response.occupation,
                score=score,
                submitted_at=response.submitted_at,
            )
        )
    return rows


def write_credits(
    response: Response, questions: Sequence[Question], values: Mapping[str, str]
) -> list[Credit]:
    return Credit.objects.bulk_create(credits_for(response, questions, values))


def remove_credits(response: Response) -> int:
    deleted, _per_model = Credit.objects.filter(response=response).delete()
    return deleted
