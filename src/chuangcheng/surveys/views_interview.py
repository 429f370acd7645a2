"""Interviewers on their phones (入户 / 街访): the surveys they may interview for, starting an
interview (mode, screening, position), the questionnaire, and their own responses.

The interviewer's account and the phone's position (when the browser gives one) are recorded
with each response; a response is only ever reachable by the interviewer who started it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.answers import questions_of
from chuangcheng.surveys.domain.screening import clean_screening, places
from chuangcheng.surveys.enums import INTERVIEWER_MODES, Mode, ResponseState
from chuangcheng.surveys.models import Response, Survey
from chuangcheng.surveys.views_answer import (
    browser_texts,
    errors_reply,
    go,
    questionnaire_context,
    raw_answers,
    raw_screening,
    screening_context,
)

PAGE = "surveys/answer/page.html"


def _need_interviewer(request: HttpRequest) -> None:
    if not request.user.has_perm("surveys.interview"):
        raise PermissionDenied


def _open_surveys(request: HttpRequest) -> list[Survey]:
    rows = Survey.objects.visible_to(request.user).filter(status="open", interviewers=True)
    return [
        s
        for s in rows.select_related("region").order_by("-starts_on", "-id")
        if submit.collecting(s) and request.user.has_perm("surveys.interview", s)
    ]


def _survey(request: HttpRequest, pk: int) -> Survey:
    found = next((s for s in _open_surveys(request) if s.pk == pk), None)
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def interview_list(request: HttpRequest) -> HttpResponse:
    """Open surveys the user may interview for, with their own count today, and their
    interviews in progress."""
    _need_interviewer(request)
    surveys = _open_surveys(request)
    today = timezone.localdate()
    counts = dict(
        Response.objects.filter(
            interviewer_id=request.user.pk,
            survey__in=[s.pk for s in surveys],
            state=ResponseState.COMPLETE,
            submitted_at__date=today,
        )
        .values("survey_id")
        .annotate(n=Count("pk"))
        .values_list("survey_id", "n")
    )
    for s in surveys:
        s.today_count = counts.get(s.pk, 0)  # type: ignore[attr-defined]
    drafts = list(
        Response.objects.filter(interviewer_id=request.user.pk, state=ResponseState.DRAFT)
        .select_related("survey", "region")
        .order_by("-started_at")[:20]
    )
    return render(
        request, "surveys/fieldwork/interview_list.html", {"surveys": surveys, "drafts": drafts}
    )


def _default_region(request: HttpRequest, survey: Survey) -> str:
    """The street (or community) of the interviewer's grant, when it is in the survey."""
    mine = set(scope_of(request.user).prefixes_for(Role.INSPECTOR))
    for code, place in places(survey).items():
        if place.region.path in mine:
            return code
    return ""


def _start_context(
    request: HttpRequest, survey: Survey, values: dict[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    return {
        "survey": survey,
        "inner": "surveys/fieldwork/interview_start.html",
        "with_form": True,
        "texts": browser_texts(),
        "modes": [(m, Mode(m).label) for m in INTERVIEWER_MODES],
        "mode": values.get("mode", ""),
        "draft_key": "",
        **screening_context(
            survey, values, errors, default_region=_default_region(request, survey)
        ),
    }


@login_required
@require_http_methods(["GET", "POST"])
def interview_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Mode, screening questions and the position; then the questionnaire or, for someone
    not eligible or out of quota, a page to thank them and start the next interview."""
    _need_interviewer(request)
    survey = _survey(request, pk)
    if request.method == "GET":
        return render(request, PAGE, _start_context(request, survey, {}, {}))
    values = {**raw_screening(request.POST), "mode": request.POST.get("mode", "")}
    screening, errors = clean_screening(survey, values)
    if values["mode"] not in INTERVIEWER_MODES:
        errors["mode"] = _("Choose door to door or street intercept.")
    if not errors and screening is not None:
        try:
            response = submit.start(
                survey,
                actor=request.user,
                screening=screening,
                mode=values["mode"],
                position=submit.position_from(
                    request.POST.get("lat"), request.POST.get("lng"), request.POST.get("accuracy")
                ),
            )
        except submit.AlreadyAnsweredError:
            errors["phone"] = _("This mobile number has already answered this survey.")
        except submit.NotCollectingError as exc:
            raise Http404 from exc
        else:
            if response.state == ResponseState.DRAFT:
                return go(request, reverse("surveys:interview_answer", args=[response.pk]))
            return go(request, reverse("surveys:interview_done", args=[response.pk]))
    context = _start_context(request, survey, values, errors)
    return errors_reply(request, errors, PAGE, context)


def _own(request: HttpRequest, rid: int) -> Response:
    found = (
        Response.objects.filter(pk=rid, interviewer_id=request.user.pk)
        .select_related("survey", "survey__region", "region")
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_http_methods(["GET", "POST"])
def interview_answer(request: HttpRequest, rid: int) -> HttpResponse:
    """The questionnaire of one of the user's interviews in progress."""
    _need_interviewer(request)
    response = _own(request, rid)
    if response.state != ResponseState.DRAFT:
        return go(request, reverse("surveys:interview_done", args=[response.pk]))
    survey = response.survey
    questions = questions_of(survey)
    saved = dict(response.answers.values_list("question__name", "value"))
    values: Any = raw_answers(request.POST, questions) if request.method == "POST" else saved
    language = survey.languages[0] if survey.languages else "zh-Hans"
    context = {
        "survey": survey,
        "response": response,
        "inner": "surveys/fieldwork/interview_answer.html",
        "with_form": True,
        "draft_key": f"sv-interview:{response.pk}",
        **questionnaire_context(survey, questions, values, {}, language),
    }
    if request.method == "GET":
        return render(request, PAGE, context)
    position = submit.position_from(
        request.POST.get("lat"), request.POST.get("lng"), request.POST.get("accuracy")
    )
    try:
        if request.POST.get("action") == "draft":
            submit.save_draft(response, values, actor=request.user, position=position)
            messages.success(request, _("Interview kept; continue it from the survey list."))
            return go(request, reverse("surveys:interview_list"))
        submit.submit(response, values, actor=request.user, position=position)
    except ValidationError as exc:
        errors = {k: v[0] for k, v in exc.message_dict.items()}
        context.update(
            questionnaire_context(survey, questions, values, errors, language, posted=True)
        )
        return errors_reply(request, errors, PAGE, context)
    except submit.AlreadySubmittedError:
        pass
    return go(request, reverse("surveys:interview_done", args=[response.pk]))


@login_required
@require_GET
def interview_done(request: HttpRequest, rid: int) -> HttpResponse:
    """After an interview: what became of it, and the next one."""
    _need_interviewer(request)
    response = _own(request, rid)
    if response.state == ResponseState.DRAFT:
        return redirect("surveys:interview_answer", rid=response.pk)
    kind = (
        "complete"
        if response.state == ResponseState.COMPLETE
        else (response.screen_reason or "already")
    )
    return render(
        request,
        PAGE,
        {
            "survey": response.survey,
            "inner": "surveys/answer/thanks.html",
            "kind": kind,
            "response": response,
            "next_url": reverse("surveys:interview_start", args=[response.survey_id]),
            "next_label": _("Next interview"),
        },
    )


@login_required
@require_GET
def my_responses(request: HttpRequest) -> HttpResponse:
    """The responses the user collected (nobody else's), newest first."""
    _need_interviewer(request)
    rows = (
        Response.objects.filter(interviewer_id=request.user.pk)
        .select_related("survey", "region", "street")
        .order_by("-started_at", "-id")
    )
    state = request.GET.get("state", "")
    if state in ResponseState.values:
        rows = rows.filter(state=state)
    page = Paginator(rows, 30).get_page(request.GET.get("page"))
    totals = Response.objects.filter(interviewer_id=request.user.pk).aggregate(
        complete=Count("pk", filter=Q(state=ResponseState.COMPLETE)),
        today=Count(
            "pk",
            filter=Q(state=ResponseState.COMPLETE, submitted_at__date=timezone.localdate()),
        ),
    )
    return render(
        request,
        "surveys/fieldwork/my_responses.html",
        {"page": page, "state": state, "states": ResponseState.choices, "totals": totals},
    )
