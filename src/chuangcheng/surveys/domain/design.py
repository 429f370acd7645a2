"""Designing a survey: its settings, its status (draft → open → closed → reopened) and copying it
as a new round. Questions are in :mod:`design_questions`, XLSForm import in :mod:`design_import`.

Every function checks ``surveys.manage_survey`` on the survey's region, runs in one transaction
and writes an audit entry. Problems raise :class:`~django.core.exceptions.ValidationError` keyed
by field name.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.core.audit import record, snapshot
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.enums import STATUS_TRANSITIONS, QuestionKind, SurveyStatus
from chuangcheng.surveys.models import Choice, Margin, Question, QuotaCell, Survey

CODE_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,39}")
# Settings that define the sample: fixed once the survey has been opened.
SAMPLE_FIELDS = (
    "region",
    "framework",
    "languages",
    "min_age",
    "max_age",
    "min_residence_months",
    "age_bands",
    "occupations",
)
AUDITED = (
    "code",
    "title",
    "description",
    "region_id",
    "framework_id",
    "status",
    "languages",
    "starts_on",
    "ends_on",
    "target_size",
    "min_age",
    "max_age",
    "min_residence_months",
    "age_bands",
    "occupations",
    "self_answer",
    "interviewers",
    "ask_phone",
)

# Who is asked and how: copied into a new round, shown by the API.
FRAME_FIELDS = (
    "min_age",
    "max_age",
    "min_residence_months",
    "age_bands",
    "occupations",
    "self_answer",
    "interviewers",
    "ask_phone",
)

# A question's own settings: copied into a new round, shown by the API.
QUESTION_FIELDS = (
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
)


@dataclass
class SurveyData:
    code: str
    title: str
    region: Region
    description: str = ""
    framework: Framework | None = None
    languages: list[str] = field(default_factory=lambda: ["zh-Hans"])
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    target_size: int | None = None
    min_age: int = 18
    max_age: int = 65
    min_residence_months: int = 6
    age_bands: list[list[int]] = field(
        default_factory=lambda: [[18, 29], [30, 44], [45, 59], [60, 65]]
    )
    occupations: list[str] = field(default_factory=list)
    self_answer: bool = True
    interviewers: bool = True
    ask_phone: bool = False


def require_manage(actor: Any, obj: Any) -> None:
    """The actor designs surveys over ``obj``'s region; None is the system (the command line)."""
    if actor is not None and not actor.has_perm("surveys.manage_survey", obj):
        raise PermissionDenied


def require_draft(survey: Survey) -> None:
    if survey.status != SurveyStatus.DRAFT:
        raise ValidationError(
            _("Questions can change only while the survey is a draft (this one is %(s)s).")
            % {"s": survey.get_status_display()}
        )


def parse_age_bands(text: str) -> list[list[int]]:
    """``"18-29, 30-44"`` → ``[[18, 29], [30, 44]]``; ValueError on anything else."""
    bands = []
    for part in re.split(r"[,，;；\s]+", text.strip()):
        if not part:
            continue
        found = re.fullmatch(r"(\d{1,3})\s*[-–~～]\s*(\d{1,3})", part)
        if not found:
            raise ValueError(part)
        bands.append([int(found[1]), int(found[2])])
    return bands


def band_errors(bands: list[list[int]], low: int, high: int) -> str:
    """Why ``bands`` do not cut ``low``…``high`` into consecutive inclusive bands ("" if fine)."""
    if not bands:
        return _("Give at least one age band.")
    expected = low
    for start, end in bands:
        if start != expected or end < start:
            return _(
                "Bands must follow each other without gaps from %(low)d to %(high)d "
                "(e.g. 18-29, 30-44, 45-59, 60-65)."
            ) % {"low": low, "high": high}
        expected = end + 1
    if expected != high + 1:
        return _("The last band must end at the oldest eligible age, %(high)d.") % {"high": high}
    return ""


def _validate(data: SurveyData, survey: Survey | None) -> None:
    errors: dict[str, str] = {}
    if not CODE_RE.fullmatch(data.code or ""):
        errors["code"] = _("Letters, digits, - and _ (at most 40), e.g. myd2026.")
    elif Survey.objects.filter(code=data.code).exclude(pk=survey.pk if survey else 0).exists():
        errors["code"] = _("Another survey has this code.")
    if not data.title.strip():
        errors["title"] = _("Give a title.")
    if not data.languages:
        errors["languages"] = _("Choose at least one language.")
    if data.starts_on and data.ends_on and data.ends_on < data.starts_on:
        errors["ends_on"] = _("The collection ends before it starts.")
    if not 0 < data.min_age <= data.max_age <= 120:
        errors["max_age"] = _("The oldest eligible age must be at least the youngest.")
    elif problem := band_errors(data.age_bands, data.min_age, data.max_age):
        errors["age_bands"] = problem
    if len(set(data.occupations)) != len(data.occupations) or any(
        not o.strip() or len(o) > 40 for o in data.occupations
    ):
        errors["occupations"] = _("One occupation per line, each once, at most 40 characters.")
    if not (data.self_answer or data.interviewers):
        errors["self_answer"] = _("Allow self-answering, interviewers, or both.")
    if errors:
        raise ValidationError(errors)


def _apply(survey: Survey, data: SurveyData, *, sample: bool) -> None:
    for name in (
        "code",
        "title",
        "description",
        "starts_on",
        "ends_on",
        "target_size",
        "self_answer",
        "interviewers",
        "ask_phone",
    ):
        setattr(survey, name, getattr(data, name))
    if sample:
        for name in SAMPLE_FIELDS:
            setattr(survey, name, getattr(data, name))


@transaction.atomic
def create_survey(*, actor: Any, data: SurveyData) -> Survey:
    require_manage(actor, data.region)
    _validate(data, None)
    survey = Survey(created_by=actor)
    _apply(survey, data, sample=True)
    survey.save()
    record(actor, AuditAction.CREATE, survey, after=snapshot(survey, AUDITED))
    return survey


@transaction.atomic
def update_survey(*, actor: Any, survey: Survey, data: SurveyData) -> Survey:
    """Change a survey's settings; those defining the sample (region, ages, bands, occupations,
    languages, framework) only while it is a draft (others are kept as they were)."""
    require_manage(actor, survey)
    draft = survey.status == SurveyStatus.DRAFT
    if draft and data.region.pk != survey.region_id:
        require_manage(actor, data.region)
    if not draft:
        for name in SAMPLE_FIELDS:
            setattr(data, name, getattr(survey, name))
    _validate(data, survey)
    before = snapshot(survey, AUDITED)
    _apply(survey, data, sample=draft)
    survey.save()
    record(actor, AuditAction.UPDATE, survey, before=before, after=snapshot(survey, AUDITED))
    return survey


@transaction.atomic
def change_status(*, actor: Any, survey: Survey, status: str) -> Survey:
    """Open, close or reopen; opening needs at least one question to answer."""
    require_manage(actor, survey)
    if status not in STATUS_TRANSITIONS.get(survey.status, ()):
        raise ValidationError(
            _("A survey that is %(now)s cannot become %(to)s.")
            % {"now": survey.get_status_display(), "to": SurveyStatus(status).label}
        )
    if (
        status == SurveyStatus.OPEN
        and not survey.questions.exclude(kind=QuestionKind.NOTE).exists()
    ):
        raise ValidationError(_("Add at least one question before opening the survey."))
    before = snapshot(survey, ["status"])
    survey.status = status
    survey.save(update_fields=["status", "updated_at"])
    record(actor, AuditAction.UPDATE, survey, before=before, after=snapshot(survey, ["status"]))
    return survey


@transaction.atomic
def delete_survey(*, actor: Any, survey: Survey) -> None:
    """A draft that nobody has answered may be deleted."""
    require_manage(actor, survey)
    require_draft(survey)
    if survey.responses.exists():
        raise ValidationError(_("This survey has responses and cannot be deleted."))
    record(actor, AuditAction.DELETE, survey, before=snapshot(survey, AUDITED))
    survey.delete()


@transaction.atomic
def copy_survey(*, actor: Any, survey: Survey, code: str, title: str) -> Survey:
    """A new round: a draft with the settings, questions, choices, quotas and margins of
    ``survey`` (never its responses), a new code and a new public link."""
    require_manage(actor, survey)
    data = SurveyData(
        code=code,
        title=title,
        region=survey.region,
        **{
            name: getattr(survey, name)
            for name in (
                "description",
                "framework",
                "languages",
                "starts_on",
                "ends_on",
                "target_size",
                *FRAME_FIELDS,
            )
        },
    )
    data.starts_on = data.ends_on = None
    _validate(data, None)
    copy = Survey(created_by=actor, copied_from=survey, notice_version=survey.notice_version)
    _apply(copy, data, sample=True)
    copy.save()
    _copy_contents(survey, copy)
    record(
        actor,
        AuditAction.CREATE,
        copy,
        after=snapshot(copy, AUDITED),
        note=_("Copied from %(code)s") % {"code": survey.code},
    )
    return copy


def _copy_contents(source: Survey, target: Survey) -> None:
    questions = list(source.questions.prefetch_related("choices"))
    made = Question.objects.bulk_create(
        [
            Question(
                survey=target,
                **{f: getattr(q, f) for f in (*QUESTION_FIELDS, "clause_id")},
            )
            for q in questions
        ]
    )
    Choice.objects.bulk_create(
        Choice(
            question=new,
            order=c.order,
            value=c.value,
            labels=c.labels,
            score=c.score,
            excluded=c.excluded,
        )
        for old, new in zip(questions, made, strict=True)
        for c in old.choices.all()
    )
    QuotaCell.objects.bulk_create(
        QuotaCell(
            survey=target,
            street_id=q.street_id,
            age_band=q.age_band,
            sex=q.sex,
            occupation=q.occupation,
            target=q.target,
        )
        for q in source.quotas.all()
    )
    Margin.objects.bulk_create(
        Margin(survey=target, dimension=m.dimension, value=m.value, population=m.population)
        for m in source.margins.all()
    )
