"""The question form: text in each of the survey's languages, kind, choices (rows of value,
labels, score and "not counted"), rating scale, measure and clause, and skip logic — either
built ("ask only when [earlier question] [is / is not / includes] [choice]") or written as a
raw XLSForm ``relevant`` expression."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.frameworks.models import Node
from chuangcheng.surveys.domain.design_questions import (
    PRESETS,
    ChoiceData,
    QuestionData,
    survey_clauses,
)
from chuangcheng.surveys.enums import CHOICE_KINDS, Measure, QuestionKind
from chuangcheng.surveys.models import Question, Survey

LANGUAGE_NAMES = {"zh-Hans": _("Chinese"), "en": _("English")}
OPERATORS = [
    ("is", _("is")),
    ("not", _("is not")),
    ("has", _("includes")),
]
_BUILT = re.compile(
    r"^\s*(?:\$\{(?P<q1>[A-Za-z0-9_-]+)\}\s*(?P<op>=|!=)\s*'(?P<v1>[^']*)'"
    r"|selected\(\s*\$\{(?P<q2>[A-Za-z0-9_-]+)\}\s*,\s*'(?P<v2>[^']*)'\s*\))\s*$"
)


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def built(relevant: str) -> tuple[str, str, str] | None:
    """(question, operator, value) when ``relevant`` is what the builder writes."""
    found = _BUILT.match(relevant or "")
    if not found:
        return None
    if found["q2"]:
        return found["q2"], "has", found["v2"]
    return found["q1"], "is" if found["op"] == "=" else "not", found["v1"]


def expression(question: str, op: str, value: str) -> str:
    if op == "has":
        return f"selected(${{{question}}}, '{value}')"
    return f"${{{question}}} {'=' if op == 'is' else '!='} '{value}'"


class ClauseChoice(forms.ModelChoiceField[Node]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.text[:40]}"


class ChoiceRowForm(forms.Form):
    value = forms.CharField(label=_("Value"), max_length=64, required=False)
    score = forms.DecimalField(
        label=_("Score"), min_value=Decimal(0), max_value=Decimal(1), decimal_places=3,
        required=False,
    )  # fmt: skip
    excluded = forms.BooleanField(label=_("Not counted"), required=False)

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code in languages:
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Label (%(lang)s)") % {"lang": language_name(code)},
                max_length=200,
                required=False,
            )
        self.order_fields(["value", *[f"label_{c}" for c in languages], "score", "excluded"])

    def choice(self) -> ChoiceData | None:
        d = self.cleaned_data
        labels = {c: d.get(f"label_{c}", "").strip() for c in self.languages}
        if not d.get("value") and not any(labels.values()):
            return None
        score = d.get("score")
        return ChoiceData(d.get("value", "").strip(), labels, score or Decimal(0), d["excluded"])


def choice_formset(
    survey: Survey, data: Any = None, initial: list[dict[str, Any]] | None = None
) -> Any:
    rows = len(initial or [])
    factory = forms.formset_factory(ChoiceRowForm, extra=max(2, 6 - rows), max_num=60)
    return factory(
        data, initial=initial, prefix="c", form_kwargs={"languages": list(survey.languages)}
    )


def choice_initial(choices: list[ChoiceData] | Any) -> list[dict[str, Any]]:
    out = []
    for c in choices:
        row = {"value": c.value, "score": f"{c.score.normalize():f}", "excluded": c.excluded}
        row.update({f"label_{k}": v for k, v in c.labels.items()})
        out.append(row)
    return out


def preset_initial(measure: str) -> list[dict[str, Any]]:
    return choice_initial(PRESETS.get(measure, []))


class QuestionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=64,
        help_text=_("A short code used by skip logic and exports, e.g. q1 or satisfied."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=QuestionKind.choices)
    required = forms.BooleanField(label=_("Answer required"), required=False)
    scale_min = forms.IntegerField(label=_("Scale from"), required=False, initial=1)
    scale_max = forms.IntegerField(label=_("Scale to"), required=False, initial=5)
    measure = forms.ChoiceField(
        label=_("Counts in the rate of"),
        choices=[("", _("No measure")), *Measure.choices],
        required=False,
    )
    clause = ClauseChoice(
        label=_("Framework clause"),
        queryset=Node.objects.none(),
        required=False,
        empty_label=_("No clause"),
    )
    when_question = forms.ChoiceField(label=_("Ask only when"), required=False)
    when_op = forms.ChoiceField(label=_("Condition"), choices=OPERATORS, required=False)
    when_value = forms.ChoiceField(label=_("Answer"), required=False)
    relevant = forms.CharField(
        label=_("Or an expression (XLSForm relevant)"),
        required=False,
        max_length=1000,
        help_text=_(
            "e.g. ${satisfied} = 'ns' or selected(${joined}, 'vol'). Wins over the builder."
        ),
    )

    def __init__(
        self, *args: Any, survey: Survey, question: Question | None = None, **kwargs: Any
    ) -> None:
        if question is not None and "initial" not in kwargs:
            kwargs["initial"] = question_initial(question)
        super().__init__(*args, **kwargs)
        self.survey, self.question = survey, question
        for code in survey.languages:
            name = language_name(code)
            self.fields[f"label_{code}"] = forms.CharField(
                label=_("Question (%(lang)s)") % {"lang": name},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=1000,
            )
            self.fields[f"hint_{code}"] = forms.CharField(
                label=_("Hint (%(lang)s)") % {"lang": name}, required=False, max_length=500
            )
        clauses = survey_clauses(survey)
        self.fields["clause"].queryset = Node.objects.filter(pk__in=[n.pk for n in clauses])  # type: ignore[attr-defined]
        self.earlier = [
            q
            for q in survey.questions.prefetch_related("choices")
            if q.kind in CHOICE_KINDS and (question is None or q.order < question.order)
        ]
        when: Any = self.fields["when_question"]
        when.choices = [("", _("Always ask"))] + [
            (q.name, f"{q.name} · {q.label()[:30]}") for q in self.earlier
        ]
        answer: Any = self.fields["when_value"]
        answer.choices = [("", "—")] + [
            (f"{q.name}:{c.value}", c.label()[:30]) for q in self.earlier for c in q.choices.all()
        ]

    def value_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """The answers the builder offers, by question (for the page's grouped list)."""
        return [
            (q.name, [(f"{q.name}:{c.value}", c.label()) for c in q.choices.all()])
            for q in self.earlier
        ]

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if not d.get("relevant") and d.get("when_question"):
            q_name, value = d["when_question"], d.get("when_value", "")
            if not value.startswith(q_name + ":"):
                self.add_error("when_value", _("Choose an answer of the chosen question."))
            else:
                d["relevant"] = expression(q_name, d.get("when_op") or "is", value.split(":", 1)[1])
        return d

    def data_object(self, choices: list[ChoiceData]) -> QuestionData:
        d = self.cleaned_data
        langs = self.survey.languages
        return QuestionData(
            name=d["name"].strip(),
            kind=d["kind"],
            labels={c: d[f"label_{c}"].strip() for c in langs if d.get(f"label_{c}", "").strip()},
            hints={c: d[f"hint_{c}"].strip() for c in langs if d.get(f"hint_{c}", "").strip()},
            group=dict(self.question.group) if self.question else {},
            required=d["required"],
            relevant=d.get("relevant", ""),
            scale_min=d.get("scale_min"),
            scale_max=d.get("scale_max"),
            measure=d.get("measure", ""),
            clause=d.get("clause"),
            choices=choices if d["kind"] in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        )


def question_initial(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "name": question.name,
        "kind": question.kind,
        "required": question.required,
        "scale_min": question.scale_min or 1,
        "scale_max": question.scale_max or 5,
        "measure": question.measure,
        "clause": question.clause_id,
    }
    initial.update({f"label_{k}": v for k, v in question.labels.items()})
    initial.update({f"hint_{k}": v for k, v in question.hints.items()})
    found = built(question.relevant)
    if found:
        initial.update(
            when_question=found[0], when_op=found[1], when_value=f"{found[0]}:{found[2]}"
        )
    else:
        initial["relevant"] = question.relevant
    return initial


def initial_from_post(post: Any) -> dict[str, Any]:
    """The posted question fields as initial values (to show the form again, unbound)."""
    return {k: post.get(k) for k in post if not k.startswith(("c-", "csrf"))}
