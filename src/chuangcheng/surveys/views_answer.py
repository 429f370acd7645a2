"""The answering form, shared by the public link and the interviewers: the screening step and
the questionnaire, in the survey's languages, with the answers a failed submit brought back.

The browser (``answer.js``) submits with ``fetch`` and gets JSON (``redirect``, or ``errors``
by question name); without script the form posts and the page comes back with the messages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _

from chuangcheng.surveys.domain.answers import RawAnswers, skip_trees
from chuangcheng.surveys.domain.screening import SCREENING_FIELDS, place_groups
from chuangcheng.surveys.enums import CHOICE_KINDS, QuestionKind, Sex
from chuangcheng.surveys.models import Question, Survey

DJANGO_LANGUAGE = {"zh-Hans": "zh-hans", "en": "en"}
LANGUAGE_NAMES = {"zh-Hans": "中文", "en": "English"}


def text_in(labels: Mapping[str, str], language: str, fallback: str = "") -> str:
    """The text in ``language``, else in Chinese, else in any language the form has."""
    if not labels:
        return fallback
    return str(labels.get(language) or labels.get("zh-Hans") or next(iter(labels.values())))


def pick_language(request: HttpRequest, survey: Survey) -> str:
    """?lang= when the survey has it; else the site language when the survey has it; else the
    survey's first language."""
    languages = list(survey.languages or ["zh-Hans"])
    asked = request.GET.get("lang") or request.POST.get("lang") or ""
    if asked in languages:
        return asked
    current = "en" if (translation.get_language() or "").startswith("en") else "zh-Hans"
    return current if current in languages else languages[0]


def language_links(request: HttpRequest, survey: Survey, language: str) -> list[dict[str, Any]]:
    if len(survey.languages or []) < 2:
        return []
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": f"{request.path}?lang={code}",
            "current": code == language,
        }
        for code in survey.languages
    ]


def browser_texts() -> dict[str, str]:
    """Messages answer.js shows ("%s" filled in by the script)."""
    return {
        "required": _("This question needs an answer."),
        "fix": _("Some answers need attention: see the messages in red."),
        "sending": _("Sending…"),
        "offline": _(
            "No connection: your answers are kept on this phone and will be sent as soon as "
            "the connection is back. Keep this page open."
        ),
        "restored": _("Your unsent answers were restored."),
        "locating": _("Finding the position…"),
        "located": _("Position taken (about %s m)"),
        "noGeo": _("No position: the response will be saved without one."),
        "failed": _(
            "The answers could not be sent (error %s). They are kept on this device: reload "
            "the page and try again."
        ),
    }


def wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def go(request: HttpRequest, url: str, *, status: int = 200, keep: bool = False) -> HttpResponse:
    """Send the browser on to ``url`` (JSON for answer.js, a redirect otherwise)."""
    if wants_json(request):
        return JsonResponse({"redirect": url, "keep": keep}, status=status)
    return redirect(url)


def errors_reply(
    request: HttpRequest, errors: Mapping[str, str], page: str, context: dict[str, Any]
) -> HttpResponse:
    if wants_json(request):
        return JsonResponse({"errors": dict(errors)}, status=400)
    return render(request, page, context, status=400)


def raw_answers(post: Any, questions: Sequence[Question]) -> RawAnswers:
    """The posted answers by question name (a list for a multiple choice)."""
    found: dict[str, str | list[str]] = {}
    for q in questions:
        if q.kind == QuestionKind.MULTIPLE:
            found[q.name] = post.getlist(q.name)
        elif q.name in post:
            found[q.name] = str(post.get(q.name, ""))
    return found


def raw_screening(post: Any) -> dict[str, str]:
    return {name: str(post.get(name, "")) for name in SCREENING_FIELDS}


def screening_context(
    survey: Survey,
    values: Mapping[str, str],
    errors: Mapping[str, str],
    *,
    default_region: str = "",
) -> dict[str, Any]:
    return {
        "groups": place_groups(survey),
        "sexes": Sex.choices,
        "values": {"region": default_region, **{k: v for k, v in values.items() if v}},
        "errors": errors,
        "occupations": survey.occupations,
        "ask_phone": survey.ask_phone,
    }


def _choices(q: Question, language: str, picked: set[str]) -> list[dict[str, Any]]:
    return [
        {
            "value": c.value,
            "label": text_in(c.labels, language, c.value),
            "checked": c.value in picked,
        }
        for c in q.choices.all()
    ]


def question_items(
    questions: Sequence[Question],
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    language: str,
) -> list[dict[str, Any]]:
    """What the template draws for each question, with a heading where a section begins."""
    items = []
    last_group = ""
    for number, q in enumerate(questions, start=1):
        raw = values.get(q.name, "")
        given = " ".join(raw) if isinstance(raw, list) else str(raw or "")
        group = text_in(q.group, language) if q.group else ""
        items.append(
            {
                "q": q,
                "number": number,
                "label": text_in(q.labels, language, q.name),
                "hint": text_in(q.hints, language) if q.hints else "",
                "heading": group if group and group != last_group else "",
                "group": group,
                "choices": _choices(q, language, set(given.split()))
                if q.kind in CHOICE_KINDS
                else [],
                "value": given,
                "error": errors.get(q.name, ""),
                "step": "1" if q.kind == QuestionKind.INTEGER else "any",
            }
        )
        last_group = group
    return items


def questionnaire_context(
    survey: Survey,
    questions: Sequence[Question],
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    language: str,
    *,
    posted: bool = False,
) -> dict[str, Any]:
    """``posted``: the values come from a refused submit, and win over the browser's draft."""
    return {
        "items": question_items(questions, values, errors, language),
        "skip": skip_trees(questions),
        "texts": browser_texts(),
        "has_values": posted,
    }
