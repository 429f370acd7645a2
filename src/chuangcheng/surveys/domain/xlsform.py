"""XLSForm (the ODK / KoboToolbox Excel format) read into questions, without writing anything.

:func:`read_xlsform` reads the ``survey``, ``choices`` and optional ``settings`` sheets and
returns a :class:`FormSpec`, or raises :class:`XLSFormError` listing every problem with its
sheet, Excel row and column. :mod:`chuangcheng.surveys.domain.design_import` writes a spec.

What is taken (ADR 0011, the user guide lists the columns):

- types ``select_one L`` / ``select_multiple L`` (and the old spellings ``select one from L``,
  ``select all that apply L``), ``text``, ``integer``, ``decimal``, ``note``, ``range`` (a rating
  scale, step 1, at most 11 points), ``begin_group`` / ``end_group`` (the group's label becomes
  the section of the questions inside, nested labels joined with " / ", and its ``relevant`` is
  joined to theirs with ``and``);
- metadata rows (start, end, today, deviceid, username, phonenumber, calculate, audit, …) are left
  out with a warning; rows a respondent would have to answer but that we cannot show (date,
  geopoint, image, repeats, choices from a file, ``or_other`` …) refuse the file naming the row;
- columns ``name``, ``label``, ``hint`` (each optionally ``::Language (code)``), ``required``,
  ``relevant`` (the subset of :mod:`expressions`; references must name earlier questions),
  ``appearance`` (ignored), and our own ``measure`` and ``clause`` (a framework clause number);
  on the choices sheet ``list_name``, ``name``, ``label…``, and our own ``score`` (0–1) and
  ``excluded``. Other columns holding values are ignored with a warning;
- settings: ``form_title``, ``form_id``, ``version``, ``default_language``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.utils.translation import gettext as _

from chuangcheng.surveys.domain.expressions import ExpressionError, parse, refs
from chuangcheng.surveys.domain.xlsform_choices import (
    NO,
    YES,
    ChoiceSpec,
    rating_choices,
    read_choices,
)
from chuangcheng.surveys.domain.xlsform_sheets import (
    CHOICE_ALIASES,
    SURVEY_ALIASES,
    Issue,
    Row,
    Sheet,
    XLSFormError,
    bare_language,
    place_bare,
    read_workbook,
    sheet_rows,
)
from chuangcheng.surveys.domain.xlsform_types import (
    FROM_FILE,
    MAX_POINTS,
    MEASURE_WORDS,
    MEASURES,
    METADATA,
    NAME_RE,
    NAME_RULE,
    OR_OTHER,
    PLAIN,
    SELECTS,
    SILENT,
    UNKNOWN_TYPE,
    USED,
)
from chuangcheng.surveys.enums import QuestionKind

__all__ = ["ChoiceSpec", "FormSpec", "Issue", "QuestionSpec", "XLSFormError", "read_xlsform"]


@dataclass
class QuestionSpec:
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
    clause: str = ""  # a framework clause number, resolved when written
    choices: list[ChoiceSpec] = field(default_factory=list)
    row: int = 0
    list_name: str = ""


@dataclass
class FormSpec:
    title: str
    form_id: str
    version: str
    languages: list[str]
    questions: list[QuestionSpec]
    warnings: list[str]


@dataclass
class _Group:
    labels: dict[str, str]
    relevant: str
    row: int


@dataclass
class _Reader:
    survey: Sheet
    choices: dict[str, list[ChoiceSpec]]
    language: str
    known: set[str]  # names earlier questions hold (including a survey's existing ones)
    issues: list[Issue] = field(default_factory=list)
    notes: dict[str, list[int]] = field(default_factory=dict)  # warning → rows
    questions: list[QuestionSpec] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # left-out row's name → its type
    groups: list[_Group] = field(default_factory=list)

    def issue_at(self, number: int, column: str, message: str) -> None:
        self.issues.append(
            Issue("survey", number, self.survey.columns.get(column, column), message)
        )

    def issue(self, row: Row, column: str, message: str) -> None:
        self.issues.append(
            Issue("survey", row.number, self.survey.columns.get(column, column), message)
        )

    def note(self, message: str, row: int) -> None:
        self.notes.setdefault(message, []).append(row)

    def relevant(self, row: Row) -> str:
        text = row.get("relevant")
        if not text:
            return ""
        try:
            expr = parse(text)
        except ExpressionError as exc:
            self.issue(row, "relevant", str(exc))
            return text
        for ref in refs(expr):
            if ref.name in self.known:
                continue
            if ref.name in self.skipped:
                message = _("${%(name)s} is a row of type %(type)s, which is not imported") % {
                    "name": ref.name,
                    "type": self.skipped[ref.name],
                }
            else:
                message = _("${%(name)s} is not an earlier question") % {"name": ref.name}
            self.issue(row, "relevant", str(ExpressionError(message, ref.offset)))
            break
        return text

    def required(self, row: Row) -> bool:
        value = row.get("required").strip().lower()
        if value in YES:
            return True
        if value not in NO:
            self.issue(row, "required", _("Write yes or no (a condition is not supported)."))
        return False

    def labels(self, row: Row, base: str = "label") -> dict[str, str]:
        return place_bare(row.texts.get(base, {}), self.language)

    def row(self, row: Row) -> None:
        kind_text = " ".join(row.get("type").split())
        low = kind_text.lower()
        if not low:
            if row.get("name") or row.texts.get("label"):
                self.issue(row, "type", _("The type is missing."))
            return
        if low in ("begin group", "begin_group"):
            self.groups.append(_Group(self.labels(row), self.relevant(row), row.number))
            return
        if low in ("end group", "end_group"):
            if not self.groups:
                self.issue(row, "type", _("end_group without a begin_group."))
            else:
                self.groups.pop()
            return
        if low.startswith(("begin repeat", "begin_repeat", "begin loop", "end repeat")):
            self.issue(row, "type", _("Repeated groups (repeats) are not supported."))
            return
        if low in METADATA:
            self.skipped[row.get("name") or low] = low
            self.note(
                _("Rows of type %(type)s are not questions and were left out") % {"type": low},
                row.number,
            )
            return
        self.question(row, kind_text, low)

    def question(self, row: Row, kind_text: str, low: str) -> None:
        spec = QuestionSpec(name=row.get("name"), kind="", labels=self.labels(row), row=row.number)
        if not self._kind(row, spec, kind_text, low):
            return
        if spec.kind == QuestionKind.NOTE and not spec.labels:
            self.note(_("Notes without a label were left out"), row.number)
            return
        if not spec.name and spec.kind == QuestionKind.NOTE:
            spec.name = f"note_{row.number}"
        if not NAME_RE.fullmatch(spec.name):
            self.issue(row, "name", _(NAME_RULE))
        elif spec.name in self.known or spec.name in self.skipped:
            self.issue(row, "name", _("The name %(name)s is used twice.") % {"name": spec.name})
        if not spec.labels:
            self.issue(row, "label", _("The question needs a label."))
        elif any("${" in text for text in spec.labels.values()):
            self.note(_("Labels that show earlier answers (${…}) are shown as written"), row.number)
        spec.hints = self.labels(row, "hint")
        spec.required = self.required(row) if spec.kind != QuestionKind.NOTE else False
        own = self.relevant(row)
        parts = [g.relevant for g in self.groups if g.relevant] + ([own] if own else [])
        spec.relevant = parts[0] if len(parts) == 1 else " and ".join(f"({p})" for p in parts)
        spec.group = _joined([g.labels for g in self.groups if g.labels])
        self._measure(row, spec)
        self.known.add(spec.name)
        self.questions.append(spec)

    def _kind(self, row: Row, spec: QuestionSpec, kind_text: str, low: str) -> bool:
        if low in PLAIN:
            spec.kind = PLAIN[low]
            return True
        if low == "range":
            return self._range(row, spec)
        for prefix, kind in SELECTS:
            if low == prefix or low.startswith(prefix + " "):
                words = kind_text[len(prefix) :].split()
                if kind is None:
                    self.issue(row, "type", _(FROM_FILE) % {"type": prefix})
                elif not words:
                    self.issue(
                        row, "type", _("Name the choice list after %(type)s.") % {"type": prefix}
                    )
                elif len(words) > 1:
                    self.issue(row, "type", _(OR_OTHER) % {"extra": " ".join(words[1:])})
                else:
                    spec.kind, spec.list_name = kind, words[0]
                    if row.get("choice_filter"):
                        self.issue(
                            row,
                            "choice_filter",
                            _("Filtering choices (choice_filter) is not supported."),
                        )
                    return True
                return False
        self.issue(row, "type", _(UNKNOWN_TYPE) % {"type": kind_text})
        return False

    def _range(self, row: Row, spec: QuestionSpec) -> bool:
        params = dict(
            p.split("=", 1)
            for p in row.get("parameters").replace(" =", "=").replace("= ", "=").split()
            if "=" in p
        )
        try:
            low, high, step = (
                int(Decimal(params.get(k, d)))
                for k, d in (("start", "1"), ("end", "10"), ("step", "1"))
            )
        except (InvalidOperation, ValueError):
            self.issue(row, "parameters", _("Give whole numbers: start=1 end=5 step=1."))
            return False
        if step != 1 or not low < high or high - low + 1 > MAX_POINTS:
            self.issue(
                row,
                "parameters",
                _("A rating scale counts by 1 from start to end, at most %(n)d points.")
                % {"n": MAX_POINTS},
            )
            return False
        spec.kind, spec.scale_min, spec.scale_max = QuestionKind.RATING, low, high
        return True

    def _measure(self, row: Row, spec: QuestionSpec) -> None:
        measure, clause = row.get("measure"), row.get("clause")
        if measure:
            found = MEASURES.get(measure.strip().lower()) or MEASURES.get(measure.strip())
            if found is None:
                self.issue(row, "measure", _(MEASURE_WORDS))
            elif spec.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.RATING):
                self.issue(
                    row, "measure", _("Only a choice or rating question can count in a rate.")
                )
            else:
                spec.measure = str(found)
        spec.clause = clause.strip().rstrip(".")


def _joined(labels: list[dict[str, str]]) -> dict[str, str]:
    languages = {lang for group in labels for lang in group}
    return {
        lang: " / ".join(g.get(lang) or next(iter(g.values())) for g in labels)
        for lang in sorted(languages)
    }


def _attach_choices(reader: _Reader, column: str, issues: list[Issue]) -> None:
    spaced: set[int] = set()
    for spec in reader.questions:
        if spec.kind == QuestionKind.RATING:
            assert spec.scale_min is not None and spec.scale_max is not None
            spec.choices = rating_choices(spec.scale_min, spec.scale_max)
        if not spec.list_name:
            continue
        found = reader.choices.get(spec.list_name)
        if not found:
            message = _("The choice list %(list)s is not on the choices sheet.")
            reader.issue_at(spec.row, "type", message % {"list": spec.list_name})
            continue
        spec.choices = [
            ChoiceSpec(c.value, dict(c.labels), c.score, c.excluded, c.row) for c in found
        ]
        for c in found:
            if spec.kind == QuestionKind.MULTIPLE and " " in c.value and c.row not in spaced:
                spaced.add(c.row)
                message = _("%(value)s has a space: the values of a multiple choice cannot.")
                issues.append(Issue("choices", c.row, column, message % {"value": c.value}))
        if spec.measure and not any(c.score for c in found):
            reader.note(_("Every choice of a measured question scores 0: set the scores"), spec.row)


def read_xlsform(stream: IO[bytes], *, existing: set[str] | None = None) -> FormSpec:
    """The questionnaire in an XLSForm workbook. ``existing`` names questions already in the
    survey the form is added to (its ``relevant`` may refer to them)."""
    book = read_workbook(stream)
    issues: list[Issue] = []
    if "survey" not in book:
        raise XLSFormError([Issue("survey", 0, "", _("The workbook has no sheet named survey."))])
    survey = sheet_rows("survey", book["survey"], SURVEY_ALIASES, issues)
    choices_sheet = sheet_rows("choices", book.get("choices", []), CHOICE_ALIASES, issues)
    settings = sheet_rows("settings", book.get("settings", []), {}, issues)
    setting = settings.rows[0] if settings.rows else Row(0, {})
    for needed in ("type", "name"):
        if survey.rows and needed not in survey.columns:
            issues.append(
                Issue("survey", 1, needed, _("The column %(c)s is missing.") % {"c": needed})
            )
    if issues:
        raise XLSFormError(issues)
    language = bare_language(setting.get("default_language"), [survey, choices_sheet])
    lists = read_choices(choices_sheet, language, issues)
    reader = _Reader(survey, lists, language, set(existing or ()))
    for row in survey.rows:
        reader.row(row)
    for group in reader.groups:
        reader.issue_at(group.row, "type", _("This begin_group is never closed with end_group."))
    if not reader.questions and not reader.issues:
        issues.append(Issue("survey", 0, "", _("The form has no question.")))
    _attach_choices(reader, choices_sheet.columns.get("name", "name"), issues)
    _ignored_columns(survey, reader)
    issues = reader.issues + issues
    if issues:
        raise XLSFormError(sorted(issues, key=lambda i: (i.sheet != "survey", i.sheet, i.row)))
    used = {lang for q in reader.questions for lang in q.labels}
    first = [language] if setting.get("default_language") or survey.bare_label else []
    order = [*first, "zh-Hans", "en", *survey.languages]
    return FormSpec(
        title=setting.get("form_title") or setting.get("title"),
        form_id=setting.get("form_id"),
        version=setting.get("version"),
        languages=[lang for lang in dict.fromkeys(order) if lang in used],
        questions=reader.questions,
        warnings=[
            _("%(message)s (rows %(rows)s)") % {"message": msg, "rows": ", ".join(map(str, rows))}
            for msg, rows in reader.notes.items()
        ],
    )


def _ignored_columns(survey: Sheet, reader: _Reader) -> None:
    for column, title in survey.columns.items():
        base = column.split("::")[0]
        if base in USED or base in SILENT or base == "choice_filter":
            continue
        asked = {q.row for q in reader.questions}
        for number in [r.number for r in survey.rows if r.number in asked and r.get(column)]:
            reader.note(_("Column %(c)s is not supported and was ignored") % {"c": title}, number)
