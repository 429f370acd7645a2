"""Forms of the figures pages: the period/region filter and the bulletin form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangcheng.cases.domain.bulletin import BulletinMeta
from chuangcheng.cases.domain.periods import (
    Period,
    PeriodError,
    current_month,
    month_period,
    parse_period,
    period_from_query,
)
from chuangcheng.orgs.models import Region

FORMATS = ("docx", "pdf", "xlsx")


def period_choices(today: dt.date | None = None) -> list[tuple[str, str]]:
    """The last 12 months, the last 4 quarters and the last 2 years, newest first."""
    today = today or timezone.localdate()
    month = current_month(today)
    choices = [(p.key, p.label) for p in reversed(month.previous_months(12))]
    year, quarter = today.year, (today.month - 1) // 3 + 1
    for _i in range(4):
        p = parse_period(f"{year}-Q{quarter}")
        choices.append((p.key, p.label))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    for y in (today.year, today.year - 1):
        p = parse_period(str(y))
        choices.append((p.key, p.label))
    return choices


def read_period(data: Any) -> tuple[Period, str]:
    """The period a query asks for and an error message ("" when fine; the current month then)."""
    try:
        return (
            period_from_query(
                str(data.get("period", "") or ""),
                str(data.get("from", "") or ""),
                str(data.get("to", "") or ""),
            ),
            "",
        )
    except PeriodError as exc:
        return current_month(), str(exc)


class BulletinForm(forms.Form):
    period = forms.CharField(
        label=gettext_lazy("Period"),
        help_text=gettext_lazy("A month (2026-11), a quarter (2026-Q4) or a year (2026)."),
    )
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=gettext_lazy("Region"))
    issuer = forms.CharField(label=gettext_lazy("Issued by"), max_length=60)
    number = forms.CharField(
        label=gettext_lazy("Document number"),
        max_length=60,
        help_text=gettext_lazy("e.g. 东城区文明办〔2026〕第11期"),
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=120)
    recipients = forms.CharField(label=gettext_lazy("Addressed to"), max_length=120, required=False)
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=[(f, f) for f in FORMATS], initial="docx"
    )
    with_sections = forms.BooleanField(
        label=gettext_lazy("Add the unit rankings and the biggest point losses"),
        required=False,
        initial=True,
    )

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Region.objects.filter(pk__in=[r.pk for r in regions]).order_by("path")
        self.period_obj: Period | None = None

    def clean_period(self) -> str:
        value = str(self.cleaned_data["period"]).strip()
        try:
            self.period_obj = parse_period(value)
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value

    def meta(self) -> BulletinMeta:
        data = self.cleaned_data
        return BulletinMeta(
            title=data["title"].strip(),
            number=data["number"].strip(),
            issuer=data["issuer"].strip(),
            recipients=data["recipients"].strip(),
            date=data["date"],
        )


def bulletin_initial(region: Region | None, today: dt.date | None = None) -> dict[str, Any]:
    """Sensible defaults: last month, the broadest region, its office as issuer."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - dt.timedelta(days=1)
    last_month = month_period(first.year, first.month)
    issuer = _("%(region)s civilization office") % {"region": region.name} if region else ""
    return {
        "period": last_month.key,
        "region": region,
        "issuer": issuer,
        "number": _("%(issuer)s [%(year)d] No. ") % {"issuer": issuer, "year": today.year},
        "title": _(
            "Bulletin on the supervision and rectification of city management problems "
            "in %(period)s"
        )
        % {"period": last_month.label},
        "recipients": _("All street offices and district units concerned:"),
        "date": today,
        "format": "docx",
    }
