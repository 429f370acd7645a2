"""How the answers to choice questions are distributed, alone and crossed with another variable.

A cross-tabulation puts one choice question's answers in rows and, in columns, the respondents'
street, age band, sex or occupation, or the answers to another choice question. Cells hold
respondents (weighted when the survey's margins give weights) and the column percentage: the
share of the column's respondents who answered the row question that gave that answer. A
multiple-choice answer counts once for each value selected, so its column adds up to more than
100 %. Each table is one grouped query over the complete responses, whatever their number.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, FilteredRelation, Q
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from chuangcheng.surveys.domain.results import Sample, load_sample, q, sex_label
from chuangcheng.surveys.domain.weights import dimension_label
from chuangcheng.surveys.enums import CHOICE_KINDS, QuestionKind, ResponseState, Sex
from chuangcheng.surveys.models import Answer, Question, Response, Survey

COLUMN_DIMENSIONS = ("street", "age_band", "sex", "occupation")
TOTAL = "__total__"
CELL = ("street_id", "age_band", "sex", "occupation")


class CrosstabError(ValueError):
    """The row or column asked for is not one this survey can cross."""


@dataclass(frozen=True)
class Category:
    value: str
    label: str


@dataclass
class Counter:
    """Weighted and unweighted counts per (row, column) and per column."""

    weighted: bool
    counts: dict[tuple[str, str], float] = field(default_factory=lambda: defaultdict(float))
    raw: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    bases: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    raw_bases: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, rows: list[str], columns: list[str], n: int, w: float | None) -> None:
        amount = n * w if w is not None else float(n)
        for col in [*columns, TOTAL]:
            self.bases[col] += amount
            self.raw_bases[col] += n
            for row in rows:
                self.counts[(row, col)] += amount
                self.raw[(row, col)] += n

    def share(self, row: str, col: str) -> float | None:
        base = self.bases.get(col, 0.0)
        return self.counts.get((row, col), 0.0) / base if base else None


def selected(value: str, multiple: bool) -> list[str]:
    return value.split() if multiple else [value]


def choice_categories(question: Question, seen: set[str]) -> list[Category]:
    """The question's choices in order, then any other value answered (kept as written)."""
    cats = [Category(c.value, c.label()) for c in question.choices.all()]
    known = {c.value for c in cats}
    return cats + [Category(v, v) for v in sorted(seen - known)]


@dataclass
class Distribution:
    question: Question
    categories: list[Category]
    counter: Counter

    @property
    def answered(self) -> int:
        return self.counter.raw_bases.get(TOTAL, 0)

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "value": c.value,
                "label": c.label,
                "n": self.counter.raw.get((c.value, TOTAL), 0),
                "pct": _pct(self.counter.raw.get((c.value, TOTAL), 0), self.answered),
                "weighted_pct": q(100 * s, 1)
                if self.counter.weighted and (s := self.counter.share(c.value, TOTAL)) is not None
                else None,
            }
            for c in self.categories
        ]


def _pct(n: int, base: int) -> float | None:
    return q(100 * n / base, 1) if base else None


def distributions(survey: Survey, sample: Sample) -> list[Distribution]:
    """Every choice question's answers, counted (one query for the answers, one for the
    questions and their choices)."""
    questions = list(
        Question.objects.filter(survey=survey, kind__in=CHOICE_KINDS)
        .prefetch_related("choices")
        .order_by("order", "pk")
    )
    by_id = {qn.pk: qn for qn in questions}
    weighting = sample.weighting
    counters = {qn.pk: Counter(weighting.applied) for qn in questions}
    seen: dict[int, set[str]] = defaultdict(set)
    rows = (
        Answer.objects.filter(
            response__survey=survey,
            response__state=ResponseState.COMPLETE,
            question_id__in=list(by_id),
        )
        .exclude(value="")
        .values_list("question_id", "value", *(f"response__{c}" for c in CELL))
        .annotate(n=Count("id"))
        .order_by()
    )
    for question_id, value, street_id, band, sex, occupation, n in rows:
        qn = by_id[question_id]
        values = selected(value, qn.kind == QuestionKind.MULTIPLE)
        seen[question_id].update(values)
        w = weighting.weight(sample.key(street_id, band, sex, occupation))
        counters[question_id].add(values, [], n, w)
    return [
        Distribution(qn, choice_categories(qn, seen[qn.pk]), counters[qn.pk]) for qn in questions
    ]


@dataclass
class Crosstab:
    row: Question
    column: str
    column_label: str
    rows: list[Category]
    columns: list[Category]
    counter: Counter
    multiple: bool

    def table(self) -> list[dict[str, Any]]:
        """Rows of cells (count, unweighted n, column %), the total column last."""
        out = []
        for r in self.rows:
            cells = []
            for c in [*self.columns, Category(TOTAL, _("All"))]:
                share = self.counter.share(r.value, c.value)
                cells.append(
                    {
                        "count": q(self.counter.counts.get((r.value, c.value), 0.0), 1),
                        "n": self.counter.raw.get((r.value, c.value), 0),
                        "pct": q(100 * share, 1) if share is not None else None,
                    }
                )
            out.append({"category": r, "cells": cells})
        return out

    def bases(self) -> list[dict[str, Any]]:
        return [
            {
                "count": q(self.counter.bases.get(c, 0.0), 1),
                "n": self.counter.raw_bases.get(c, 0),
            }
            for c in [*(col.value for col in self.columns), TOTAL]
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "row": self.row.name,
            "column": self.column,
            "weighted": self.counter.weighted,
            "multiple": self.multiple,
            "columns": [{"value": c.value, "label": c.label} for c in self.columns],
            "rows": [
                {
                    "value": r["category"].value,
                    "label": r["category"].label,
                    "pct": [cell["pct"] for cell in r["cells"][:-1]],
                }
                for r in self.table()
            ],
        }


def column_choices(survey: Survey, questions: list[Question]) -> list[tuple[str, str]]:
    """What a table's columns can be: the screening dimensions, then the choice questions."""
    dims = [d for d in COLUMN_DIMENSIONS if d != "occupation" or survey.occupations]
    return [(d, capfirst(dimension_label(d))) for d in dims] + [
        (qn.name, qn.label()) for qn in questions
    ]


def crosstab(survey: Survey, row: str, column: str, sample: Sample | None = None) -> Crosstab:
    """The answers to the choice question named ``row`` by ``column`` (a screening dimension
    or another choice question's name)."""
    questions = {
        qn.name: qn
        for qn in Question.objects.filter(survey=survey, kind__in=CHOICE_KINDS).prefetch_related(
            "choices"
        )
    }
    row_q = questions.get(row)
    if row_q is None:
        raise CrosstabError(
            _("“%(name)s” is not a choice question of this survey.") % {"name": row}
        )
    col_q = questions.get(column) if column not in COLUMN_DIMENSIONS else None
    if column not in COLUMN_DIMENSIONS and col_q is None:
        raise CrosstabError(_("“%(name)s” cannot be a column of this survey.") % {"name": column})
    if col_q is not None and col_q.pk == row_q.pk:
        raise CrosstabError(_("Choose a different question for the columns."))
    sample = sample or load_sample(survey)
    relations: dict[str, Any] = {
        "r": FilteredRelation("answers", condition=Q(answers__question=row_q))
    }
    fields = ["r__value", *CELL]
    if col_q is not None:
        relations["c"] = FilteredRelation("answers", condition=Q(answers__question=col_q))
        fields.append("c__value")
    rows = (
        Response.objects.filter(survey=survey, state=ResponseState.COMPLETE)
        .annotate(**relations)
        .filter(r__value__gt="")  # type: ignore[misc]
        .values_list(*fields)
        .annotate(n=Count("id"))
        .order_by()
    )
    counter = Counter(sample.weighting.applied)
    seen_rows: set[str] = set()
    seen_cols: set[str] = set()
    names = {s.pk: s.name for s in sample.streets}
    multiple_row = row_q.kind == QuestionKind.MULTIPLE
    for found in rows:
        value, street_id, band, sex, occupation = found[:5]
        n = found[-1]
        row_values = selected(value, multiple_row)
        if col_q is not None:
            raw = found[5] or ""
            col_values = selected(raw, col_q.kind == QuestionKind.MULTIPLE) if raw else []
        else:
            col_values = [_dimension_value(column, street_id, band, sex, occupation)]
        seen_rows.update(row_values)
        seen_cols.update(col_values)
        w = sample.weighting.weight(sample.key(street_id, band, sex, occupation))
        counter.add(row_values, col_values, n, w)
    if col_q is not None:
        columns = choice_categories(col_q, seen_cols)
        label = col_q.label()
    else:
        columns = _dimension_categories(survey, column, seen_cols, names)
        label = dimension_label(column)
    return Crosstab(
        row=row_q,
        column=column,
        column_label=label,
        rows=choice_categories(row_q, seen_rows),
        columns=columns,
        counter=counter,
        multiple=multiple_row,
    )


def _dimension_value(
    column: str, street_id: int | None, band: str, sex: str, occupation: str
) -> str:
    if column == "street":
        return str(street_id or "")
    return {"age_band": band, "sex": sex, "occupation": occupation}[column]


def _dimension_categories(
    survey: Survey, column: str, seen: set[str], street_names: dict[int, str]
) -> list[Category]:
    """Columns in their natural order: streets as listed, bands as cut, 男 then 女,
    occupations as asked; values outside that list last; "not recorded" at the end."""
    if column == "street":
        order = [(str(pk), name) for pk, name in street_names.items()]
    elif column == "age_band":
        order = [(f"{lo}-{hi}", f"{lo}-{hi}") for lo, hi in survey.age_bands]
    elif column == "sex":
        order = [(s.value, str(s.label)) for s in Sex]
    else:
        order = [(str(o), str(o)) for o in survey.occupations]
    known = {v for v, _l in order}
    cats = [Category(v, label) for v, label in order if v in seen]
    cats += [Category(v, sex_label(v) if column == "sex" else v) for v in sorted(seen - known) if v]
    if "" in seen:
        cats.append(Category("", _("not recorded")))
    return cats
