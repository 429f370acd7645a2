"""Forms of the two banks' pages: they validate input; the domain decides and writes."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.practice.enums import Book

WEEKDAYS = (
    (0, pgettext_lazy("weekday", "Monday")),
    (1, pgettext_lazy("weekday", "Tuesday")),
    (2, pgettext_lazy("weekday", "Wednesday")),
    (3, pgettext_lazy("weekday", "Thursday")),
    (4, pgettext_lazy("weekday", "Friday")),
    (5, pgettext_lazy("weekday", "Saturday")),
    (6, pgettext_lazy("weekday", "Sunday")),
)
WINDOW_ROWS = 4


def new_ref() -> str:
    """A one-time token for a form that moves points: sent twice, it is acted on once."""
    return uuid.uuid4().hex


class ConventionItemForm(forms.Form):
    code = forms.SlugField(label=pgettext_lazy("bank", "Code"), max_length=32)
    title = forms.CharField(label=pgettext_lazy("bank", "Item"), max_length=120)
    description = forms.CharField(
        label=pgettext_lazy("bank", "Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    points = forms.IntegerField(label=pgettext_lazy("bank", "Points"), min_value=1, max_value=10000)
    monthly_cap = forms.IntegerField(
        label=_("Times per month (0 = no limit)"),
        min_value=0,
        max_value=100,
        initial=0,
        help_text=_("How often one household or volunteer may earn it in a month."),
    )
    seq = forms.IntegerField(
        label=pgettext_lazy("bank", "Order"), min_value=0, max_value=999, initial=0
    )
    active = forms.BooleanField(label=pgettext_lazy("bank", "In use"), required=False, initial=True)


class AwardForm(forms.Form):
    item: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Convention item"), queryset=None, widget=forms.RadioSelect, empty_label=None
    )
    note = forms.CharField(
        label=_("What they did"),
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. sorted the rubbish at the door")}),
    )
    photo = forms.FileField(
        label=_("Evidence photo (optional)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )
    ref = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args: Any, items: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = items
        field.label_from_instance = lambda obj: obj.title  # type: ignore[method-assign]
        if not self.is_bound:
            self.initial.setdefault("ref", new_ref())


class RedeemForm(forms.Form):
    goods = forms.IntegerField(widget=forms.HiddenInput)
    quantity = forms.IntegerField(
        label=pgettext_lazy("bank", "Quantity"), min_value=1, max_value=99, initial=1
    )
    ref = forms.CharField(widget=forms.HiddenInput, max_length=64)


class GoodsForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("bank", "Name"), max_length=80)
    description = forms.CharField(
        label=pgettext_lazy("bank", "Description"), max_length=200, required=False
    )
    price = forms.IntegerField(label=_("Price in points"), min_value=1, max_value=100000)
    stock = forms.IntegerField(label=_("Opening stock"), min_value=0, max_value=100000, initial=0)
    active = forms.BooleanField(
        label=pgettext_lazy("bank", "On the shelf"), required=False, initial=True
    )


class StockForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Add (or remove with a minus sign)"), min_value=-100000, max_value=100000
    )
    reason = forms.CharField(label=pgettext_lazy("bank", "Reason"), max_length=200)


class RulesForm(forms.Form):
    """The minimum balance and up to four weekly windows (rows left empty are dropped)."""

    min_balance = forms.IntegerField(
        label=_("Minimum balance to redeem"), min_value=0, max_value=100000, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(WINDOW_ROWS):
            self.fields[f"w{i}_day"] = forms.TypedChoiceField(
                label=pgettext_lazy("bank", "Weekday"),
                choices=[("", "—"), *WEEKDAYS],
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"w{i}_from"] = forms.TimeField(
                label=pgettext_lazy("bank", "From"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )
            self.fields[f"w{i}_until"] = forms.TimeField(
                label=pgettext_lazy("bank", "Until"),
                required=False,
                widget=forms.TimeInput(attrs={"type": "time"}),
            )

    def rows(self) -> list[list[Any]]:
        return [
            [self[f"w{i}_day"], self[f"w{i}_from"], self[f"w{i}_until"]] for i in range(WINDOW_ROWS)
        ]

    def windows(self) -> list[tuple[int, dt.time, dt.time]]:
        found = []
        for i in range(WINDOW_ROWS):
            day = self.cleaned_data.get(f"w{i}_day")
            starts = self.cleaned_data.get(f"w{i}_from")
            ends = self.cleaned_data.get(f"w{i}_until")
            if day is not None and starts and ends:
                found.append((int(day), starts, ends))
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(WINDOW_ROWS):
            parts = [data.get(f"w{i}_day"), data.get(f"w{i}_from"), data.get(f"w{i}_until")]
            filled = [p is not None for p in parts]
            if any(filled) and not all(filled):
                self.add_error(f"w{i}_day", _("Give the weekday, from and until."))
            elif all(filled) and parts[2] <= parts[1]:  # type: ignore[operator]
                self.add_error(f"w{i}_until", _("A window ends after it starts."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("bank", "Reason"), max_length=200)


class PeriodForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("bank", "From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=pgettext_lazy("bank", "Until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    @staticmethod
    def default() -> tuple[dt.date, dt.date]:
        """Twelve months: from the first day of the month eleven months ago to today."""
        today = timezone.localdate()
        year, month = today.year, today.month - 11
        if month <= 0:
            year, month = year - 1, month + 12
        return dt.date(year, month, 1), today

    def period(self) -> tuple[dt.date, dt.date]:
        if self.is_valid() and self.cleaned_data["start"] <= self.cleaned_data["end"]:
            return self.cleaned_data["start"], self.cleaned_data["end"]
        return self.default()


class AccountFilterForm(forms.Form):
    book = forms.ChoiceField(
        label=pgettext_lazy("bank", "Book"), choices=Book.choices, required=False
    )
    kind = forms.ChoiceField(
        label=pgettext_lazy("bank", "Owner"),
        required=False,
        choices=[
            ("", _("Households and volunteers")),
            ("household", pgettext_lazy("bank", "Households")),
            ("volunteer", pgettext_lazy("bank", "Volunteers")),
            ("system", _("Bank's own accounts")),
        ],
    )
    region = forms.ChoiceField(label=pgettext_lazy("bank", "Community"), required=False, choices=[])
    q = forms.CharField(label=pgettext_lazy("bank", "Search"), required=False, max_length=60)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", pgettext_lazy("bank", "All")), *regions]
