"""Forms of the case pages. They only parse (choices, dates, files); what is required and
what is allowed is the domain's to say, so pages and API give the same messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.cases.enums import CaseSource, Priority
from chuangcheng.cases.models import Category
from chuangcheng.orgs.enums import UnitKind
from chuangcheng.orgs.models import Unit

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
NOTE = forms.Textarea(attrs={"rows": 3})


def category_choices(categories: Sequence[Category]) -> list[Any]:
    """Subclasses grouped under their class (rendered as <optgroup>)."""
    groups: dict[str, list[tuple[int, str]]] = {}
    for c in categories:
        label = f"{c.parent.get_kind_display()} · {c.parent.name}" if c.parent else c.name
        groups.setdefault(label, []).append((c.pk, f"{c.code} {c.name}"))
    return [("", "—"), *groups.items()]


def unit_choices(units: Sequence[Unit], blank: bool = True) -> list[Any]:
    groups: dict[str, list[tuple[int, str]]] = {}
    labels = dict(UnitKind.choices)
    for u in units:
        groups.setdefault(str(labels.get(u.kind, u.kind)), []).append((u.pk, u.name))
    return ([("", "—")] if blank else []) + list(groups.items())


class ChoiceObjects(forms.Form):
    """A form whose choice fields pick from given objects; ``obj(name)`` returns the object."""

    def __init__(self, *args: Any, objects: dict[str, dict[int, Any]] | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self._objects = objects or {}

    def obj(self, name: str) -> Any:
        value = self.cleaned_data.get(name)
        if value in (None, ""):
            return None
        return self._objects[name].get(int(value))

    def objs(self, name: str) -> list[Any]:
        return [self._objects[name][int(v)] for v in self.cleaned_data.get(name) or []]


def _by_pk(items: Sequence[Any]) -> dict[int, Any]:
    return {i.pk: i for i in items}


class DispatchForm(ChoiceObjects):
    """立案并派遣 / 仅立案: confirm the category, choose the lead and partner units."""

    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("As the category says")), *Priority.choices],
        required=False,
    )
    lead = forms.TypedChoiceField(label=_("Lead unit (主办)"), coerce=int, required=False)
    partners = forms.TypedMultipleChoiceField(
        label=_("Partner units (协办)"), coerce=int, required=False
    )
    due_at = forms.DateTimeField(
        label=_("Deadline"),
        required=False,
        widget=DATETIME,
        help_text=_("Leave empty to use the category's time limit."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE)

    def __init__(
        self, *args: Any, categories: Sequence[Category], units: Sequence[Unit], **kw: Any
    ) -> None:
        super().__init__(
            *args,
            objects={
                "category": _by_pk(categories),
                "lead": _by_pk(units),
                "partners": _by_pk(units),
            },
            **kw,
        )
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]
        self.fields["lead"].choices = unit_choices(units)  # type: ignore[attr-defined]
        self.fields["partners"].choices = unit_choices(units, blank=False)  # type: ignore[attr-defined]


class ReasonForm(forms.Form):
    """不予立案, 缓办: a reason, required by the domain."""

    reason = forms.CharField(label=_("Reason"), required=False, widget=NOTE)


class ReopenForm(ChoiceObjects):
    reason = forms.CharField(label=_("Reason"), required=False, widget=NOTE)
    category = forms.TypedChoiceField(
        label=_("Category"),
        coerce=int,
        required=False,
        help_text=_("Needed when the case has none yet."),
    )

    def __init__(self, *args: Any, categories: Sequence[Category], **kw: Any) -> None:
        super().__init__(*args, objects={"category": _by_pk(categories)}, **kw)
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Duplicate of"), coerce=int, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE)

    def __init__(self, *args: Any, choices: Sequence[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["into"].choices = [("", "—"), *choices]  # type: ignore[attr-defined]


class ForUnitForm(ChoiceObjects):
    """A step a unit takes: ``unit`` is one of the units the user acts for on this case."""

    unit = forms.TypedChoiceField(label=_("For unit"), coerce=int, required=False)

    def __init__(self, *args: Any, units: Sequence[Unit], **kw: Any) -> None:
        super().__init__(*args, objects={"unit": _by_pk(units)}, **kw)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


class FeedbackForm(ForUnitForm):
    """处置反馈: what was done, for which unit, with after-photos (read from request.FILES)."""

    text = forms.CharField(label=_("What was done"), required=False, widget=NOTE)


class VerifyForm(forms.Form):
    """核查: pass or fail is the button pressed; a failure needs a note."""

    note = forms.CharField(label=_("Re-check note"), required=False, widget=NOTE)


class ResumeForm(ChoiceObjects):
    due_at = forms.DateTimeField(
        label=_("New deadline"),
        required=False,
        widget=DATETIME,
        help_text=_("Leave empty to use the category's time limit from now."),
    )
    lead = forms.TypedChoiceField(
        label=_("Lead unit (主办)"),
        coerce=int,
        required=False,
        help_text=_("Only for a case suspended before it was dispatched."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE)

    def __init__(self, *args: Any, units: Sequence[Unit], **kw: Any) -> None:
        super().__init__(*args, objects={"lead": _by_pk(units)}, **kw)
        self.fields["lead"].choices = unit_choices(units)  # type: ignore[attr-defined]


class ExtensionAskForm(ForUnitForm):
    new_due_at = forms.DateTimeField(label=_("New deadline asked"), widget=DATETIME)
    reason = forms.CharField(label=_("Reason"), required=False, widget=NOTE)


class ExtensionDecideForm(forms.Form):
    note = forms.CharField(label=_("Note"), required=False, widget=NOTE)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), required=False, widget=NOTE)


class HotlineForm(ChoiceObjects):
    """A case taken from a call (12345) or an order from above, entered by staff."""

    source = forms.ChoiceField(
        label=_("Source"),
        choices=[
            (CaseSource.SUPERIOR, CaseSource.SUPERIOR.label),
            (CaseSource.HOTLINE, CaseSource.HOTLINE.label),
        ],
        # Calls have their own page (report:hotline, with the map and the ticket check); this
        # form serves orders from above first, and calls passed on in writing.
        initial=CaseSource.SUPERIOR,
    )
    description = forms.CharField(label=_("Problem"), required=False, widget=NOTE)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False)
    point = forms.CharField(
        label=_("Point code"), required=False, help_text=_("If the place is an inspection point.")
    )
    street = forms.TypedChoiceField(label=_("Street"), coerce=int, required=False)
    address = forms.CharField(label=_("Address"), required=False, max_length=200)
    reporter_name = forms.CharField(label=_("Caller's name"), required=False, max_length=60)
    reporter_phone = forms.CharField(
        label=_("Caller's phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}),
    )
    external_id = forms.CharField(label=_("Ticket number"), required=False, max_length=60)

    def clean_reporter_phone(self) -> str:
        phone = "".join(ch for ch in self.cleaned_data.get("reporter_phone", "") if ch.isdigit())
        if phone and not 7 <= len(phone) <= 15:
            raise forms.ValidationError(_("Enter a phone number of 7 to 15 digits."))
        return phone

    def __init__(
        self, *args: Any, categories: Sequence[Category], streets: Sequence[Any], **kw: Any
    ) -> None:
        super().__init__(
            *args, objects={"category": _by_pk(categories), "street": _by_pk(streets)}, **kw
        )
        self.fields["category"].choices = category_choices(categories)  # type: ignore[attr-defined]
        self.fields["street"].choices = [("", "—"), *[(s.pk, s.name) for s in streets]]  # type: ignore[attr-defined]
