"""Forms of the report pages: 随手拍 (phone) and hotline entry. They parse; the domain
(:mod:`chuangcheng.cases.domain.reporting`) decides."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from chuangcheng.cases.domain.intake import MAX_DESCRIPTION, CaseData
from chuangcheng.cases.enums import CaseSource, Priority
from chuangcheng.cases.models import Category
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point

MAX_PHOTOS = 6
SIX_PLACES = Decimal("0.000001")
PHONE = re.compile(r"^(1\d{10}|0\d{2,3}-?\d{7,8}|\d{7,8})$")


def subclasses() -> Any:
    return (
        Category.objects.filter(active=True, parent__isnull=False, parent__active=True)
        .select_related("parent")
        .order_by("parent__kind", "parent__seq", "seq", "code")
    )


def _coordinate(raw: Any, low: int, high: int, message: Any) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw)).quantize(SIX_PLACES, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise forms.ValidationError(message) from exc
    if not low <= value <= high:
        raise forms.ValidationError(message)
    return value


class PlaceFields(forms.Form):
    """A position (from GPS or the map) and an address; shared by both forms."""

    lng = forms.CharField(required=False, widget=forms.HiddenInput)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(
        label=_("Address or landmark"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("Not sure (staff will decide)"),
    )
    description = forms.CharField(
        label=_("What is the problem?"),
        max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = subclasses()  # type: ignore[attr-defined]

    def clean_lng(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("lng"), -180, 180, _("Invalid longitude."))

    def clean_lat(self) -> Decimal | None:
        return _coordinate(self.cleaned_data.get("lat"), -90, 90, _("Invalid latitude."))


class ReportForm(PlaceFields):
    """随手拍: photos (read by the view), position or point, category, description, notice."""

    point = forms.CharField(required=False, widget=forms.HiddenInput)
    notice = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."),
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )

    field_order = ["description", "category", "address", "point", "lng", "lat", "notice"]

    def clean_point(self) -> Point | None:
        code = (self.cleaned_data.get("point") or "").strip()
        if not code:
            return None
        # A point's code and name are printed on its public QR card: anyone may report there.
        point = (
            Point.objects.filter(code=code, active=True)
            .select_related("region", "territorial_unit", "line_unit", "type")
            .first()
        )
        if point is None:
            raise forms.ValidationError(
                _("There is no point with code %(code)s."), params={"code": code}
            )
        return point

    def case_data(self, user: Any) -> CaseData:
        d = self.cleaned_data
        return CaseData(
            source=CaseSource.RESIDENT,  # decided by the domain from the user's grants
            description=d["description"],
            category=d.get("category"),
            point=d.get("point"),
            lng=d.get("lng"),
            lat=d.get("lat"),
            address=d.get("address", ""),
            reporter=user,
            notice_version=settings.PRIVACY_NOTICE_VERSION,
        )


class HotlineForm(PlaceFields):
    """A 12345 call taken down by office staff."""

    caller_name = forms.CharField(label=_("Caller's name"), required=False, max_length=60)
    caller_phone = forms.CharField(
        label=_("Caller's phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
        help_text=_("Stored encrypted; shown masked."),
    )
    external_id = forms.CharField(label=_("12345 ticket number"), required=False, max_length=60)
    region = forms.ModelChoiceField(
        label=_("Street or community"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Not chosen"),
        help_text=_("Needed when no position is picked on the map."),
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.NORMAL
    )

    field_order = [
        "caller_name",
        "caller_phone",
        "external_id",
        "description",
        "category",
        "priority",
        "region",
        "address",
        "lng",
        "lat",
    ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = (  # type: ignore[attr-defined]
            Region.objects.visible_to(user)
            .filter(level__in=[RegionLevel.STREET, RegionLevel.COMMUNITY])
            .order_by("path")
        )

    def clean_caller_phone(self) -> str:
        raw = re.sub(r"[\s()]", "", self.cleaned_data.get("caller_phone") or "")
        if raw and not PHONE.match(raw):
            raise forms.ValidationError(
                _("Enter a mobile number (11 digits) or a landline such as 010-65123456.")
            )
        return raw

    def case_data(self) -> CaseData:
        d = self.cleaned_data
        return CaseData(
            source=CaseSource.HOTLINE,
            description=d["description"],
            category=d.get("category"),
            lng=d.get("lng"),
            lat=d.get("lat"),
            region=d.get("region"),
            within=d.get("region"),
            address=d.get("address", ""),
            priority=d["priority"],
            reporter_name=d.get("caller_name", ""),
            reporter_phone=d.get("caller_phone", ""),
            external_id=d.get("external_id", ""),
        )
