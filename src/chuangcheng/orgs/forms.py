"""Forms for regions and units: they parse input; the rules live in ``orgs.domain``."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit


class BoundaryField(forms.CharField):
    """GeoJSON text in, a dict (or None) out; the domain checks its shape."""

    widget = forms.Textarea(attrs={"rows": 5, "class": "mono", "spellcheck": "false"})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            return json.dumps(value, ensure_ascii=False)
        return value

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise forms.ValidationError(_("The boundary is not valid JSON.")) from exc
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        return data


class RegionEditForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    boundary = BoundaryField(
        label=_("Boundary (GeoJSON)"),
        required=False,
        help_text=_("A GeoJSON Polygon or MultiPolygon (or a Feature holding one), in WGS-84."),
    )
    boundary_approximate = forms.BooleanField(
        label=_("The boundary is approximate (generated, not surveyed)"), required=False
    )


class RegionCreateForm(RegionEditForm):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "GB/T 2260-style digits extending the parent's code. The code and the parent cannot "
            "change later: the paths of the whole subtree are built from them."
        ),
    )
    level = forms.ChoiceField(label=_("Level"), choices=RegionLevel.choices)

    field_order = ["code", "name", "level", "boundary", "boundary_approximate"]


class UnitForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Letters, digits, “-” and “_”. It cannot change later."),
    )
    name = forms.CharField(label=_("Full name"), max_length=100)
    short_name = forms.CharField(
        label=_("Short name"),
        max_length=40,
        required=False,
        help_text=_("As used in import files and lists, e.g. 城管委."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        help_text=_(
            "For a territorial unit, the region it answers for; otherwise where it serves."
        ),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent unit"), queryset=Unit.objects.none(), required=False
    )
    head_name = forms.CharField(label=_("Head (主要负责人)"), max_length=40, required=False)
    head_phone = forms.CharField(
        label=_("Head's phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    contact_name = forms.CharField(label=_("Contact (联络员)"), max_length=40, required=False)
    contact_phone = forms.CharField(
        label=_("Contact's phone"),
        max_length=20,
        required=False,
        help_text=_("Mobile 13812345678 or landline 010-65123456. Stored encrypted."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, unit: Unit | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = Region.objects.visible_to(user).exclude(level=RegionLevel.GRID)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["region"].label_from_instance = _region_label  # type: ignore[attr-defined]
        parents = Unit.objects.visible_to(user).filter(active=True)
        if unit is not None:
            parents = parents.exclude(path__startswith=unit.path)
            self.fields["code"].disabled = True
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]


def _region_label(region: Region) -> str:
    return "\u3000" * max(region.depth - 1, 0) + region.name


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *UnitKind.choices]
    )
    street = forms.ModelChoiceField(
        label=_("Street"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All streets"),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = Region.objects.visible_to(user).filter(  # type: ignore[attr-defined]
            level=RegionLevel.STREET
        )
