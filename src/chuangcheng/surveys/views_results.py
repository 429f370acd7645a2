"""A survey's results page and its cross-tabulation fragment. Thin: find the survey the user may
read (404 otherwise) → the ``domain.results`` / ``domain.crosstab`` figures → render; the charts
get the same figures as JSON (json_script)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng.surveys.domain.crosstab import (
    Crosstab,
    CrosstabError,
    column_choices,
    crosstab,
    distributions,
)
from chuangcheng.surveys.domain.results import Sample, SurveyReport, build_report, load_sample
from chuangcheng.surveys.enums import CHOICE_KINDS
from chuangcheng.surveys.models import Question, Survey


def results_survey(request: HttpRequest, pk: int) -> Survey:
    """The survey, if the user may read its results; 404 for anyone else (outside the region,
    inspectors, units, residents)."""
    survey = get_object_or_404(
        Survey.objects.visible_to(request.user).select_related("region"), pk=pk
    )
    if not request.user.has_perm("surveys.view_results", survey):
        raise Http404
    return survey


def _choice_questions(survey: Survey) -> list[Question]:
    return list(
        Question.objects.filter(survey=survey, kind__in=CHOICE_KINDS).order_by("order", "pk")
    )


def _crosstab_context(
    request: HttpRequest, survey: Survey, questions: list[Question], sample: Sample | None
) -> dict[str, Any]:
    """The builder's choices and the table for ``?row=&col=`` (first question by street when
    not asked); a bad pair shows the message instead of a table."""
    columns = column_choices(survey, questions)
    row = request.GET.get("row") or (questions[0].name if questions else "")
    col = request.GET.get("col") or "street"
    table: Crosstab | None = None
    error = ""
    if questions:
        try:
            table = crosstab(survey, row, col, sample)
        except CrosstabError as exc:
            error = str(exc)
    return {
        "rows_choices": [(q.name, q.label()) for q in questions],
        "column_choices": columns,
        "row": row,
        "col": col,
        "table": table,
        "crosstab_error": error,
        "crosstab_json": table.as_json() if table is not None else None,
    }


def _charts(report: SurveyReport, dists: list[Any]) -> dict[str, Any]:
    """What results.js draws: rates by street per measure, and each question's answers."""
    return {
        "labels": {
            "rate": _("Rate %"),
            "weighted": _("Weighted %"),
            "share": _("Share of respondents %"),
        },
        "streets": [s.name for s in report.streets],
        "measures": [
            {
                "label": m.label,
                "rates": [
                    (f.rate_pct if (f := m.streets.get(s.pk)) is not None else None)
                    for s in report.streets
                ],
            }
            for m in report.measures
        ],
        "questions": [
            {
                "id": d.question.pk,
                "choices": [r["label"] for r in d.rows()],
                "pct": [r["pct"] for r in d.rows()],
                "weighted": [r["weighted_pct"] for r in d.rows()]
                if report.weighting.applied
                else None,
            }
            for d in dists
        ],
    }


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = results_survey(request, pk)
    sample = load_sample(survey)
    report = build_report(survey, sample)
    dists = distributions(survey, sample)
    questions = _choice_questions(survey)
    return render(
        request,
        "surveys/results/page.html",
        {
            "survey": survey,
            "report": report,
            "weighting": report.weighting,
            "distributions": dists,
            "charts": _charts(report, dists),
            "can_export": request.user.has_perm("surveys.manage_survey", survey),
            **_crosstab_context(request, survey, questions, sample),
        },
    )


@login_required
@require_GET
def results_crosstab(request: HttpRequest, pk: int) -> HttpResponse:
    """The cross-tabulation section alone, for the builder to swap in."""
    survey = results_survey(request, pk)
    questions = _choice_questions(survey)
    return render(
        request,
        "surveys/results/_crosstab.html",
        {"survey": survey, **_crosstab_context(request, survey, questions, None)},
    )
