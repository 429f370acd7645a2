"""Importing an XLSForm in the browser: as a new draft survey, or into a draft survey's
questions. Errors are listed by sheet, row and column; nothing is written unless all is well."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chuangcheng.surveys.domain.design_import import ImportResult, import_xlsform
from chuangcheng.surveys.domain.xlsform import XLSFormError
from chuangcheng.surveys.enums import SurveyStatus
from chuangcheng.surveys.forms_design import ImportForm, ImportIntoForm
from chuangcheng.surveys.views_design import need, survey_context, visible_survey


def _done(request: HttpRequest, result: ImportResult) -> HttpResponse:
    messages.success(
        request,
        ngettext(
            "%(n)d question imported into “%(t)s”.",
            "%(n)d questions imported into “%(t)s”.",
            result.questions,
        )
        % {"n": result.questions, "t": result.survey.title},
    )
    for warning in result.warnings:
        messages.warning(request, warning)
    return redirect("surveys:detail", pk=result.survey.pk)


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    """Upload an XLSForm as a new draft survey."""
    need(request, "surveys.manage_survey")
    form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = import_xlsform(
                actor=request.user,
                stream=d["file"],
                filename=d["file"].name,
                code=d["code"],
                title=d["title"],
                region=d["region"],
                framework=d["framework"],
            )
        except XLSFormError as exc:
            issues = exc.issues
        else:
            return _done(request, result)
    return render(
        request, "surveys/design/import.html", {"form": form, "issues": issues, "survey": None}
    )


@login_required
def import_into(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload an XLSForm whose questions are added after those of a draft survey."""
    survey = visible_survey(request, pk, "surveys.manage_survey")
    if survey.status != SurveyStatus.DRAFT:
        messages.error(
            request,
            _("Questions can change only while the survey is a draft (this one is %(s)s).")
            % {"s": survey.get_status_display()},
        )
        return redirect("surveys:detail", pk=survey.pk)
    form = ImportIntoForm(request.POST or None, request.FILES or None)
    issues: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = import_xlsform(
                actor=request.user, stream=upload, filename=upload.name, survey=survey
            )
        except XLSFormError as exc:
            issues = exc.issues
        else:
            return _done(request, result)
    return render(
        request,
        "surveys/design/import.html",
        {**survey_context(request, survey, "design"), "form": form, "issues": issues},
    )
