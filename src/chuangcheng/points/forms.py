"""Forms for points: the edit form and the import upload."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points import geometry
from chuangcheng.points.domain import PointData
from chuangcheng.points.models import Point, PointType

CRS_CHOICES = [
    ("wgs84", _("WGS-84 (GPS, 天地图)")),
    ("gcj02", _("GCJ-02 (高德, Tencent maps)")),
]


class PointForm(forms.ModelForm):  # type: ignore[type-arg]
    """Name, type, place and units of a point. Choices are limited to what the user sees;
    whether the point lies inside the street is decided by the domain."""

    street = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Street"))
    lng = forms.DecimalField(label=_("Longitude"), max_digits=16, decimal_places=10)
    lat = forms.DecimalField(label=_("Latitude"), max_digits=16, decimal_places=10)
    crs = forms.ChoiceField(
        label=_("Coordinates from"),
        choices=CRS_CHOICES,
        initial="wgs84",
        help_text=_("Coordinates copied from 高德 are GCJ-02; they are converted to WGS-84."),
    )

    field_order = [
        "name",
        "type",
        "address",
        "street",
        "lng",
        "lat",
        "crs",
        "territorial_unit",
        "line_unit",
        "note",
    ]

    class Meta:
        model = Point
        # lng/lat are plain form fields: users paste 7+ decimals; the domain rounds to 6.
        fields = ["name", "type", "address", "territorial_unit", "line_unit", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        streets = Region.objects.visible_to(user).filter(level=RegionLevel.STREET)
        self.fields["street"].queryset = streets  # type: ignore[attr-defined]
        self.fields["type"].queryset = PointType.objects.all()  # type: ignore[attr-defined]
        units = Unit.objects.visible_to(user).filter(active=True).order_by("kind", "name")
        self.fields["territorial_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["line_unit"].queryset = units  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.region_id:
            self.initial["street"] = geometry.street_of(self.instance.region).pk
            self.initial["lng"], self.initial["lat"] = self.instance.lng, self.instance.lat

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lng, lat = data.get("lng"), data.get("lat")
        if lng is not None and not geometry.lng_in_range(float(lng)):
            self.add_error("lng", _("Longitude must be between 73 and 136."))
        if lat is not None and not geometry.lat_in_range(float(lat)):
            self.add_error("lat", _("Latitude must be between 3 and 54."))
        return data

    def point_data(self) -> PointData:
        d = self.cleaned_data
        lng, lat = geometry.to_wgs84(float(d["lng"]), float(d["lat"]), d["crs"])
        return PointData(
            name=d["name"],
            type=d["type"],
            street=d["street"],
            territorial_unit=d["territorial_unit"],
            line_unit=d.get("line_unit"),
            lng=Decimal(lng),
            lat=Decimal(lat),
            address=d.get("address") or "",
            note=d.get("note") or "",
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_(".xlsx, .csv (UTF-8 or GB18030) or .geojson")
    )
    crs = forms.ChoiceField(label=_("Coordinates from"), choices=CRS_CHOICES, initial="wgs84")
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)
