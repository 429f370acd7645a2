"""Forms of the scoring pages: a negative-list event, a clause's rule, a snapshot's note."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.explain import method_label
from chuangcheng.scoring.enums import FieldRule
from chuangcheng.scoring.models import ClauseRule


class NodeChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.number} {obj.text}"


class NegativeEventForm(forms.Form):
    clause = NodeChoice(queryset=Node.objects.none(), label=pgettext_lazy("scores", "Clause"))
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(), label=pgettext_lazy("scores", "Where")
    )
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=_("Responsible unit"), required=False
    )
    occurred_on = forms.DateField(
        label=pgettext_lazy("scores", "Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deduction = forms.DecimalField(
        label=_("Points deducted"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("The points deducted must be more than 0.")},
    )
    title = forms.CharField(label=_("What happened"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("scores", "Details"), required=False, widget=forms.Textarea
    )

    def __init__(
        self, *args: Any, clauses: list[Node], regions: Any, units: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["clause"].queryset = Node.objects.filter(  # type: ignore[attr-defined]
            pk__in=[c.pk for c in clauses]
        ).order_by("seq")
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    """The rule of one clause; one weight field per method of the clause."""

    field_rule = forms.ChoiceField(
        label=_("Field inspection rule"), choices=FieldRule.choices, widget=forms.RadioSelect
    )
    deduction = forms.DecimalField(
        label=_("Deduction per non-compliant observation"),
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("The deduction per failure must be more than 0.")},
    )

    def __init__(self, *args: Any, methods: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.methods = methods
        for m in methods:
            self.fields[f"w_{m}"] = forms.DecimalField(
                label=_("Weight: %(m)s") % {"m": method_label(m)},
                max_digits=6,
                decimal_places=3,
                min_value=Decimal(0),
                error_messages={"min_value": _("A weight cannot be below 0.")},
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        weights = [data.get(f"w_{m}") for m in self.methods]
        if self.methods and all(w is not None for w in weights) and not any(weights):
            raise forms.ValidationError(_("At least one method needs a weight above 0."))
        return data

    def weights(self) -> dict[str, Decimal]:
        return {m: self.cleaned_data[f"w_{m}"] for m in self.methods}

    @staticmethod
    def initial_for(rule: ClauseRule | None, methods: list[str]) -> dict[str, Any]:
        given = (rule.weights or {}) if rule is not None else {}
        initial: dict[str, Any] = {
            "field_rule": rule.field_rule if rule else FieldRule.RATIO,
            "deduction": rule.deduction if rule else Decimal("0.5"),
        }
        for m in methods:
            if given:
                initial[f"w_{m}"] = Decimal(str(given.get(m, 0)))
            else:
                initial[f"w_{m}"] = Decimal(1)
        return initial


class SnapshotForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("scores", "Note"),
        max_length=200,
        help_text=_("What the snapshot is for, e.g. the bulletin it is cited in."),
    )
