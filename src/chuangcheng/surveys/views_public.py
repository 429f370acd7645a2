"""Self-answering through the public link ``/s/<token>/`` (no login: the link is the key).

The browser holds a random device token (an HttpOnly cookie for two years); its keyed hash is
the one-response key. Starting a response is limited per network address (keyed hash) and
hour. Unknown tokens answer 404; a survey not taking answers gets a page saying so.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.surveys.domain import submit
from chuangcheng.surveys.domain.answers import questions_of
from chuangcheng.surveys.domain.screening import DEVICE_PURPOSE, IP_PURPOSE, clean_screening
from chuangcheng.surveys.enums import Mode, ResponseState
from chuangcheng.surveys.models import Response, Survey
from chuangcheng.surveys.views_answer import (
    DJANGO_LANGUAGE,
    browser_texts,
    errors_reply,
    go,
    language_links,
    pick_language,
    questionnaire_context,
    raw_answers,
    raw_screening,
    screening_context,
)

COOKIE = "sv_device"
COOKIE_AGE = 2 * 365 * 24 * 3600
PAGE = "surveys/answer/page.html"
THANKS = ("complete", "ineligible", "quota_full", "already", "rate", "closed")


def _survey(token: str) -> Survey:
    found = Survey.objects.select_related("region").filter(public_token=token).first()
    if found is None:
        raise Http404
    return found


def _taking_answers(survey: Survey) -> bool:
    return survey.self_answer and submit.collecting(survey)


def _device(request: HttpRequest) -> tuple[str, bool]:
    """The browser's device token, and whether it is new (to be set as a cookie)."""
    token = request.COOKIES.get(COOKIE, "")
    if 20 <= len(token) <= 64:
        return token, False
    return secrets.token_urlsafe(24), True


def _with_cookie(request: HttpRequest, response: HttpResponse, token: str) -> HttpResponse:
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_AGE,
        httponly=True,
        secure=request.is_secure(),
        samesite="Lax",
        path="/s/",
    )
    return response


def _mine(survey: Survey, token: str) -> Response | None:
    return (
        Response.objects.filter(survey=survey, device_hash=keyed_hash(token, DEVICE_PURPOSE))
        .exclude(state=ResponseState.VOID)
        .first()
    )


def _thanks_url(survey: Survey, kind: str, language: str) -> str:
    return reverse("surveys_public:thanks", args=[survey.public_token, kind]) + f"?lang={language}"


def _page(
    request: HttpRequest, survey: Survey, language: str, inner: str, **extra: Any
) -> dict[str, Any]:
    return {
        "survey": survey,
        "inner": inner,
        "language": language,
        "languages": language_links(request, survey, language),
        "today": timezone.localdate(),
        **extra,
    }


def _start_context(
    request: HttpRequest,
    survey: Survey,
    language: str,
    values: dict[str, str],
    errors: dict[str, str],
) -> dict[str, Any]:
    return _page(
        request,
        survey,
        language,
        "surveys/answer/public_start.html",
        with_form=True,
        action=request.path,
        draft_key=f"sv-screen:{survey.public_token}",
        texts=browser_texts(),
        **screening_context(survey, values, errors),
    )


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The privacy notice and the screening questions; then the questionnaire or thanks."""
    survey = _survey(token)
    language = pick_language(request, survey)
    with translation.override(DJANGO_LANGUAGE.get(language, "zh-hans")):
        return _start(request, survey, language)


def _start(request: HttpRequest, survey: Survey, language: str) -> HttpResponse:
    if not _taking_answers(survey):
        return go(request, _thanks_url(survey, "closed", language))
    device, new = _device(request)
    if not new:
        mine = _mine(survey, device)
        if mine is not None and mine.state == ResponseState.DRAFT:
            return go(request, reverse("surveys_public:answer", args=[survey.public_token]))
        if mine is not None:
            return go(request, _thanks_url(survey, "already", language))
    if request.method == "GET":
        page = render(request, PAGE, _start_context(request, survey, language, {}, {}))
        return _with_cookie(request, page, device) if new else page
    return _screen(request, survey, language, device)


def _screen(request: HttpRequest, survey: Survey, language: str, device: str) -> HttpResponse:
    """The posted screening answers: errors, or the response started."""
    values = raw_screening(request.POST)
    screening, errors = clean_screening(survey, values)
    if request.POST.get("notice") != survey.notice_version:
        errors["notice"] = _("Tick the box to say you have read the privacy notice.")
    if errors or screening is None:
        context = _start_context(request, survey, language, values, errors)
        context["values"]["notice"] = request.POST.get("notice", "")
        return _with_cookie(request, errors_reply(request, errors, PAGE, context), device)
    ip = str(request.META.get("REMOTE_ADDR") or "")
    kind = ""
    try:
        response = submit.start(
            survey,
            actor=request.user,
            screening=screening,
            mode=Mode.SELF,
            device_hash=keyed_hash(device, DEVICE_PURPOSE),
            ip_hash=keyed_hash(ip, IP_PURPOSE) if ip else "",
            language=language,
        )
    except submit.AlreadyAnsweredError:
        kind = "already"
    except submit.RateLimitedError:
        return _with_cookie(request, _rate_limited(request, survey, language), device)
    except submit.NotCollectingError:
        kind = "closed"
    else:
        kind = "" if response.state == ResponseState.DRAFT else response.screen_reason
    if kind:
        url = _thanks_url(survey, kind, language)
    else:
        url = reverse("surveys_public:answer", args=[survey.public_token]) + f"?lang={language}"
    return _with_cookie(request, go(request, url), device)


def _rate_limited(request: HttpRequest, survey: Survey, language: str) -> HttpResponse:
    url = _thanks_url(survey, "rate", language)
    if request.headers.get("X-Requested-With") == "fetch":
        return go(request, url, status=429, keep=True)
    context = _page(request, survey, language, "surveys/answer/thanks.html", kind="rate")
    return render(request, PAGE, context, status=429)


@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, token: str) -> HttpResponse:
    """The questionnaire of this browser's response in progress."""
    survey = _survey(token)
    language = pick_language(request, survey)
    with translation.override(DJANGO_LANGUAGE.get(language, "zh-hans")):
        return _answer(request, survey, language)


def _answer(request: HttpRequest, survey: Survey, language: str) -> HttpResponse:
    device = request.COOKIES.get(COOKIE, "")
    mine = _mine(survey, device) if device else None
    if mine is None:
        return go(request, reverse("surveys_public:start", args=[survey.public_token]))
    if mine.state != ResponseState.DRAFT:
        kind = "complete" if mine.state == ResponseState.COMPLETE else "already"
        return go(request, _thanks_url(survey, kind, language))
    questions = questions_of(survey)
    values = raw_answers(request.POST, questions) if request.method == "POST" else {}
    context = _page(
        request,
        survey,
        language,
        "surveys/answer/public_answer.html",
        with_form=True,
        action=request.path,
        draft_key=f"sv-answers:{survey.public_token}:{mine.pk}",
        **questionnaire_context(survey, questions, values, {}, language),
    )
    if request.method == "GET":
        return render(request, PAGE, context)
    try:
        done = submit.submit(mine, values, actor=request.user)
    except ValidationError as exc:
        errors = {k: v[0] for k, v in exc.message_dict.items()}
        context.update(
            questionnaire_context(survey, questions, values, errors, language, posted=True)
        )
        return errors_reply(request, errors, PAGE, context)
    except submit.AlreadySubmittedError as exc:
        done = exc.response
    kind = "complete" if done.state == ResponseState.COMPLETE else str(done.screen_reason)
    return go(request, _thanks_url(survey, kind or "already", language))


def thanks(request: HttpRequest, token: str, kind: str) -> HttpResponse:
    survey = _survey(token)
    if kind not in THANKS:
        raise Http404
    language = pick_language(request, survey)
    with translation.override(DJANGO_LANGUAGE.get(language, "zh-hans")):
        context = _page(request, survey, language, "surveys/answer/thanks.html", kind=kind)
        return render(request, PAGE, context, status=429 if kind == "rate" else 200)
