"""The office's list of a survey's responses, one response, and voiding it.

Rows come from ``Response.objects.visible_to``; the list keeps the same number of queries
however many responses there are. Phone numbers are only ever shown masked.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.accounts.models import User
from chuangcheng.core.crypto import mask_phone
from chuangcheng.points.map_config import map_config
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.answers import questions_of
from chuangcheng.surveys.domain.fieldwork import streets_of
from chuangcheng.surveys.forms_fieldwork import ResponseFilterForm, VoidForm
from chuangcheng.surveys.models import Response, Survey
from chuangcheng.surveys.views_answer import text_in
from chuangcheng.surveys.views_fieldwork import visible_survey

PER_PAGE = 50


def _interviewers(survey: Survey) -> list[tuple[int, str]]:
    ids = (
        Response.objects.filter(survey=survey, interviewer__isnull=False)
        .values("interviewer_id")
        .distinct()
    )
    return list(
        User.objects.filter(pk__in=ids).order_by("display_name").values_list("pk", "display_name")
    )


@login_required
@require_GET
def response_list(request: HttpRequest, pk: int) -> HttpResponse:
    survey = visible_survey(request, pk)
    form = ResponseFilterForm(
        request.GET or None, streets=streets_of(survey), interviewers=_interviewers(survey)
    )
    rows = form.apply(
        Response.objects.visible_to(request.user)
        .filter(survey=survey)
        .select_related("street", "region", "interviewer")
        .order_by("-started_at", "-id")
    )
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/fieldwork/responses.html",
        {"survey": survey, "form": form, "page": page},
    )


def _visible_response(request: HttpRequest, survey: Survey, rid: int) -> Response:
    found = (
        Response.objects.visible_to(request.user)
        .filter(survey=survey, pk=rid)
        .select_related("street", "region", "interviewer", "quota")
        .first()
    )
    if found is None:
        raise Http404
    return found


@login_required
@require_GET
def response_detail(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    survey = visible_survey(request, pk)
    response = _visible_response(request, survey, rid)
    questions = questions_of(survey)
    given = dict(response.answers.values_list("question_id", "value"))
    language = response.language if response.language in survey.languages else "zh-Hans"
    answers = []
    for number, q in enumerate(questions, start=1):
        if q.pk not in given:
            continue
        value = given[q.pk]
        labels = {c.value: text_in(c.labels, language, c.value) for c in q.choices.all()}
        shown = "、".join(labels.get(v, v) for v in value.split()) if labels else value
        answers.append(
            {"number": number, "label": text_in(q.labels, language, q.name), "value": shown}
        )
    config = None
    if response.lat is not None and response.lng is not None:
        config = map_config(request)
        config["point"] = {
            "lat": response.lat,
            "lng": response.lng,
            "name": _("Interview position"),
        }
        street = response.street
        if street is not None and street.boundary:
            # The respondent's street, for context when no base map is configured.
            config["outline"] = {
                "type": "FeatureCollection",
                "features": [{"type": "Feature", "geometry": street.boundary, "properties": {}}],
            }
    return render(
        request,
        "surveys/fieldwork/response_detail.html",
        {
            "survey": survey,
            "response": response,
            "answers": answers,
            "phone": mask_phone(response.phone) if response.phone else "",
            "config": config,
            "may_void": request.user.has_perm("surveys.manage_survey", survey)
            and response.state != "void",
            "void_form": VoidForm(),
        },
    )


@login_required
@require_POST
def response_void(request: HttpRequest, pk: int, rid: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    response = _visible_response(request, survey, rid)
    form = VoidForm(request.POST)
    if form.is_valid():
        try:
            submit.void(response, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Response voided: its scores no longer count."))
    else:
        messages.error(request, _("Say why the response is voided."))
    return redirect("surveys:response", pk=survey.pk, rid=response.pk)
