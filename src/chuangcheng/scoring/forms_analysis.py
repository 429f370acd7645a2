"""Query parsing of the analysis pages: period, scope, what-if choices, trend options."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy

from chuangcheng.cases.forms_figures import read_period
from chuangcheng.scoring.domain.trends import GRAINS

__all__ = ["TrendForm", "WhatIfForm", "read_period"]


class IdListField(forms.Field):
    """Several ``name=id`` parameters (or one comma-separated value) as a list of ids."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[int]:
        raw: list[str] = []
        for item in value or []:
            raw += [p for p in str(item).split(",") if p.strip()]
        try:
            return [int(p) for p in raw]
        except ValueError as exc:
            raise forms.ValidationError(
                gettext_lazy("Give whole numbers (ids), not “%(v)s”."),
                params={"v": ", ".join(raw)},
            ) from exc


class WhatIfForm(forms.Form):
    case = IdListField(required=False, label=gettext_lazy("Open cases"))
    point = IdListField(required=False, label=gettext_lazy("Points re-inspected as passing"))

    def __init__(self, data: Any) -> None:
        super().__init__(
            {"case": data.getlist("case"), "point": data.getlist("point")} if data else None
        )


class TrendForm(forms.Form):
    grain = forms.ChoiceField(
        required=False,
        choices=[
            ("month", gettext_lazy("By month")),
            ("quarter", gettext_lazy("By quarter")),
            ("year", gettext_lazy("By year")),
        ],
        label=gettext_lazy("Periods"),
    )
    node = forms.IntegerField(required=False, label=gettext_lazy("Item"))

    def grain_value(self) -> str:
        grain = self.cleaned_data.get("grain") or "month"
        return grain if grain in GRAINS else "month"
