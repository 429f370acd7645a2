"""Adding, editing, deleting and reordering the questions of a draft survey.

A "preset" button (满意 1 / 基本满意 0.9 / 不满意 0 / 说不清 not counted, and the scales of the
other measures) shows the form again with the preset's choices filled in, without saving:
it works without JavaScript.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.surveys.domain.design_questions import (
    PRESETS,
    delete_question,
    move_question,
    save_question,
)
from chuangcheng.surveys.enums import Measure, SurveyStatus
from chuangcheng.surveys.forms_design_questions import (
    QuestionForm,
    choice_formset,
    choice_initial,
    initial_from_post,
    preset_initial,
)
from chuangcheng.surveys.models import Question, Survey
from chuangcheng.surveys.views_design import form_errors, survey_context, visible_survey


def _question(survey: Survey, qid: int) -> Question:
    found = survey.questions.select_related("clause").filter(pk=qid).first()
    if found is None:
        raise Http404
    return found


def _draft_or_back(request: HttpRequest, survey: Survey) -> HttpResponse | None:
    if survey.status == SurveyStatus.DRAFT:
        return None
    messages.error(
        request,
        _("Questions can change only while the survey is a draft (this one is %(s)s).")
        % {"s": survey.get_status_display()},
    )
    return redirect("surveys:detail", pk=survey.pk)


@login_required
def question_edit(request: HttpRequest, pk: int, qid: int | None = None) -> HttpResponse:
    """The question form (a new last question when ``qid`` is None)."""
    survey = visible_survey(request, pk, "surveys.manage_survey")
    question = _question(survey, qid) if qid is not None else None
    back = _draft_or_back(request, survey)
    if back is not None:
        return back
    preset = request.POST.get("preset", "") if request.method == "POST" else ""
    if preset in PRESETS:
        initial = initial_from_post(request.POST)
        initial["measure"] = initial.get("measure") or preset
        if initial.get("kind") not in ("single", "multiple"):
            initial["kind"] = "single"
        form = QuestionForm(survey=survey, question=question, initial=initial)
        rows = choice_formset(survey, initial=preset_initial(preset))
    elif request.method == "POST":
        form = QuestionForm(request.POST, survey=survey, question=question)
        rows = choice_formset(survey, data=request.POST)
        if form.is_valid() and rows.is_valid():
            choices = [c for c in (f.choice() for f in rows) if c is not None]
            try:
                saved = save_question(
                    actor=request.user,
                    survey=survey,
                    data=form.data_object(choices),
                    question=question,
                )
            except ValidationError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Question %(n)s saved.") % {"n": saved.name})
                return redirect(f"{survey_url(survey)}#q-{saved.pk}")
    else:
        form = QuestionForm(survey=survey, question=question)
        current = choice_initial(question.choices.all()) if question is not None else []
        rows = choice_formset(survey, initial=current)
    return render(
        request,
        "surveys/design/question_form.html",
        {
            **survey_context(request, survey, "design"),
            "form": form,
            "rows": rows,
            "question": question,
            "presets": [(m, Measure(m).label) for m in PRESETS],
            "label_fields": [form[f"label_{c}"] for c in survey.languages],
            "hint_fields": [form[f"hint_{c}"] for c in survey.languages],
        },
    )


def survey_url(survey: Survey) -> str:
    return reverse("surveys:detail", args=[survey.pk])


@login_required
@require_POST
def question_delete(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    question = _question(survey, qid)
    name = question.name
    try:
        delete_question(actor=request.user, question=question)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Question %(n)s deleted.") % {"n": name})
    return redirect("surveys:detail", pk=survey.pk)


@login_required
@require_POST
def question_move(request: HttpRequest, pk: int, qid: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    question = _question(survey, qid)
    try:
        move_question(actor=request.user, question=question, up=request.POST.get("to") == "up")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect(f"{survey_url(survey)}#q-{question.pk}")
