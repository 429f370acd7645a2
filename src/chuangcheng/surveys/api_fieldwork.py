"""Survey fieldwork under /api/v1/surveys/: quota progress, and an interview sent whole by an
interviewer's phone (the same checks as the pages, for offline collection).

Surveys outside the user's scope answer 404; field problems answer 422 with one message per
field (``loc`` = ["body", "screening", "age"] or ["body", "answers", "why"]).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import HttpError
from ninja.errors import ValidationError as ApiValidationError

from chuangcheng.core.api_support import Error
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.progress import cells, totals
from chuangcheng.surveys.domain.record import record_interview
from chuangcheng.surveys.enums import INTERVIEWER_MODES, ResponseState
from chuangcheng.surveys.models import Survey

router = Router(tags=["surveys"])


class SurveyFieldworkCellOut(Schema):
    id: int
    street_code: str
    street_name: str
    age_band: str = Field(..., description='"" when the cell takes every age band')
    sex: str = Field(..., description='m | f, "" for both')
    occupation: str
    target: int
    filled: int
    closed: bool = Field(
        ..., description="Full: respondents matching only closed cells are thanked"
    )


class SurveyFieldworkQuotasOut(Schema):
    survey: str = Field(..., description="The survey's code")
    target_size: int | None
    quota_target: int
    quota_filled: int
    complete: int
    screened_out: int
    cells: list[SurveyFieldworkCellOut]


class SurveyFieldworkScreeningIn(Schema):
    age: int
    sex: str = Field(..., description="m | f")
    months: int = Field(..., description="Months lived in the survey's region")
    region: str = Field(..., description="Code of the street or community lived in")
    occupation: str = ""
    phone: str = Field("", description="Mainland mobile, when the survey asks for one")


class SurveyFieldworkResponseIn(Schema):
    mode: str = Field(..., description=" | ".join(INTERVIEWER_MODES))
    screening: SurveyFieldworkScreeningIn
    answers: dict[str, str | list[str]] = Field(
        {}, description="Question name → answer; a multiple choice as a list or space-joined"
    )
    lat: float | None = None
    lng: float | None = None
    accuracy: float | None = Field(None, description="Metres")
    language: str = "zh-Hans"
    client_ref: str = Field(
        "",
        max_length=64,
        description="The phone's id of this interview (a UUID): sent again, "
        "the response already stored is returned",
    )


class SurveyFieldworkResponseOut(Schema):
    id: int
    state: str = Field(..., description=" | ".join(ResponseState.values))
    screen_reason: str = Field(..., description='"", ineligible or quota_full')
    mode: str
    quota_cell: int | None
    street_code: str | None
    interviewer: str | None
    lat: float | None
    lng: float | None
    started_at: dt.datetime
    submitted_at: dt.datetime | None
    client_ref: str


def _survey(request: HttpRequest, survey_id: int) -> Survey:
    found = (
        Survey.objects.visible_to(request.user)
        .select_related("region")
        .filter(pk=survey_id)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get(
    "/{survey_id}/fieldwork/quotas",
    response={200: SurveyFieldworkQuotasOut, 403: Error, 404: Error},
    summary="Quota progress of a survey",
)
def quota_progress(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    survey = _survey(request, survey_id)
    user = request.user
    if not (
        user.has_perm("surveys.view_survey", survey) or user.has_perm("surveys.interview", survey)
    ):
        raise HttpError(403, "Not allowed.")
    quota_cells = cells(survey)
    figures = totals(survey)
    return {
        "survey": survey.code,
        "target_size": survey.target_size,
        "quota_target": figures.target,
        "quota_filled": figures.filled,
        "complete": figures.complete,
        "screened_out": figures.ineligible + figures.quota_full,
        "cells": [
            {
                "id": c.pk,
                "street_code": c.street.code,
                "street_name": c.street.name,
                "age_band": c.age_band,
                "sex": c.sex,
                "occupation": c.occupation,
                "target": c.target,
                "filled": c.filled,
                "closed": c.filled >= c.target,
            }
            for c in quota_cells
        ],
    }


def _field_errors(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError(
        [
            {"loc": ["body", *name.split(".")], "msg": messages[0]}
            for name, messages in exc.message_dict.items()
        ]
    )


@router.post(
    "/{survey_id}/fieldwork/responses",
    response={
        200: SurveyFieldworkResponseOut,
        201: SurveyFieldworkResponseOut,
        403: Error,
        404: Error,
        409: Error,
        422: Error,
    },
    summary="Send a whole interview (screening and answers)",
)
def post_response(
    request: HttpRequest, survey_id: int, payload: SurveyFieldworkResponseIn
) -> Status[dict[str, Any]]:
    survey = _survey(request, survey_id)
    if not request.user.has_perm("surveys.interview", survey):
        raise HttpError(403, "Not allowed.")
    screening = {k: str(v) for k, v in payload.screening.dict().items()}
    try:
        response, created = record_interview(
            survey,
            actor=request.user,
            mode=payload.mode,
            screening=screening,
            answers=payload.answers,
            position=submit.position_from(payload.lat, payload.lng, payload.accuracy),
            language=payload.language,
            client_ref=payload.client_ref.strip(),
        )
    except ValidationError as exc:
        raise _field_errors(exc) from exc
    except submit.NotCollectingError as exc:
        raise HttpError(409, "This survey is not taking responses.") from exc
    except PermissionDenied as exc:
        raise HttpError(403, "Not allowed.") from exc
    street = response.street
    return Status(
        201 if created else 200,
        {
            "id": response.pk,
            "state": response.state,
            "screen_reason": response.screen_reason,
            "mode": response.mode,
            "quota_cell": response.quota_id,
            "street_code": street.code if street else None,
            "interviewer": response.interviewer.get_username() if response.interviewer else None,
            "lat": response.lat,
            "lng": response.lng,
            "started_at": response.started_at,
            "submitted_at": response.submitted_at,
            "client_ref": response.client_ref,
        },
    )
