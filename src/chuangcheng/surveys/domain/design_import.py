"""Importing an XLSForm: as a new draft survey, or appended to the questions of a draft survey.

All or nothing: the file is read and every question checked (including the framework clauses
named in the ``clause`` column) before anything is written; any problem raises
:class:`~chuangcheng.surveys.domain.xlsform.XLSFormError` listing them by sheet, row and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import IO, Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from chuangcheng.core.audit import record, snapshot
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Framework, Node
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.design import AUDITED, CODE_RE, require_draft, require_manage
from chuangcheng.surveys.domain.design_questions import survey_clauses
from chuangcheng.surveys.domain.xlsform import FormSpec, Issue, XLSFormError, read_xlsform
from chuangcheng.surveys.models import Choice, Question, Survey


@dataclass
class ImportResult:
    survey: Survey
    created: bool
    questions: int
    choices: int
    warnings: list[str] = field(default_factory=list)


def code_from(text: str) -> str:
    """A survey code made of a form_id or a file name: ``"My Form v2.xlsx"`` → ``my-form-v2``."""
    stem = re.sub(r"\.xlsx?$", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:40]


def _clauses(spec: FormSpec, framework_id: int | None, nodes: list[Node]) -> dict[str, Node]:
    by_number = {n.number.rstrip("."): n for n in nodes}
    issues = []
    ignored = []
    for q in spec.questions:
        if not q.clause:
            continue
        if framework_id is None:
            q.clause = ""
            ignored.append(str(q.row))
            continue
        if q.clause not in by_number:
            message = _("%(n)s is not a clause of the framework assessed by survey.") % {
                "n": q.clause
            }
            issues.append(Issue("survey", q.row, "clause", message))
    if issues:
        raise XLSFormError(issues)
    if ignored:
        message = _("The survey has no framework: the clause column was ignored (rows %(r)s)")
        spec.warnings.append(message % {"r": ", ".join(ignored)})
    return by_number


def _write(survey: Survey, spec: FormSpec, clauses: dict[str, Node]) -> tuple[int, int]:
    start = survey.questions.aggregate(m=Max("order"))["m"] or 0
    made = Question.objects.bulk_create(
        Question(
            survey=survey,
            order=start + i,
            name=q.name,
            kind=q.kind,
            labels=q.labels,
            hints=q.hints,
            group=q.group,
            required=q.required,
            relevant=q.relevant,
            scale_min=q.scale_min,
            scale_max=q.scale_max,
            measure=q.measure,
            clause=clauses.get(q.clause) if q.clause else None,
        )
        for i, q in enumerate(spec.questions, start=1)
    )
    choices = Choice.objects.bulk_create(
        Choice(
            question=question,
            order=k,
            value=c.value,
            labels=c.labels,
            score=c.score,
            excluded=c.excluded,
        )
        for question, q in zip(made, spec.questions, strict=True)
        for k, c in enumerate(q.choices, start=1)
    )
    return len(made), len(choices)


@transaction.atomic
def import_xlsform(
    *,
    actor: Any,
    stream: IO[bytes],
    filename: str = "",
    survey: Survey | None = None,
    code: str = "",
    title: str = "",
    region: Region | None = None,
    framework: Framework | None = None,
) -> ImportResult:
    """Read ``stream`` and append its questions to the draft ``survey``, or, without one, create
    a draft survey over ``region`` (code: ``code``, else the form_id, else the file name)."""
    if survey is not None:
        require_manage(actor, survey)
        require_draft(survey)
        existing = set(survey.questions.values_list("name", flat=True))
        spec = read_xlsform(stream, existing=existing)
        clauses = _clauses(spec, survey.framework_id, survey_clauses(survey))
        count = _write(survey, spec, clauses)
        note = _("Imported %(n)d questions from %(f)s") % {"n": count[0], "f": filename}
        record(actor, AuditAction.IMPORT, survey, note=note)
        return ImportResult(survey, False, *count, warnings=spec.warnings)
    if region is None:
        raise XLSFormError([Issue("", 0, "region", _("Choose the region the survey covers."))])
    require_manage(actor, region)
    spec = read_xlsform(stream)
    code = code or code_from(spec.form_id) or code_from(filename)
    if not CODE_RE.fullmatch(code):
        message = _("Give a code of letters, digits, - and _ (at most 40).")
        raise XLSFormError([Issue("settings", 0, "form_id", message)])
    if Survey.objects.filter(code=code).exists():
        message = _("A survey with the code %(c)s exists: give another code.") % {"c": code}
        raise XLSFormError([Issue("settings", 0, "form_id", message)])
    new = Survey(
        code=code,
        title=(title or spec.title or spec.form_id or code)[:200],
        region=region,
        framework=framework,
        languages=spec.languages or ["zh-Hans"],
        form_id=spec.form_id[:100],
        form_version=spec.version[:100],
        created_by=actor,
    )
    clauses = _clauses(spec, framework.pk if framework else None, survey_clauses(new))
    new.save()
    count = _write(new, spec, clauses)
    note = _("Imported %(n)d questions from %(f)s") % {"n": count[0], "f": filename}
    record(actor, AuditAction.IMPORT, new, after=snapshot(new, AUDITED), note=note)
    return ImportResult(new, True, *count, warnings=spec.warnings)
