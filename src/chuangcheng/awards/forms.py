"""Forms: the office's scheme editor and the inspector's rating form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from chuangcheng.awards.domain.schemes import (
    SchemeData,
    clean_thresholds,
    dimension_lines,
    parse_dimension_lines,
)
from chuangcheng.awards.enums import TargetKind
from chuangcheng.awards.models import RedFlagScheme
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.points.models import PointType


class SchemeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    target = forms.ChoiceField(
        label=_("Rates"), choices=TargetKind.choices, widget=forms.RadioSelect
    )
    point_types = forms.ModelMultipleChoiceField(
        label=_("Point types"),
        queryset=PointType.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("For a scheme rating points, e.g. 窗口单位."),
    )
    unit_kind = forms.ChoiceField(
        label=_("Unit kind"),
        choices=[("", _("Every kind")), *UnitKind.choices],
        required=False,
        help_text=_("For a scheme rating units."),
    )
    dimensions = forms.CharField(
        label=_("Dimensions"),
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "One per line, in order: the name, a space and the maximum points, e.g. 服务热情 10."
        ),
    )
    winners = forms.IntegerField(label=_("Flags each month"), min_value=1, max_value=100)
    min_ratings = forms.IntegerField(label=_("Minimum ratings"), min_value=1, max_value=100)
    thresholds = forms.CharField(
        label=_("Star thresholds (%)"),
        help_text=_("The percentages of the maximum for 5, 4, 3 and 2 stars, e.g. 90 80 70 60."),
    )
    active = forms.BooleanField(label=_("Scheme in use"), required=False)

    def __init__(self, *args: Any, scheme: RedFlagScheme | None = None, **kwargs: Any) -> None:
        if scheme is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "code": scheme.code,
                "name": scheme.name,
                "target": scheme.target,
                "point_types": list(scheme.point_types.all()),
                "unit_kind": scheme.unit_kind,
                "dimensions": dimension_lines(scheme.dimensions),
                "winners": scheme.winners,
                "min_ratings": scheme.min_ratings,
                "thresholds": " ".join(str(t) for t in scheme.star_thresholds),
                "active": scheme.active,
            }
        kwargs.setdefault(
            "initial",
            {
                "target": TargetKind.POINTS,
                "winners": 3,
                "min_ratings": 2,
                "thresholds": "90 80 70 60",
                "active": True,
            },
        )
        super().__init__(*args, **kwargs)
        self.scheme = scheme

    def clean_dimensions(self) -> list[dict[str, Any]]:
        return parse_dimension_lines(self.cleaned_data["dimensions"])

    def clean_thresholds(self) -> list[int]:
        return clean_thresholds(self.cleaned_data["thresholds"].replace(",", " ").split())

    def clean_code(self) -> str:
        code: str = self.cleaned_data["code"]
        others = RedFlagScheme.objects.filter(code=code)
        if self.scheme is not None:
            others = others.exclude(pk=self.scheme.pk)
        if others.exists():
            raise ValidationError(_("Another scheme has this code."))
        return code

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        others = RedFlagScheme.objects.filter(name=name)
        if self.scheme is not None:
            others = others.exclude(pk=self.scheme.pk)
        if others.exists():
            raise ValidationError(_("Another scheme has this name."))
        return name

    def data_object(self) -> SchemeData:
        c = self.cleaned_data
        return SchemeData(
            code=c["code"],
            name=c["name"],
            target=c["target"],
            dimensions=c["dimensions"],
            winners=c["winners"],
            min_ratings=c["min_ratings"],
            star_thresholds=c["thresholds"],
            unit_kind=c.get("unit_kind") or "",
            point_types=list(c.get("point_types") or []),
            active=c["active"],
        )


class RatingForm(forms.Form):
    """One radio group per dimension (0..max); the template draws them as big buttons."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, scheme: RedFlagScheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        self.dimension_fields: list[tuple[str, int, str]] = []
        for i, dim in enumerate(scheme.dimensions):
            name = f"d{i}"
            top = int(dim["max"])
            self.fields[name] = forms.TypedChoiceField(
                label=dim["name"],
                choices=[(str(v), str(v)) for v in range(top + 1)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose a score.")},
            )
            self.dimension_fields.append((name, top, dim["name"]))

    def scores(self) -> dict[str, int]:
        return {label: self.cleaned_data[name] for name, _top, label in self.dimension_fields}

    def dimension_rows(self) -> list[dict[str, Any]]:
        rows = []
        for name, top, label in self.dimension_fields:
            bound = self[name]
            value = str(bound.value()) if bound.value() not in (None, "") else ""
            rows.append(
                {
                    "name": name,
                    "label": label,
                    "max": top,
                    "values": [str(v) for v in range(top + 1)],
                    "value": value,
                    "errors": bound.errors,
                    "wide": top > 10,
                }
            )
        return rows
