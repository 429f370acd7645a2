"""A survey's report under /api/v1/surveys/{code}/report: the same figures, in the same shape,
as ``chuangcheng survey report CODE --format json``. Scoped like the results page: a survey the
user may not read results of answers 404."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema

from chuangcheng.core.api_support import Error
from chuangcheng.surveys.domain.results import build_report
from chuangcheng.surveys.interfaces.export import report_json
from chuangcheng.surveys.models import Survey

router = Router(tags=["surveys"])


class SurveyReportFigures(Schema):
    name: str = Field(..., description="The street's name, or the survey region's for “all”")
    respondents: int = Field(..., description="Complete responses from there")
    numerator: float = Field(..., description="Σ score of the answers counted (3 decimals)")
    denominator: int = Field(..., description="Answers counted")
    rate: float | None = Field(..., description="numerator ÷ denominator (4 decimals); null: none")
    ci_low: float | None = Field(..., description="95 % interval, lower bound")
    ci_high: float | None = Field(..., description="95 % interval, upper bound")
    weighted_rate: float | None = Field(..., description="Raking-weighted rate; null: no margins")
    n: int = Field(..., description="Sample size (answers counted)")
    graded: bool = Field(..., description="Some scores are between 0 and 1 (normal interval)")
    weighted_ci_low: float | None
    weighted_ci_high: float | None
    effective_n: float | None = Field(..., description="Kish's effective sample size")


class SurveyReportClause(Schema):
    id: int
    number: str
    text: str
    streets: dict[str, SurveyReportFigures] = Field(..., description="“all” and street codes")


class SurveyReportMeasure(Schema):
    label: str
    streets: dict[str, SurveyReportFigures] = Field(..., description="“all” and street codes")
    clauses: list[SurveyReportClause]


class SurveyReportRegion(Schema):
    code: str
    name: str


class SurveyReportSurvey(Schema):
    code: str
    title: str
    status: str
    region: SurveyReportRegion
    starts_on: str | None
    ends_on: str | None
    respondents: int


class SurveyReportWeighting(Schema):
    applied: bool
    dimensions: list[str]
    iterations: int
    converged: bool
    design_effect: float | None
    effective_n: float | None
    excluded: int = Field(..., description="Respondents left out of the weighted figures")
    warnings: list[str]


class SurveyReportOut(Schema):
    survey: SurveyReportSurvey
    weighting: SurveyReportWeighting
    measures: dict[str, SurveyReportMeasure] = Field(
        ..., description="awareness, participation, support, satisfaction (those asked)"
    )


@router.get(
    "/{code}/report",
    response={200: SurveyReportOut, 404: Error},
    summary="A survey's rates, intervals and weighted rates",
)
def survey_report(request: HttpRequest, code: str) -> dict[str, Any]:
    """For each measure and each street (and the whole region as “all”): numerator,
    denominator, rate, 95 % interval and weighted rate, with the clause breakdown."""
    survey = (
        Survey.objects.visible_to(request.user).select_related("region").filter(code=code).first()
    )
    if survey is None or not request.user.has_perm("surveys.view_results", survey):
        raise Http404
    return report_json(build_report(survey))
