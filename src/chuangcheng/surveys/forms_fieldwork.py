"""Forms of the fieldwork pages: the quota grid and the margins (many numbers posted by name),
the margins file, the responses filter, and voiding."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.fieldwork import CellKey, Dims
from chuangcheng.surveys.enums import Mode, ResponseState

NUMBER_MAX = 1_000_000_000


def cell_field(key: CellKey) -> str:
    """The input name of a grid cell: t-<street>-<band>-<sex>-<occupation index or "">."""
    return f"t-{key.street_id}-{key.age_band}-{key.sex}-{key.occupation}"


def dims_from(data: Mapping[str, Any], fallback: Dims, has_occupations: bool) -> Dims:
    """The grid's dimensions from the page's check boxes (``dims`` posted or in the query)."""
    if "dims" not in data and "shown" not in data:
        return fallback
    chosen = set(data.getlist("dims")) if hasattr(data, "getlist") else set(data.get("dims", []))
    return Dims(
        band="band" in chosen,
        sex="sex" in chosen,
        occupation=has_occupations and "occupation" in chosen,
    )


def _whole(text: str, low: int = 0) -> int | None:
    text = text.replace(",", "").strip()
    if not text.isdigit():
        return None
    value = int(text)
    return value if low <= value <= NUMBER_MAX else None


def parse_targets(
    data: Mapping[str, Any], keys: Sequence[CellKey]
) -> tuple[dict[CellKey, int], dict[str, str]]:
    """Targets by cell (a blank cell is 0) and errors by input name."""
    targets: dict[CellKey, int] = {}
    errors: dict[str, str] = {}
    for key in keys:
        name = cell_field(key)
        text = str(data.get(name, "") or "").strip()
        value = 0 if text == "" else _whole(text)
        if value is None:
            errors[name] = _("Give a whole number of responses.")
        else:
            targets[key] = value
    return targets, errors


def margin_field(dimension: str, value: str) -> str:
    return f"m-{dimension}-{value}"


def parse_margins(
    data: Mapping[str, Any], slots: Sequence[tuple[str, str, str]]
) -> tuple[dict[tuple[str, str], int | None], dict[str, str]]:
    """Populations by (dimension, value), None for a blank (removes it), and errors by name."""
    found: dict[tuple[str, str], int | None] = {}
    errors: dict[str, str] = {}
    for dimension, value, _label in slots:
        name = margin_field(dimension, value)
        text = str(data.get(name, "") or "").strip()
        if text == "":
            found[(dimension, value)] = None
            continue
        number = _whole(text)
        if number is None:
            errors[name] = _("Give the population as a whole number.")
        else:
            found[(dimension, value)] = number
    return found, errors


class MarginsFileForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("Columns: dimension (街道, 年龄段, 性别, 职业), value, population."),
    )


class VoidForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is the response void?"),
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("e.g. a test, a duplicate")}),
    )


class ResponseFilterForm(forms.Form):
    """Filters of the responses list; every choice comes from the survey itself."""

    state = forms.ChoiceField(required=False)
    mode = forms.ChoiceField(required=False)
    street = forms.ChoiceField(required=False)
    interviewer = forms.ChoiceField(required=False)
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(
        self,
        data: Any,
        *,
        streets: Sequence[Region],
        interviewers: Sequence[tuple[int, str]],
    ) -> None:
        super().__init__(data)
        every: list[tuple[str, Any]] = [("", _("Every"))]
        choices: dict[str, list[tuple[str, Any]]] = {
            "state": every + list(ResponseState.choices),
            "mode": every + list(Mode.choices),
            "street": every + [(str(s.pk), s.name) for s in streets],
            "interviewer": every
            + [("self", _("Public link"))]
            + [(str(pk), name) for pk, name in interviewers],
        }
        for name, options in choices.items():
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = options
        labels = {
            "state": _("State"),
            "mode": _("Mode"),
            "street": _("Street"),
            "interviewer": _("Interviewer"),
            "since": _("From"),
            "until": _("To"),
        }
        for name, label in labels.items():
            self.fields[name].label = label

    def apply(self, rows: Any) -> Any:
        if not self.is_valid():
            return rows
        data = self.cleaned_data
        if data["state"]:
            rows = rows.filter(state=data["state"])
        if data["mode"]:
            rows = rows.filter(mode=data["mode"])
        if data["street"]:
            rows = rows.filter(street_id=int(data["street"]))
        if data["interviewer"] == "self":
            rows = rows.filter(interviewer__isnull=True)
        elif data["interviewer"]:
            rows = rows.filter(interviewer_id=int(data["interviewer"]))
        since: dt.date | None = data["since"]
        until: dt.date | None = data["until"]
        if since:
            rows = rows.filter(started_at__date__gte=since)
        if until:
            rows = rows.filter(started_at__date__lte=until)
        return rows
