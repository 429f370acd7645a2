"""Forms of the wish pages. They parse; :mod:`chuangcheng.practice.domain.wishes` decides."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.orgs.models import Unit
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION, WishData
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Household, PracticeSite, Wish

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RATINGS = [(n, str(n)) for n in (5, 4, 3, 2, 1)]


class WishFields(forms.Form):
    """What is wished for and for whom: the same fields on the account and public pages."""

    title = forms.CharField(
        label=_("What is wished for"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. a reading lamp, a haircut at home")}),
        help_text=_("Shown on the wish wall: no names, addresses or phone numbers here."),
    )
    description = forms.CharField(
        label=pgettext_lazy("wish", "Details"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Also seen by volunteers on the wish's page: keep personal data out."),
    )
    beneficiary_name = forms.CharField(
        label=pgettext_lazy("wish", "For whom"),
        max_length=40,
        help_text=_("Only station staff and whoever claims the wish see the name."),
    )
    beneficiary_phone = forms.CharField(
        label=pgettext_lazy("wish", "Phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        help_text=_("Stored encrypted; staff see it masked."),
    )
    due_on = forms.DateField(label=pgettext_lazy("wish", "Wanted by"), required=False, widget=DATE)
    notice = forms.BooleanField(
        label=_("I have read the privacy notice and agree to it."),
        error_messages={"required": _("Please read and accept the privacy notice.")},
    )

    def wish_data(self, household: Household | None = None) -> WishData:
        d = self.cleaned_data
        return WishData(
            title=d["title"],
            description=d.get("description", ""),
            beneficiary_name=d["beneficiary_name"],
            beneficiary_phone=d.get("beneficiary_phone", ""),
            due_on=d.get("due_on"),
            household=household,
            notice_version=NOTICE_VERSION if d.get("notice") else "",
        )


class WishForm(WishFields):
    """A wish made from an account: the station (one the user may see) and, for staff, the
    household it is for (by its number, among the households they may see)."""

    site = forms.ModelChoiceField(
        label=pgettext_lazy("wish", "Station"), queryset=PracticeSite.objects.none()
    )
    household = forms.CharField(
        label=pgettext_lazy("wish", "Household number"),
        required=False,
        max_length=40,
        help_text=_(
            "Optional. Members of the household may then rate the wish from their accounts."
        ),
    )

    field_order = ["site", "title", "description", "beneficiary_name", "beneficiary_phone"]

    def __init__(
        self,
        *args: Any,
        sites: QuerySet[PracticeSite],
        households: QuerySet[Household] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]
        self.households = households
        if households is None:
            del self.fields["household"]

    def clean_household(self) -> Household | None:
        code = (self.cleaned_data.get("household") or "").strip()
        if not code or self.households is None:
            return None
        found = self.households.filter(code=code).first()
        if found is None:
            raise forms.ValidationError(_("There is no household with this number."))
        return found


class ClaimForm(forms.Form):
    """For whom a unit's user claims: one of their units (none: for themselves, as a
    volunteer)."""

    unit = forms.ModelChoiceField(
        label=pgettext_lazy("wish", "Claim for"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, units: Sequence[Unit] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            pk__in=[u.pk for u in units]
        )


class FulfilForm(forms.Form):
    note = forms.CharField(
        label=pgettext_lazy("wish", "What was done"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you?"),
        choices=RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("wish", "Comment"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=pgettext_lazy("wish", "Reason"), max_length=200, required=False)


FILTERS = (
    ("todo", pgettext_lazy("wish filter", "To review")),
    ("open", pgettext_lazy("wish filter", "On the wall")),
    ("claimed", pgettext_lazy("wish filter", "Claimed")),
    ("overdue", pgettext_lazy("wish filter", "Overdue")),
    ("done", pgettext_lazy("wish filter", "Fulfilled")),
    ("cancelled", pgettext_lazy("wish filter", "Cancelled")),
    ("all", pgettext_lazy("wish filter", "All")),
)


def overdue_q(today: Any = None) -> Q:
    """Still open (submitted, on the wall or claimed) and the wanted-by date has passed."""
    today = today or timezone.localdate()
    return Q(
        status__in=[WishStatus.SUBMITTED, WishStatus.PUBLISHED, WishStatus.CLAIMED],
        due_on__lt=today,
    )


TAB_STATUSES: dict[str, list[str]] = {
    "todo": [WishStatus.SUBMITTED],
    "open": [WishStatus.PUBLISHED],
    "claimed": [WishStatus.CLAIMED],
    "done": [WishStatus.FULFILLED, WishStatus.RATED],
    "cancelled": [WishStatus.CANCELLED],
}


def filter_q(key: str) -> Q:
    """The wishes of one tab of the station's list ("all" and unknown keys: every wish)."""
    if key == "overdue":
        return overdue_q()
    if key in TAB_STATUSES:
        return Q(status__in=TAB_STATUSES[key])
    return Q()


class ManageFilterForm(forms.Form):
    """The station's list: which wishes (a tab), the station, and a search by number or
    title."""

    show = forms.ChoiceField(choices=FILTERS, required=False)
    site = forms.ModelChoiceField(
        label=pgettext_lazy("wish", "Station"),
        queryset=PracticeSite.objects.none(),
        required=False,
        empty_label=_("All stations"),
    )
    q = forms.CharField(
        label=pgettext_lazy("wish", "Number or wish"), required=False, max_length=80
    )

    def __init__(self, *args: Any, sites: QuerySet[PracticeSite], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def tab(self) -> str:
        if self.is_valid():
            return str(self.cleaned_data.get("show") or "todo")
        return "todo"

    def apply(self, rows: QuerySet[Wish]) -> QuerySet[Wish]:
        rows = rows.filter(filter_q(self.tab()))
        if not self.is_valid():
            return rows
        site = self.cleaned_data.get("site")
        if site is not None:
            rows = rows.filter(site=site)
        q = (self.cleaned_data.get("q") or "").strip()
        if q:
            rows = rows.filter(Q(code__icontains=q) | Q(title__icontains=q))
        return rows
