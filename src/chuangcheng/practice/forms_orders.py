"""Forms of the order pages. They parse and show errors; the domain (``domain/orders*.py``)
decides. The category and the hours are big tap targets on a phone (radio tiles)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.practice.domain.orders import NOTICE_VERSION, DayPart, OrderInput
from chuangcheng.practice.domain.orders_complete import MAX_NOTE
from chuangcheng.practice.domain.orders_flow import MAX_COMMENT, MAX_REASON
from chuangcheng.practice.models import Household, PracticeSite, ServiceCategory

WHEN_CHOICES = [
    ("", pgettext_lazy("order time", "Any time")),
    (DayPart.AM, pgettext_lazy("order time", "Morning")),
    (DayPart.PM, pgettext_lazy("order time", "Afternoon")),
    (DayPart.EVE, pgettext_lazy("order time", "Evening")),
]
# Hours a volunteer picks with one tap when completing an order.
HOUR_PRESETS = ("0.5", "1", "1.5", "2", "3", "4")
STARS = [(n, str(n)) for n in range(5, 0, -1)]


def categories() -> Any:
    return ServiceCategory.objects.filter(active=True).order_by("seq", "code")


class CategoryTiles(forms.RadioSelect):
    template_name = "practice/orders/_tiles.html"
    option_template_name = "practice/orders/_tile.html"


class OrderFields(forms.Form):
    """What every order form asks: the service, what and when."""

    category = forms.ModelChoiceField(
        label=_("Service"),
        queryset=ServiceCategory.objects.none(),
        widget=CategoryTiles,
        empty_label=None,
        error_messages={"required": _("Choose a service.")},
    )
    description = forms.CharField(
        label=_("What is needed"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    wanted_on = forms.DateField(
        label=_("Day"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for as soon as possible."),
    )
    wanted_time = forms.ChoiceField(
        label=_("Time of day"),
        required=False,
        choices=WHEN_CHOICES,
        widget=forms.RadioSelect(attrs={"class": "po-chip"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories()  # type: ignore[attr-defined]
        self.fields["wanted_on"].widget.attrs["min"] = timezone.localdate().isoformat()

    def order_input(self, **extra: Any) -> OrderInput:
        d = self.cleaned_data
        return OrderInput(
            category=d["category"],
            description=d.get("description", ""),
            wanted_on=d.get("wanted_on"),
            wanted_time=d.get("wanted_time", ""),
            requester_name=d.get("requester_name", ""),
            requester_phone=d.get("requester_phone", ""),
            address=d.get("address", ""),
            notice_version=NOTICE_VERSION if d.get("notice") else "",
            **extra,
        )


def _person_fields(form: forms.Form, *, phone_required: bool) -> None:
    form.fields["requester_name"] = forms.CharField(
        label=pgettext_lazy("person", "Name"), max_length=40
    )
    form.fields["requester_phone"] = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=phone_required,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Stored encrypted; only the station and your volunteer see it."),
    )


def _notice_field(form: forms.Form) -> None:
    form.fields["notice"] = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."),
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )


class PublicOrderForm(OrderFields):
    """The QR page (/p/o/<token>/). At a household's door the name and phone are the
    household's and not asked."""

    def __init__(self, *args: Any, household: Household | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if household is None:
            _person_fields(self, phone_required=True)
            self.fields["address"] = forms.CharField(
                label=_("Address"), max_length=200, required=False
            )
        _notice_field(self)


class AccountOrderForm(OrderFields):
    """The order page for a signed-in resident or volunteer (/practice/orders/new/)."""

    site = forms.ModelChoiceField(
        label=_("Station"), queryset=PracticeSite.objects.none(), empty_label="—"
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    pay_with_hours = forms.BooleanField(
        label=_("Pay with my banked hours (时间银行)"),
        required=False,
        help_text=_("For your family: the hours served are taken from your time bank account."),
    )

    def __init__(self, *args: Any, sites: Any, volunteer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        _person_fields(self, phone_required=False)
        _notice_field(self)
        if not volunteer:
            del self.fields["pay_with_hours"]


class StaffOrderForm(OrderFields):
    """Station staff order for a resident (an elder who called or came by)."""

    site = forms.ModelChoiceField(
        label=_("Station"), queryset=PracticeSite.objects.none(), empty_label="—"
    )
    household = forms.CharField(
        label=_("Household number"),
        max_length=40,
        required=False,
        help_text=_("Optional: the name, phone and address default to the household's."),
    )
    address = forms.CharField(label=_("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, sites: Any, households: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self._households = households
        _person_fields(self, phone_required=False)
        self.fields["requester_name"].required = False

    def clean_household(self) -> Household | None:
        code = (self.cleaned_data.get("household") or "").strip()
        if not code:
            return None
        found = self._households.filter(code=code, active=True).first()
        if found is None:
            raise forms.ValidationError(_("No household with this number."))
        return found  # type: ignore[no-any-return]


def station_sites(qs: Any) -> Any:
    """Sites shown first by kind: stations, then institutes and centres."""
    return qs.filter(active=True).order_by("-kind", "region__path").select_related("region")


class CompleteForm(forms.Form):
    """圆单: tap an hours preset (or type the hours), a short note, photos (read by the view)."""

    hours = forms.DecimalField(
        label=_("Hours served"),
        min_value=Decimal("0.1"),
        max_value=Decimal("24"),
        decimal_places=1,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )
    note = forms.CharField(
        label=pgettext_lazy("service order", "What was done"),
        required=False,
        max_length=MAX_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=STARS,
        coerce=int,
        widget=forms.RadioSelect(attrs={"class": "po-star"}),
        error_messages={"required": _("Tap 1 to 5 stars.")},
    )
    comment = forms.CharField(
        label=pgettext_lazy("rating", "Comment"),
        required=False,
        max_length=MAX_COMMENT,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=MAX_REASON)


class DispatchForm(forms.Form):
    """派单 / reassign: one volunteer, one team, or open to volunteers (ids checked by the view
    against what the user may dispatch to)."""

    volunteer = forms.IntegerField(required=False, widget=forms.HiddenInput)
    team = forms.IntegerField(label=_("Team"), required=False)
    open = forms.BooleanField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for reassigning"), max_length=MAX_REASON, required=False
    )
