"""The office's forms (events, clause deadlines, task series) and the unit's "done" form.

Choices are limited to what the user may see; the domain checks everything again.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.agenda.domain.events import EventData, parse_remind_days
from chuangcheng.agenda.domain.tasks import NOTE_MAX, SeriesData
from chuangcheng.agenda.enums import LAST_DAY, EventKind, Frequency, Weekday
from chuangcheng.agenda.models import CalendarEvent, EventPartner, SeriesUnit, TaskSeries
from chuangcheng.frameworks.enums import FrameworkStatus, Method, NodeLevel
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
MANAGED_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


class ClauseChoice(forms.ModelChoiceField[Node]):
    def label_from_instance(self, obj: Any) -> str:
        return clause_label(obj)


class ClausesChoice(forms.ModelMultipleChoiceField[Node]):
    def label_from_instance(self, obj: Any) -> str:
        return clause_label(obj)


class UnitsChoice(forms.ModelMultipleChoiceField[Unit]):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.short_name or obj.name)


def clause_label(node: Node) -> str:
    """``公益广告宣传 · 1. 主次干道…`` (the content above, the standard's number and text)."""
    head = f"{node.parent.text[:14]} · " if node.parent_id and node.parent else ""
    return f"{head}{node.number} {node.text[:36]}".strip()


def clauses() -> QuerySet[Node]:
    """Standards of the frameworks in force, in tree order."""
    return (
        Node.objects.filter(framework__status=FrameworkStatus.ACTIVE, level=NodeLevel.STANDARD)
        .select_related("parent")
        .order_by("framework_id", "seq")
    )


def material_clauses() -> QuerySet[Node]:
    """Standards in force assessed by material review (材料审核) that have a unit to remind."""
    ids = [
        pk
        for pk, methods, lead in clauses().values_list("pk", "methods", "lead_unit_id")
        if Method.MATERIAL in (methods or []) and lead
    ]
    return clauses().filter(pk__in=ids)


def units_for(user: Any) -> QuerySet[Unit]:
    return Unit.objects.visible_to(user).filter(active=True).order_by("kind", "path")


def managed_regions(user: Any) -> QuerySet[Region]:
    """The district and street regions where the user keeps the calendar, broadest first."""
    candidates = Region.objects.visible_to(user).filter(level__in=MANAGED_LEVELS).order_by("path")
    ids = [r.pk for r in candidates if user.has_perm("agenda.manage_calendar", r)]
    return Region.objects.filter(pk__in=ids).order_by("path")


def _region_field() -> forms.ModelChoiceField[Region]:
    return forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        empty_label=None,
        help_text=_("Who oversees it: the district, or one street."),
    )


class EventForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    start_date = forms.DateField(label=pgettext_lazy("agenda", "Date"), widget=DATE)
    end_date = forms.DateField(
        label=_("Until"),
        widget=DATE,
        required=False,
        help_text=_("For an event over several days."),
    )
    start_time = forms.TimeField(
        label=_("From (time)"), widget=TIME, required=False, help_text=_("Empty: all day.")
    )
    end_time = forms.TimeField(label=_("To (time)"), widget=TIME, required=False)
    clause = ClauseChoice(
        label=_("Framework clause"),
        queryset=Node.objects.none(),
        required=False,
        empty_label=_("No clause"),
        help_text=_("With no unit chosen, the clause's lead and partner units are taken."),
    )
    lead_unit = forms.ModelChoiceField(
        label=_("Lead unit (牵头单位)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("No lead unit"),
    )
    partner_units = UnitsChoice(
        label=_("Partner units (配合单位)"),
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = _region_field()
    general = forms.BooleanField(
        label=_("Show to every unit of the region"),
        required=False,
        help_text=_("For an event without responsible units, such as the assessment window."),
    )
    remind_days = forms.CharField(
        label=_("Remind days before"),
        required=False,
        initial="7 3 1",
        help_text=_("Days before the date the units are reminded, e.g. 7 3 1; empty: never."),
    )
    description = forms.CharField(
        label=pgettext_lazy("agenda", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args: Any, user: Any, event: CalendarEvent | None = None, **kw: Any):
        if event is not None and "initial" not in kw:
            kw["initial"] = {
                "title": event.title,
                "kind": event.kind,
                "start_date": event.start_date,
                "end_date": event.end_date,
                "start_time": event.start_time,
                "end_time": event.end_time,
                "clause": event.clause_id,
                "lead_unit": event.lead_unit_id,
                "partner_units": list(
                    EventPartner.objects.filter(event=event).values_list("unit_id", flat=True)
                ),
                "region": event.region_id,
                "general": event.general,
                "remind_days": " ".join(str(d) for d in event.remind_days or []),
                "description": event.description,
            }
        super().__init__(*args, **kw)
        units = units_for(user)
        self.fields["clause"].queryset = clauses()  # type: ignore[attr-defined]
        self.fields["lead_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["partner_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["region"].queryset = managed_regions(user)  # type: ignore[attr-defined]

    def clean_remind_days(self) -> list[int]:
        return parse_remind_days(self.cleaned_data.get("remind_days") or "")

    def data_object(self) -> EventData:
        c = self.cleaned_data
        return EventData(
            title=c["title"],
            kind=c["kind"],
            start_date=c["start_date"],
            end_date=c["end_date"],
            start_time=c["start_time"],
            end_time=c["end_time"],
            clause=c["clause"],
            lead_unit=c["lead_unit"],
            partner_units=list(c["partner_units"]),
            region=c["region"],
            general=c["general"],
            remind_days=c["remind_days"],
            description=c["description"],
        )


class GenerateForm(forms.Form):
    """Material deadlines of several clauses at once, for their lead and partner units."""

    clauses = ClausesChoice(
        label=_("Clauses (material review)"),
        queryset=Node.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one clause.")},
    )
    deadline = forms.DateField(label=pgettext_lazy("agenda", "Deadline"), widget=DATE)
    region = _region_field()
    remind_days = forms.CharField(
        label=_("Remind days before"), required=False, initial="7 3 1", help_text=_("e.g. 7 3 1")
    )

    def __init__(self, *args: Any, user: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["clauses"].queryset = material_clauses()  # type: ignore[attr-defined]
        self.fields["region"].queryset = managed_regions(user)  # type: ignore[attr-defined]

    def clean_remind_days(self) -> list[int]:
        return parse_remind_days(self.cleaned_data.get("remind_days") or "")


def month_day_choices() -> list[tuple[int, Any]]:
    return [(LAST_DAY, _("Last day of the month")), *((d, str(d)) for d in range(1, 32))]


class SeriesForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("What to do"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    clause = ClauseChoice(
        label=_("Framework clause"),
        queryset=Node.objects.none(),
        required=False,
        empty_label=_("No clause"),
    )
    frequency = forms.ChoiceField(
        label=_("Recurs"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        initial=Frequency.DAILY,
    )
    weekday = forms.TypedChoiceField(
        label=_("Weekday (weekly)"),
        choices=[("", "—"), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    month_day = forms.TypedChoiceField(
        label=_("Day of the month (monthly)"),
        choices=[("", "—"), *month_day_choices()],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("A day the month does not have falls on its last day."),
    )
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE, required=False)
    due_time = forms.TimeField(label=_("Due at"), widget=TIME, initial=dt.time(18, 0))
    units = UnitsChoice(
        label=_("Assigned units"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Assign the task to at least one unit.")},
    )
    region = _region_field()
    active = forms.BooleanField(
        label=pgettext_lazy("agenda", "Active"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, series: TaskSeries | None = None, **kw: Any):
        if series is not None and "initial" not in kw:
            kw["initial"] = {
                "title": series.title,
                "description": series.description,
                "clause": series.clause_id,
                "frequency": series.frequency,
                "weekday": series.weekday,
                "month_day": series.month_day,
                "start_date": series.start_date,
                "end_date": series.end_date,
                "due_time": series.due_time,
                "units": list(
                    SeriesUnit.objects.filter(series=series).values_list("unit_id", flat=True)
                ),
                "region": series.region_id,
                "active": series.active,
            }
        super().__init__(*args, **kw)
        self.fields["clause"].queryset = clauses()  # type: ignore[attr-defined]
        self.fields["units"].queryset = units_for(user)  # type: ignore[attr-defined]
        self.fields["region"].queryset = managed_regions(user)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        c = super().clean() or {}
        if c.get("frequency") == Frequency.WEEKLY and c.get("weekday") is None:
            self.add_error(
                "weekday", ValidationError(_("A weekly task needs the weekday it is due."))
            )
        if c.get("frequency") == Frequency.MONTHLY and c.get("month_day") is None:
            self.add_error(
                "month_day",
                ValidationError(_("A monthly task needs the day of the month it is due.")),
            )
        return c

    def data_object(self) -> SeriesData:
        c = self.cleaned_data
        return SeriesData(
            title=c["title"],
            description=c["description"],
            clause=c["clause"],
            frequency=c["frequency"],
            weekday=c["weekday"],
            month_day=c["month_day"],
            start_date=c["start_date"],
            end_date=c["end_date"],
            due_time=c["due_time"],
            units=list(c["units"]),
            region=c["region"],
            active=c["active"],
        )


class DoneForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.TextInput(attrs={"placeholder": _("Optional note")}),
    )
