"""Survey design under /api/v1/surveys/: the surveys a user may read, one survey with its
questions and choices, and importing an XLSForm (office). Same rules and querysets as the
pages: a survey outside the user's scope answers 404."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest
from ninja import File, Form, Router, Schema, UploadedFile
from ninja.errors import HttpError
from ninja.responses import Status

from chuangcheng.core.api_support import Error
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.design import FRAME_FIELDS, QUESTION_FIELDS
from chuangcheng.surveys.domain.design_import import import_xlsform
from chuangcheng.surveys.domain.xlsform import XLSFormError
from chuangcheng.surveys.enums import Measure, QuestionKind, SurveyStatus
from chuangcheng.surveys.forms_design import MAX_UPLOAD
from chuangcheng.surveys.models import Survey

design_router = Router(tags=["surveys"])


class SurveyDesignSummaryOut(Schema):
    id: int
    code: str
    title: str
    status: str
    region: str
    region_code: str
    framework: str | None
    languages: list[str]
    questions: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    target_size: int | None


class SurveyDesignChoiceOut(Schema):
    value: str
    labels: dict[str, str]
    score: Decimal
    excluded: bool


class SurveyDesignQuestionOut(Schema):
    id: int
    order: int
    name: str
    kind: str
    labels: dict[str, str]
    hints: dict[str, str]
    group: dict[str, str]
    required: bool
    relevant: str
    scale_min: int | None
    scale_max: int | None
    measure: str
    clause: int | None
    clause_number: str | None
    choices: list[SurveyDesignChoiceOut]


class SurveyDesignOut(SurveyDesignSummaryOut):
    description: str
    min_age: int
    max_age: int
    min_residence_months: int
    age_bands: list[list[int]]
    occupations: list[str]
    self_answer: bool
    interviewers: bool
    ask_phone: bool
    form_id: str
    form_version: str
    question_list: list[SurveyDesignQuestionOut]


class SurveyDesignImportIn(Schema):
    survey: int | None = None
    region: str = ""
    framework: int | None = None
    code: str = ""
    title: str = ""


class SurveyDesignImportOut(Schema):
    survey: SurveyDesignSummaryOut
    created: bool
    questions: int
    choices: int
    warnings: list[str]


def _summary(s: Survey, questions: int) -> dict[str, Any]:
    return {
        "id": s.pk,
        "code": s.code,
        "title": s.title,
        "status": s.status,
        "region": s.region.name,
        "region_code": s.region.code,
        "framework": s.framework.name if s.framework else None,
        "languages": s.languages,
        "questions": questions,
        "starts_on": s.starts_on,
        "ends_on": s.ends_on,
        "target_size": s.target_size,
    }


def _need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise HttpError(403, "Not allowed.")


@design_router.get(
    "",
    response={200: list[SurveyDesignSummaryOut], 403: Error},
    summary="Surveys the user designs or reads",
)
def list_surveys(request: HttpRequest, status: str = "") -> list[dict[str, Any]]:
    _need(request, "surveys.view_survey")
    rows = (
        Survey.objects.visible_to(request.user)
        .select_related("region", "framework")
        .annotate(n=Count("questions"))
    )
    if status:
        if status not in SurveyStatus.values:
            raise HttpError(422, f"status is one of {', '.join(SurveyStatus.values)}")
        rows = rows.filter(status=status)
    return [
        _summary(s, getattr(s, "n", 0))
        for s in rows
        if request.user.has_perm("surveys.view_survey", s)
    ]


@design_router.get(
    "/{int:survey_id}",
    response={200: SurveyDesignOut, 403: Error, 404: Error},
    summary="A survey with its questions and choices",
)
def get_survey(request: HttpRequest, survey_id: int) -> dict[str, Any]:
    found = (
        Survey.objects.visible_to(request.user)
        .select_related("region", "framework")
        .filter(pk=survey_id)
        .first()
    )
    if found is None:
        raise HttpError(404, "No such survey.")
    _need(request, "surveys.view_survey", found)
    questions = list(found.questions.select_related("clause").prefetch_related("choices"))
    return {
        **_summary(found, len(questions)),
        **{
            f: getattr(found, f)
            for f in (
                "description",
                *FRAME_FIELDS,
                "form_id",
                "form_version",
            )
        },
        "question_list": [
            {
                **{f: getattr(q, f) for f in QUESTION_FIELDS},
                "id": q.pk,
                "clause": q.clause_id,
                "clause_number": q.clause.number if q.clause else None,
                "choices": [
                    {"value": c.value, "labels": c.labels, "score": c.score, "excluded": c.excluded}
                    for c in q.choices.all()
                ],
            }
            for q in questions
        ],
    }


@design_router.post(
    "/import",
    response={201: SurveyDesignImportOut, 403: Error, 404: Error, 422: Error},
    summary="Import an XLSForm (.xlsx) as a new draft survey, or into a draft survey",
    description=(
        "Give `survey` (an id) to add the questions to that draft survey; otherwise `region` "
        "(a region code) is required and `code`, `title` and `framework` (a framework id) are "
        "optional. Errors list each problem with `loc` = [sheet, row, column]; nothing is "
        f"written. Question kinds: {', '.join(QuestionKind.values)}; measures: "
        f"{', '.join(Measure.values)}."
    ),
)
def import_form(
    request: HttpRequest, file: File[UploadedFile], data: Form[SurveyDesignImportIn]
) -> Status[Any]:
    survey, region, framework = data.survey, data.region, data.framework
    _need(request, "surveys.manage_survey")
    if not (file.name or "").lower().endswith(".xlsx") or (file.size or 0) > MAX_UPLOAD:
        return Status(422, _error("Upload an .xlsx file of at most 5 MB.", []))
    target = None
    if survey is not None:
        target = Survey.objects.visible_to(request.user).filter(pk=survey).first()
        if target is None:
            raise HttpError(404, "No such survey.")
    place = Region.objects.visible_to(request.user).filter(code=region).first() if region else None
    if region and place is None:
        raise HttpError(404, "No such region.")
    chosen = Framework.objects.filter(pk=framework).first() if framework else None
    if framework and chosen is None:
        raise HttpError(404, "No such framework.")
    try:
        result = import_xlsform(
            actor=request.user,
            stream=file,
            filename=file.name or "",
            survey=target,
            code=data.code,
            title=data.title,
            region=place,
            framework=chosen,
        )
    except PermissionDenied as exc:
        raise HttpError(403, "Not allowed.") from exc
    except XLSFormError as exc:
        items = [{"loc": [i.sheet, i.row, i.column], "msg": i.message} for i in exc.issues]
        return Status(422, _error("The file was not imported; nothing was written.", items))
    except ValidationError as exc:  # e.g. the survey is no longer a draft
        return Status(422, _error(" ".join(exc.messages), []))
    return Status(
        201,
        {
            "survey": _summary(result.survey, result.survey.questions.count()),
            "created": result.created,
            "questions": result.questions,
            "choices": result.choices,
            "warnings": result.warnings,
        },
    )


def _error(detail: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"detail": detail, "code": "invalid", "errors": items}
