"""Responses, answers and credit rows written directly (as a submitted response leaves them),
for the results tests: every figure they assert is computed by hand from these rows.

``TEN`` is the ten complete responses of the hand-computed fixture over ``sw`` (conftest):

| # | street | sex | band  | aware | joined     | satisfied |
|---|--------|-----|-------|-------|------------|-----------|
| 1 | s1     | m   | 18-29 | yes   | vol clean  | s   (1)   |
| 2 | s1     | f   | 18-29 | yes   | none       | bs  (0.9) |
| 3 | s1     | m   | 30-44 | no    | clean      | ns  (0)   |
| 4 | s1     | f   | 45-59 | yes   | none       | dk  (excluded) |
| 5 | s1     | m   | 60-65 | yes   | vol        | s   (1)   |
| 6 | s1     | f   | 30-44 | no    | none       | bs  (0.9) |
| 7 | s2     | m   | 18-29 | yes   | none       | ns  (0)   |
| 8 | s2     | f   | 30-44 | no    | none       | s   (1)   |
| 9 | s2     | f   | 45-59 | yes   | vol        | bs  (0.9) |
| 10| s2     | m   | 60-65 | no    | none       | bs  (0.9) |

Awareness 4/6 in s1, 2/4 in s2, 6/10 overall; participation (best selected choice) 3/6, 1/4,
4/10; satisfaction Σ 3.8 of 5 counted in s1 (the 说不清 answer is out), 2.8 of 4 in s2, 6.6 of
9 overall.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from django.utils import timezone

from chuangcheng.orgs.models import Region
from chuangcheng.surveys.enums import Mode, QuestionKind, ResponseState
from chuangcheng.surveys.models import Answer, Choice, Credit, Question, Response, Survey

WHEN = timezone.make_aware(dt.datetime(2026, 11, 10, 10, 0))
_device = itertools.count(1)

TEN: list[tuple[str, str, str, str, str, str]] = [
    ("s1", "m", "18-29", "yes", "vol clean", "s"),
    ("s1", "f", "18-29", "yes", "none", "bs"),
    ("s1", "m", "30-44", "no", "clean", "ns"),
    ("s1", "f", "45-59", "yes", "none", "dk"),
    ("s1", "m", "60-65", "yes", "vol", "s"),
    ("s1", "f", "30-44", "no", "none", "bs"),
    ("s2", "m", "18-29", "yes", "none", "ns"),
    ("s2", "f", "30-44", "no", "none", "s"),
    ("s2", "f", "45-59", "yes", "vol", "bs"),
    ("s2", "m", "60-65", "no", "none", "bs"),
]


def earned(question: Question, value: str, choices: dict[str, Choice]) -> Decimal | None:
    """What the answer earns: the choice's score; the best selected one for a multiple choice;
    None for an excluded answer (no credit row)."""
    picked = value.split() if question.kind == QuestionKind.MULTIPLE else [value]
    found = [choices[v] for v in picked if v in choices]
    if not found or any(c.excluded for c in found):
        return None
    return max(c.score for c in found)


def respond(
    survey: Survey,
    street: Region | None,
    sex: str,
    band: str,
    answers: dict[Question, str],
    *,
    state: str = ResponseState.COMPLETE,
    occupation: str = "",
    submitted_at: dt.datetime = WHEN,
    **extra: Any,
) -> Response:
    """One response with its answers and credit rows."""
    response = Response.objects.create(
        survey=survey,
        state=state,
        mode=Mode.SELF,
        street=street,
        region=street,
        age=int(band.split("-", maxsplit=1)[0]) if band else None,
        age_band=band,
        sex=sex,
        occupation=occupation,
        residence_months=24,
        device_hash=f"device-{next(_device)}",
        started_at=submitted_at - dt.timedelta(minutes=5),
        submitted_at=submitted_at,
        **extra,
    )
    credits = []
    for question, value in answers.items():
        Answer.objects.create(response=response, question=question, value=value)
        if not question.measure:
            continue
        choices = {c.value: c for c in question.choices.all()}
        score = earned(question, value, choices)
        if score is None:
            continue
        credits.append(
            Credit(
                survey=survey,
                response=response,
                question=question,
                measure=question.measure,
                clause=question.clause,
                street=street,
                age_band=band,
                sex=sex,
                occupation=occupation,
                score=score,
                submitted_at=submitted_at,
            )
        )
    Credit.objects.bulk_create(credits)
    return response


def load_ten(sw: Any, times: int = 1) -> list[Response]:
    """``TEN`` over ``sw.survey`` (``times`` copies of it), with the 不满意 reason answered."""
    streets = {"s1": sw.world.s1, "s2": sw.world.s2}
    out = []
    for _ in range(times):
        for street, sex, band, aware, joined, satisfied in TEN:
            answers = {sw.aware: aware, sw.joined: joined, sw.satisfied: satisfied}
            if satisfied == "ns":
                answers[sw.why] = "路面不干净"
            out.append(respond(sw.survey, streets[street], sex, band, answers))
    return out
