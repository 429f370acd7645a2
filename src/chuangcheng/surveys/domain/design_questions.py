"""The questions of a draft survey: add, edit, delete, reorder, and the preset answer scales of
the four measures (满意 1 / 基本满意 0.9 / 不满意 0 / 说不清 not counted …).

Skip logic (``relevant``) may refer to earlier questions only, so a change that would leave an
expression pointing at a later or missing question is refused, naming the questions involved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chuangcheng.core.audit import record, snapshot
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.enums import Method, NodeLevel
from chuangcheng.frameworks.models import Node
from chuangcheng.surveys.domain.design import require_draft, require_manage
from chuangcheng.surveys.domain.expressions import ExpressionError, check, names, parse
from chuangcheng.surveys.domain.xlsform_choices import rating_choices
from chuangcheng.surveys.enums import CHOICE_KINDS, Measure, QuestionKind
from chuangcheng.surveys.models import Choice, Question, Survey

NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,63}")
MAX_POINTS = 11
AUDITED = (
    "order",
    "name",
    "kind",
    "labels",
    "hints",
    "group",
    "required",
    "relevant",
    "scale_min",
    "scale_max",
    "measure",
    "clause_id",
)


@dataclass
class ChoiceData:
    value: str
    labels: dict[str, str]
    score: Decimal = Decimal(0)
    excluded: bool = False


@dataclass
class QuestionData:
    name: str
    kind: str
    labels: dict[str, str]
    hints: dict[str, str] = field(default_factory=dict)
    group: dict[str, str] = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    scale_min: int | None = None
    scale_max: int | None = None
    measure: str = ""
    clause: Node | None = None
    choices: list[ChoiceData] = field(default_factory=list)


def _c(value: str, zh: str, en: str, score: str) -> ChoiceData:
    return ChoiceData(
        value, {"zh-Hans": zh, "en": en}, Decimal(0 if score == "x" else score), score == "x"
    )


# One-click answer scales per measure; "x" marks an answer left out of the rate.
PRESETS: dict[str, list[ChoiceData]] = {
    Measure.SATISFACTION: [
        _c("s", "满意", "Satisfied", "1"),
        _c("bs", "基本满意", "Fairly satisfied", "0.9"),
        _c("ns", "不满意", "Dissatisfied", "0"),
        _c("dk", "说不清", "Can't say", "x"),
    ],
    Measure.AWARENESS: [_c("yes", "知道", "Yes, I know", "1"), _c("no", "不知道", "No", "0")],
    Measure.SUPPORT: [
        _c("yes", "支持", "I support it", "1"),
        _c("no", "不支持", "I do not", "0"),
        _c("dk", "说不清", "Can't say", "x"),
    ],
    Measure.PARTICIPATION: [
        _c("yes", "参加过", "Yes, I took part", "1"),
        _c("no", "没参加过", "No", "0"),
    ],
}


def survey_clauses(survey: Survey) -> list[Node]:
    """The standards of the survey's framework assessed by survey (问卷调查), in tree order."""
    if survey.framework_id is None:
        return []
    rows = Node.objects.filter(framework_id=survey.framework_id, level=NodeLevel.STANDARD)
    return [n for n in rows.order_by("seq") if Method.SURVEY in (n.methods or [])]


def earlier_names(survey: Survey, question: Question | None) -> list[str]:
    rows = survey.questions.all()
    if question is not None:
        rows = rows.filter(order__lt=question.order).exclude(pk=question.pk)
    return list(rows.values_list("name", flat=True))


def _check_choices(data: QuestionData, errors: dict[str, str]) -> None:
    if data.kind == QuestionKind.RATING:
        low, high = data.scale_min, data.scale_max
        if low is None or high is None or not low < high or high - low + 1 > MAX_POINTS:
            errors["scale_max"] = _(
                "A scale runs from a lower to a higher whole number, at most %(n)d points."
            ) % {"n": MAX_POINTS}
        return
    if data.kind not in CHOICE_KINDS:
        if data.choices:
            errors["choices"] = _("Only choice questions have choices.")
        return
    values = [c.value for c in data.choices]
    if len(values) < 2:
        errors["choices"] = _("Give at least two choices.")
    elif len(set(values)) != len(values):
        errors["choices"] = _("Each choice needs its own value.")
    for c in data.choices:
        if (
            not c.value
            or len(c.value) > 64
            or (" " in c.value and data.kind == QuestionKind.MULTIPLE)
        ):
            errors["choices"] = _(
                "Values are short codes without spaces (at most 64 characters), e.g. s, bs, ns."
            )
        elif not any(c.labels.values()):
            errors["choices"] = _("Every choice needs a label (%(v)s).") % {"v": c.value}
        elif not Decimal(0) <= c.score <= 1:
            errors["choices"] = _("Scores run from 0 to 1 (%(v)s).") % {"v": c.value}


def _validate(survey: Survey, data: QuestionData, question: Question | None) -> None:
    errors: dict[str, str] = {}
    if not NAME_RE.fullmatch(data.name or ""):
        errors["name"] = _("Letters, digits, _ and - starting with a letter (at most 64), e.g. q1.")
    elif (
        survey.questions.filter(name=data.name).exclude(pk=question.pk if question else 0).exists()
    ):
        errors["name"] = _("Another question of this survey has this name.")
    if data.kind not in QuestionKind.values:
        errors["kind"] = _("Choose a kind.")
    if not any(v.strip() for v in data.labels.values()):
        errors["labels"] = _("Give the question's text.")
    _check_choices(data, errors)
    if data.measure and data.kind not in CHOICE_KINDS:
        errors["measure"] = _("Only a choice or rating question can count in a rate.")
    if data.clause is not None and data.clause.pk not in {n.pk for n in survey_clauses(survey)}:
        errors["clause"] = _("Choose a clause of the survey's framework assessed by survey.")
    if data.relevant.strip():
        try:
            check(data.relevant, earlier_names(survey, question))
        except ExpressionError as exc:
            errors["relevant"] = str(exc)
    if question is not None and data.name != question.name:
        users = _referring(survey, question.name)
        if users:
            errors["name"] = _(
                "Questions %(q)s use ${%(n)s} in their skip logic; change them first."
            ) % {"q": ", ".join(users), "n": question.name}
    if errors:
        raise ValidationError(errors)


def _referring(survey: Survey, name: str) -> list[str]:
    """Names of the questions whose skip logic refers to ``name``."""
    out = []
    for q_name, relevant in survey.questions.exclude(relevant="").values_list("name", "relevant"):
        try:
            if name in names(parse(relevant)):
                out.append(q_name)
        except ExpressionError:
            continue
    return out


def _choices_for(data: QuestionData) -> list[ChoiceData]:
    if data.kind == QuestionKind.RATING:
        assert data.scale_min is not None and data.scale_max is not None
        return [
            ChoiceData(c.value, c.labels, c.score)
            for c in rating_choices(data.scale_min, data.scale_max)
        ]
    return data.choices if data.kind in CHOICE_KINDS else []


def _state(question: Question) -> dict[str, Any]:
    state = snapshot(question, AUDITED)
    state["choices"] = [
        f"{c.value}={c.score}{'*' if c.excluded else ''}" for c in question.choices.all()
    ]
    return state


@transaction.atomic
def save_question(
    *, actor: Any, survey: Survey, data: QuestionData, question: Question | None = None
) -> Question:
    """Add ``data`` as the last question, or change ``question``; its choices are replaced."""
    require_manage(actor, survey)
    require_draft(survey)
    _validate(survey, data, question)
    before = _state(question) if question is not None else None
    if question is None:
        last = survey.questions.aggregate(m=Max("order"))["m"] or 0
        question = Question(survey=survey, order=last + 1)
    for name in (
        "name",
        "kind",
        "labels",
        "hints",
        "group",
        "required",
        "relevant",
        "measure",
        "clause",
    ):
        setattr(question, name, getattr(data, name))
    question.relevant = data.relevant.strip()
    rating = data.kind == QuestionKind.RATING
    question.scale_min = data.scale_min if rating else None
    question.scale_max = data.scale_max if rating else None
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(
        Choice(
            question=question,
            order=i,
            value=c.value,
            labels={k: v for k, v in c.labels.items() if v},
            score=c.score,
            excluded=c.excluded,
        )
        for i, c in enumerate(_choices_for(data), start=1)
    )
    action = AuditAction.CREATE if before is None else AuditAction.UPDATE
    record(actor, action, question, before=before, after=_state(question))
    return question


@transaction.atomic
def delete_question(*, actor: Any, question: Question) -> None:
    survey = question.survey
    require_manage(actor, survey)
    require_draft(survey)
    users = _referring(survey, question.name)
    if users:
        raise ValidationError(
            _("Questions %(q)s use ${%(n)s} in their skip logic; change them first.")
            % {"q": ", ".join(users), "n": question.name}
        )
    record(actor, AuditAction.DELETE, question, before=_state(question))
    question.delete()


@transaction.atomic
def move_question(*, actor: Any, question: Question, up: bool) -> None:
    """Swap ``question`` with the one before (``up``) or after it; orders become 1…n."""
    survey = question.survey
    require_manage(actor, survey)
    require_draft(survey)
    rows = list(survey.questions.order_by("order", "id"))
    i = next(k for k, q in enumerate(rows) if q.pk == question.pk)
    j = i - 1 if up else i + 1
    if not 0 <= j < len(rows):
        return
    first, second = (rows[j], rows[i]) if up else (rows[i], rows[j])
    if second.relevant and first.name in _names(second.relevant):
        raise ValidationError(
            _("%(a)s asks only after an answer to %(b)s: it cannot come before it.")
            % {"a": second.name, "b": first.name}
        )
    rows[i], rows[j] = rows[j], rows[i]
    for order, q in enumerate(rows, start=1):
        q.order = order
    Question.objects.bulk_update(rows, ["order"])
    record(actor, AuditAction.UPDATE, question, note=_("Moved to position %(n)d") % {"n": j + 1})


def _names(relevant: str) -> set[str]:
    try:
        return names(parse(relevant))
    except ExpressionError:
        return set()
