"""The survey designer's pages: the list of surveys, a survey with its questions, its settings
form, opening / closing it, copying it as a new round and deleting a draft.

Thin: parse → domain → render. Surveys come from ``Survey.objects.visible_to``: anything else
answers 404; a visible survey the user may not design answers 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.surveys.domain.design import (
    change_status,
    copy_survey,
    create_survey,
    delete_survey,
    update_survey,
)
from chuangcheng.surveys.enums import STATUS_TRANSITIONS, QuestionKind, SurveyStatus
from chuangcheng.surveys.forms_design import CopyForm, SurveyForm, new_survey_initial
from chuangcheng.surveys.forms_design_questions import built
from chuangcheng.surveys.models import Question, Survey

STATUS_BADGES: dict[str, str] = {
    SurveyStatus.DRAFT: "badge-gold",
    SurveyStatus.OPEN: "badge-green",
    SurveyStatus.CLOSED: "",
}


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_survey(request: HttpRequest, pk: int, perm: str = "surveys.view_survey") -> Survey:
    """The survey ``pk`` if the user sees it (else 404) and holds ``perm`` on it (else 403)."""
    found = (
        Survey.objects.visible_to(request.user)
        .select_related("region", "framework", "copied_from", "created_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    need(request, perm, found)
    return found


def survey_context(request: HttpRequest, survey: Survey, tab: str) -> dict[str, Any]:
    """What ``surveys/_tabs.html`` and the survey's page head need."""
    return {
        "survey": survey,
        "tab": tab,
        "status_badge": STATUS_BADGES.get(survey.status, ""),
        "may_manage": request.user.has_perm("surveys.manage_survey", survey),
        "may_see_results": request.user.has_perm("surveys.view_results", survey),
    }


def form_errors(form: Any, exc: ValidationError) -> None:
    """Put the domain's errors on the form's fields (or above it for unknown names)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    need(request, "surveys.view_survey")
    status = request.GET.get("status", "")
    rows = (
        Survey.objects.visible_to(request.user)
        .select_related("region", "framework")
        .annotate(n_questions=Count("questions", filter=~Q(questions__kind=QuestionKind.NOTE)))
    )
    if status in SurveyStatus.values:
        rows = rows.filter(status=status)
    surveys = list(rows)
    for s in surveys:
        s.badge = STATUS_BADGES.get(s.status, "")  # type: ignore[attr-defined]
    return render(
        request,
        "surveys/design/list.html",
        {
            "surveys": surveys,
            "status": status,
            "statuses": SurveyStatus.choices,
            "may_create": request.user.has_perm("surveys.manage_survey"),
        },
    )


def annotate_questions(questions: list[Question], language: str) -> None:
    """Numbers (notes are not counted), texts in ``language``, section headings where the
    group changes, scores as written (0.9, not 0.900) and skip logic in words when the
    builder wrote it."""
    previous: dict[str, str] = {}
    number = 0
    by_name = {q.name: q for q in questions}
    for q in questions:
        if q.kind != QuestionKind.NOTE:
            number += 1
        q.number = number  # type: ignore[attr-defined]
        q.text = q.label(language)  # type: ignore[attr-defined]
        q.others = [v for k, v in q.labels.items() if k != language and v]  # type: ignore[attr-defined]
        q.section = q.group.get(language) or next(iter(q.group.values()), "")  # type: ignore[attr-defined]
        q.new_section = q.group != previous and bool(q.group)  # type: ignore[attr-defined]
        q.hint = q.hints.get(language) or next(iter(q.hints.values()), "")  # type: ignore[attr-defined]
        q.skip_text = skip_text(q.relevant, by_name, language)  # type: ignore[attr-defined]
        for c in q.choices.all():
            c.text = c.label(language)  # type: ignore[attr-defined]
            c.score_text = f"{c.score.normalize():f}"  # type: ignore[attr-defined]
        previous = q.group


def skip_text(relevant: str, by_name: dict[str, Question], language: str) -> str:
    """``${env} = 'ns'`` → 「…满意？」 is 「不满意」, for conditions the builder writes."""
    found = built(relevant)
    if not found or found[0] not in by_name:
        return ""
    q = by_name[found[0]]
    choice = next((c for c in q.choices.all() if c.value == found[2]), None)
    answer = choice.label(language) if choice else found[2]
    template = {
        "is": _("the answer to “%(q)s” is “%(a)s”"),
        "not": _("the answer to “%(q)s” is not “%(a)s”"),
        "has": _("the answers to “%(q)s” include “%(a)s”"),
    }[found[1]]
    return template % {"q": q.label(language), "a": answer}


@login_required
@require_GET
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = visible_survey(request, pk)
    questions = list(
        survey.questions.select_related("clause")
        .prefetch_related("choices")
        .order_by("order", "id")
    )
    language = survey.languages[0] if survey.languages else "zh-Hans"
    annotate_questions(questions, language)
    draft = survey.status == SurveyStatus.DRAFT
    return render(
        request,
        "surveys/design/detail.html",
        {
            **survey_context(request, survey, "design"),
            "questions": questions,
            "first": questions[0].pk if questions else None,
            "last": questions[-1].pk if questions else None,
            "draft": draft,
            "transitions": [(s, SurveyStatus(s).label) for s in STATUS_TRANSITIONS[survey.status]],
            "bands": ", ".join(f"{a}-{b}" for a, b in survey.age_bands),
        },
    )


@login_required
def survey_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The settings form: a new survey when ``pk`` is None."""
    survey = visible_survey(request, pk, "surveys.manage_survey") if pk is not None else None
    if survey is None:
        need(request, "surveys.manage_survey")
    kw: dict[str, Any] = {}
    if survey is None and request.method != "POST":
        kw["initial"] = new_survey_initial(request.user)
    form = SurveyForm(request.POST or None, user=request.user, survey=survey, **kw)
    if request.method == "POST" and form.is_valid():
        try:
            if survey is None:
                saved = create_survey(actor=request.user, data=form.data_object())
            else:
                saved = update_survey(actor=request.user, survey=survey, data=form.data_object())
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Survey “%(t)s” saved.") % {"t": saved.title})
            return redirect("surveys:detail", pk=saved.pk)
    return render(
        request,
        "surveys/design/survey_form.html",
        {"form": form, "survey": survey, "locked": getattr(form, "locked", False)},
    )


@login_required
@require_POST
def survey_status(request: HttpRequest, pk: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    status = request.POST.get("status", "")
    try:
        change_status(actor=request.user, survey=survey, status=status)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("The survey is now: %(s)s.") % {"s": survey.get_status_display()}
        )
    return redirect("surveys:detail", pk=survey.pk)


@login_required
def survey_copy(request: HttpRequest, pk: int) -> HttpResponse:
    """Copy as a new round: questions, choices, quotas and margins; a new code; a draft."""
    survey = visible_survey(request, pk, "surveys.manage_survey")
    initial = {"code": f"{survey.code}-2"[:40], "title": survey.title}
    form = CopyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            copy = copy_survey(
                actor=request.user,
                survey=survey,
                code=form.cleaned_data["code"],
                title=form.cleaned_data["title"],
            )
        except ValidationError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request, _("New round “%(t)s” created as a draft.") % {"t": copy.title}
            )
            return redirect("surveys:detail", pk=copy.pk)
    return render(
        request,
        "surveys/design/copy.html",
        {**survey_context(request, survey, "design"), "form": form},
    )


@login_required
@require_POST
def survey_delete(request: HttpRequest, pk: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    title = survey.title
    try:
        delete_survey(actor=request.user, survey=survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("surveys:detail", pk=survey.pk)
    messages.success(request, _("Survey “%(t)s” deleted.") % {"t": title})
    return redirect("surveys:list")
