"""Forms of the framework pages: the import upload and the node editor."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.frameworks.enums import METHOD_LABELS_ZH, Method
from chuangcheng.frameworks.models import Node, point_type_model
from chuangcheng.orgs.models import Unit

MAX_UPLOAD = 10 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("An .xlsx workbook or a .csv file in the standard layout.")
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Leave blank to use the file name. An existing code gets a new version."),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("Leave blank to keep the name of the previous version."),
    )
    create_missing = forms.BooleanField(
        label=_("Create missing units and point types"), required=False
    )
    activate = forms.BooleanField(label=_("Put the new version in force"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Only .xlsx and .csv files can be imported."))
        return upload


def method_choices() -> list[tuple[str, str]]:
    return [(m.value, f"{METHOD_LABELS_ZH[m]} · {m.label}") for m in Method]


class NodeForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))
    score = forms.DecimalField(
        label=_("Score"),
        required=False,
        min_value=Decimal(0),
        max_digits=7,
        decimal_places=2,
        help_text=_("Only a content or a standard carries a score."),
    )
    methods = forms.MultipleChoiceField(
        label=_("Methods"), required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit"), required=False, queryset=Unit.objects.none()
    )
    partner_units = forms.ModelMultipleChoiceField(
        label=_("Partner units"),
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    point_types = forms.ModelMultipleChoiceField(
        label=_("Point types"),
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )

    def __init__(self, *args: Any, node: Node, user: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "text": node.text,
                "score": node.score,
                "methods": list(node.methods),
                "lead_unit": node.lead_unit_id,
                "partner_units": list(node.partner_units.all()),
                "point_types": list(node.point_types.all()),
            },
        )
        super().__init__(*args, **kwargs)
        units = Unit.objects.visible_to(user).filter(active=True).order_by("kind", "name")
        self.fields["methods"].choices = method_choices()  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["partner_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["point_types"].queryset = point_type_model().objects.all()  # type: ignore[attr-defined]
