"""A whole interview sent at once (the API, for phones that collected offline): screening and
answers checked together, then started and submitted in one transaction.

A phone names each interview with a ``client_ref``; sending it again returns the response
already stored instead of adding a second (``created`` is then False).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.answers import RawAnswers, check_answers, questions_of
from chuangcheng.surveys.domain.screening import clean_screening, eligibility
from chuangcheng.surveys.enums import INTERVIEWER_MODES, ResponseState
from chuangcheng.surveys.models import Response, Survey


@transaction.atomic
def record_interview(
    survey: Survey,
    *,
    actor: Any,
    mode: str,
    screening: Mapping[str, str],
    answers: RawAnswers,
    position: submit.Position | None = None,
    language: str = "zh-Hans",
    client_ref: str = "",
    now: dt.datetime | None = None,
) -> tuple[Response, bool]:
    """(response, created). Field problems raise ValidationError keyed "screening.<field>",
    "answers.<question>" or "mode", and nothing is written."""
    if client_ref:
        earlier = Response.objects.filter(survey=survey, client_ref=client_ref).first()
        if earlier is not None:
            if earlier.interviewer_id != getattr(actor, "pk", None):
                raise PermissionDenied
            return earlier, False
    errors: dict[str, str] = {}
    if mode not in INTERVIEWER_MODES:
        errors["mode"] = _("Choose door to door or street intercept.")
    cleaned, screen_errors = clean_screening(survey, screening)
    errors |= {f"screening.{k}": v for k, v in screen_errors.items()}
    if cleaned is not None and not eligibility(survey, cleaned):
        checked = check_answers(questions_of(survey), answers, complete=True)
        errors |= {f"answers.{k}": v for k, v in checked.errors.items()}
    if errors:
        raise ValidationError(errors)
    assert cleaned is not None
    try:
        response = submit.start(
            survey,
            actor=actor,
            screening=cleaned,
            mode=mode,
            position=position,
            language=language,
            client_ref=client_ref,
            now=now,
        )
    except submit.AlreadyAnsweredError as exc:
        raise ValidationError(
            {"screening.phone": _("This mobile number has already answered this survey.")}
        ) from exc
    if response.state == ResponseState.DRAFT:
        response = submit.submit(response, answers, actor=actor, position=position, now=now)
    return response, True
