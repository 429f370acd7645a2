"""The key-area form: a name, a region, and an outline pasted as GeoJSON or taken from the
region's own boundary."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.command.domain.map_geometry import OutlineError, checked, parse_outline
from chuangcheng.command.domain.map_key_areas import KeyAreaData
from chuangcheng.command.models import KeyArea
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.points.forms import CRS_CHOICES

AREA_LEVELS = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)


class KeyAreaForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    region = forms.ModelChoiceField(
        queryset=Region.objects.none(),
        label=_("Region"),
        empty_label="—",
        help_text=_("Who sees the area: the offices and units over this region."),
    )
    use_boundary = forms.BooleanField(
        label=_("Use the region's own boundary"),
        required=False,
        help_text=_("Instead of pasting an outline: the area is the whole region."),
    )
    outline = forms.CharField(
        label=_("Outline (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false", "class": "mono"}),
        help_text=_(
            "A GeoJSON Polygon or MultiPolygon (or a Feature holding one), positions as "
            "[longitude, latitude], e.g. drawn on geojson.io and copied here."
        ),
    )
    crs = forms.ChoiceField(label=_("Coordinates from"), choices=CRS_CHOICES, initial="wgs84")
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, user: Any, area: KeyArea | None = None, **kwargs: Any) -> None:
        if area is not None and not args and "data" not in kwargs:
            kwargs["initial"] = {
                "name": area.name,
                "region": area.region_id,
                "outline": json.dumps(area.geometry, ensure_ascii=False),
                "note": area.note,
            }
        super().__init__(*args, **kwargs)
        regions = [
            r
            for r in Region.objects.visible_to(user).filter(level__in=AREA_LEVELS).order_by("path")
            if user.has_perm("command.manage_key_areas", r)
        ]
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in regions]
        ).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = data.get("region")
        try:
            if data.get("use_boundary"):
                if region is None:
                    return data
                if not region.boundary:
                    raise OutlineError(str(_("This region has no boundary; paste an outline.")))
                data["geometry"] = checked(region.boundary)
            else:
                data["geometry"] = parse_outline(
                    data.get("outline", ""), crs=data.get("crs", "wgs84")
                )
        except OutlineError as exc:
            self.add_error("use_boundary" if data.get("use_boundary") else "outline", str(exc))
        return data

    def area_data(self) -> KeyAreaData:
        d = self.cleaned_data
        return KeyAreaData(
            name=d["name"], region=d["region"], geometry=d["geometry"], note=d.get("note", "")
        )
