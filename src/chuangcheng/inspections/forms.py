"""The round form: settings, a quota per point type the framework checks, and inspectors.

The quota rows and the inspector list depend on the framework and region chosen; the page asks
for them again (htmx) when either changes, and the form re-checks them when saved.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chuangcheng.accounts.models import User
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections import queries
from chuangcheng.inspections.domain.planning import MAX_QUOTA, RoundData, eligible_inspectors
from chuangcheng.inspections.enums import RoundKind
from chuangcheng.inspections.models import Round
from chuangcheng.orgs.models import Region

QUOTA_PREFIX = "quota_"


def this_month() -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    last = calendar.monthrange(today.year, today.month)[1]
    return today.replace(day=1), today.replace(day=last)


class InspectorChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        home = obj.home_region
        return f"{obj}（{home.name}）" if home is not None else str(obj)


class RoundForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. November routine check of back alleys")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=RoundKind.choices,
        widget=forms.RadioSelect,
        initial=RoundKind.ROUTINE,
    )
    framework = forms.ModelChoiceField(
        label=_("Framework"), queryset=Framework.objects.none(), empty_label=None
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        empty_label=None,
        help_text=_("The district, or one street: points are drawn inside it."),
    )
    period_start = forms.DateField(
        label=_("From"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    period_end = forms.DateField(
        label=_("To"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    stratify_by_street = forms.BooleanField(
        label=_("Spread over streets"),
        required=False,
        help_text=_("Each type's points are shared among streets in proportion to their points."),
    )
    avoid_own_street = forms.BooleanField(
        label=_("Never send inspectors to their own street"), required=False
    )
    repeat_monthly = forms.BooleanField(
        label=_("Repeat every month"),
        required=False,
        help_text=_("When the period ends, next month's round is drawn and opened by itself."),
    )
    inspectors = InspectorChoices(
        label=_("Inspectors"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, user: Any, instance: Round | None = None, **kw: Any) -> None:
        bound = bool(args and args[0] is not None) or kw.get("data") is not None
        if instance is not None and not bound and "initial" not in kw:
            kw["initial"] = self.initial_from(instance)
        super().__init__(*args, **kw)
        self.user = user
        self.instance = instance
        self.quota_errors: list[str] = []
        frameworks = queries.active_frameworks(user)
        self.fields["framework"].queryset = frameworks  # type: ignore[attr-defined]
        regions = queries.plannable_regions(user)
        self.fields["region"].queryset = Region.objects.filter(  # type: ignore[attr-defined]
            pk__in=[r.pk for r in regions]
        ).order_by("path")
        parts = reverse("inspections:round_form_parts")
        for name in ("framework", "region"):
            self.fields[name].widget.attrs.update(
                {
                    "hx-get": parts,
                    "hx-include": "closest form",
                    "hx-target": "#round-dynamic",
                    "hx-trigger": "change",
                }
            )
        self.chosen_framework = self._pick(
            "framework", list(frameworks), instance.framework if instance else None
        )
        self.chosen_region = self._pick("region", regions, instance.region if instance else None)
        if self.chosen_framework is not None:
            self.fields["framework"].initial = self.chosen_framework.pk
        if self.chosen_region is not None:
            self.fields["region"].initial = self.chosen_region.pk
        if instance is None:
            first, last = this_month()
            self.fields["period_start"].initial = first
            self.fields["period_end"].initial = last
        self.quota_rows = queries.quota_rows(self.chosen_framework, self.chosen_region)
        for row in self.quota_rows:
            self.fields[f"{QUOTA_PREFIX}{row.point_type.pk}"] = forms.IntegerField(
                label=row.point_type.name,
                min_value=0,
                max_value=MAX_QUOTA,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "quota"}),
            )
        if self.chosen_region is not None:
            self.fields["inspectors"].queryset = eligible_inspectors(self.chosen_region)  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(round_: Round) -> dict[str, Any]:
        initial: dict[str, Any] = {
            f: getattr(round_, f)
            for f in (
                "name",
                "kind",
                "period_start",
                "period_end",
                "stratify_by_street",
                "avoid_own_street",
                "repeat_monthly",
            )
        }
        initial["framework"] = round_.framework_id
        initial["region"] = round_.region_id
        initial["inspectors"] = list(round_.inspectors.values_list("pk", flat=True))
        for q in round_.quotas.all():
            initial[f"{QUOTA_PREFIX}{q.point_type_id}"] = q.count
        return initial

    def _pick(self, name: str, options: list[Any], current: Any) -> Any:
        """The option chosen in the submitted data, else the instance's, else the first."""
        raw = self.data.get(name) if self.is_bound else self.initial.get(name)
        for option in options:
            if str(option.pk) == str(raw):
                return option
        if current is not None and current in options:
            return current
        return options[0] if options else None

    def quota_fields(self) -> list[tuple[queries.QuotaRow, forms.BoundField]]:
        return [(row, self[f"{QUOTA_PREFIX}{row.point_type.pk}"]) for row in self.quota_rows]

    def round_data(self) -> RoundData:
        c = self.cleaned_data
        return RoundData(
            name=c["name"],
            kind=c["kind"],
            framework=c["framework"],
            region=c["region"],
            period_start=c["period_start"],
            period_end=c["period_end"],
            quotas={
                row.point_type.pk: c.get(f"{QUOTA_PREFIX}{row.point_type.pk}") or 0
                for row in self.quota_rows
            },
            inspectors=list(c["inspectors"]),
            stratify_by_street=c["stratify_by_street"],
            avoid_own_street=c["avoid_own_street"],
            repeat_monthly=c["repeat_monthly"],
        )
