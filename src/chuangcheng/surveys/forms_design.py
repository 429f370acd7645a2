"""Forms of the survey designer: a survey's settings, copying it, and importing an XLSForm.
The question form is in :mod:`forms_design_questions`. Choices offered are limited to what the
user may manage; the domain checks everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.design import SAMPLE_FIELDS, SurveyData, parse_age_bands
from chuangcheng.surveys.models import Survey

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LANGUAGES = [("zh-Hans", _("Chinese (简体中文)")), ("en", _("English"))]
MAX_UPLOAD = 5 * 1024 * 1024
SURVEY_LEVELS = (RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)


def managed_regions(user: Any) -> QuerySet[Region]:
    """The city, district and street regions where the user may design surveys."""
    rows = Region.objects.visible_to(user).filter(level__in=SURVEY_LEVELS).order_by("path")
    ids = [r.pk for r in rows if user.has_perm("surveys.manage_survey", r)]
    return Region.objects.filter(pk__in=ids).order_by("path")


def frameworks() -> QuerySet[Framework]:
    return Framework.objects.exclude(status=FrameworkStatus.ARCHIVED).order_by("code", "-version")


class RegionChoice(forms.ModelChoiceField[Region]):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.code})"


class SurveyForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Short and unique, used on the command line and in the API, e.g. myd2026."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=pgettext_lazy("survey", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    region = RegionChoice(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("No framework"),
        help_text=_("Questions can then be tied to its clauses assessed by survey."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        initial=["zh-Hans"],
    )
    starts_on = forms.DateField(label=_("Collection starts"), widget=DATE, required=False)
    ends_on = forms.DateField(label=_("Collection ends"), widget=DATE, required=False)
    target_size = forms.IntegerField(
        label=_("Target sample size"), min_value=1, max_value=1_000_000, required=False
    )
    min_age = forms.IntegerField(label=_("Youngest eligible age"), min_value=1, max_value=120)
    max_age = forms.IntegerField(label=_("Oldest eligible age"), min_value=1, max_value=120)
    min_residence_months = forms.IntegerField(
        label=_("Months lived here at least"), min_value=0, max_value=600
    )
    age_bands = forms.CharField(
        label=_("Age bands"),
        help_text=_("Consecutive bands from the youngest to the oldest age, e.g. 18-29, 30-44."),
    )
    occupations = forms.CharField(
        label=_("Occupations asked"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line; leave empty not to ask the occupation."),
    )
    self_answer = forms.BooleanField(
        label=_("Residents answer through a public link"), required=False
    )
    interviewers = forms.BooleanField(label=_("Interviewers collect on phones"), required=False)
    ask_phone = forms.BooleanField(
        label=_("Ask a phone number (one response per phone)"),
        required=False,
        help_text=_("Only a keyed hash of the number is kept, to refuse a second response."),
    )

    def __init__(self, *args: Any, user: Any, survey: Survey | None = None, **kwargs: Any):
        if survey is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_of(survey)
        super().__init__(*args, **kwargs)
        self.survey = survey
        regions = managed_regions(user)
        if survey is not None:
            regions = regions | Region.objects.filter(pk=survey.region_id)
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        self.fields["framework"].queryset = frameworks()  # type: ignore[attr-defined]
        choices = dict(LANGUAGES)
        for code in survey.languages if survey else []:
            choices.setdefault(code, code)
        self.fields["languages"].choices = list(choices.items())  # type: ignore[attr-defined]
        self.locked = survey is not None and survey.status != "draft"
        if self.locked:
            for name in SAMPLE_FIELDS:
                self.fields[name].disabled = True
                self.fields[name].required = False

    def clean_age_bands(self) -> list[list[int]]:
        try:
            return parse_age_bands(self.cleaned_data["age_bands"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("Write bands as from-to, separated by commas: 18-29, 30-44 (not “%(p)s”).")
                % {"p": exc}
            ) from exc

    def clean_occupations(self) -> list[str]:
        lines = self.cleaned_data["occupations"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def data_object(self) -> SurveyData:
        d = self.cleaned_data
        return SurveyData(
            code=d["code"],
            title=d["title"],
            description=d["description"],
            region=d["region"],
            framework=d["framework"],
            languages=list(d["languages"] or []),
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            target_size=d["target_size"],
            min_age=d["min_age"] or 0,
            max_age=d["max_age"] or 0,
            min_residence_months=d["min_residence_months"] or 0,
            age_bands=d["age_bands"],
            occupations=d["occupations"],
            self_answer=d["self_answer"],
            interviewers=d["interviewers"],
            ask_phone=d["ask_phone"],
        )


def initial_of(survey: Survey) -> dict[str, Any]:
    return {
        **{
            name: getattr(survey, name)
            for name in (
                "code",
                "title",
                "description",
                "region",
                "framework",
                "languages",
                "starts_on",
                "ends_on",
                "target_size",
                "min_age",
                "max_age",
                "min_residence_months",
                "self_answer",
                "interviewers",
                "ask_phone",
            )
        },
        "age_bands": ", ".join(f"{a}-{b}" for a, b in survey.age_bands),
        "occupations": "\n".join(survey.occupations),
    }


def new_survey_initial(user: Any) -> dict[str, Any]:
    regions = list(managed_regions(user)[:1])
    return {
        "region": regions[0] if regions else None,
        "languages": ["zh-Hans"],
        "min_age": 18,
        "max_age": 65,
        "min_residence_months": 6,
        "age_bands": "18-29, 30-44, 45-59, 60-65",
        "self_answer": True,
        "interviewers": True,
    }


class CopyForm(forms.Form):
    code = forms.CharField(label=_("Code of the new round"), max_length=40)
    title = forms.CharField(label=_("Title of the new round"), max_length=200)


class XLSFormFileField(forms.FileField):
    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and not value.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel .xlsx file (save an .xls as .xlsx)."))
        if value and value.size > MAX_UPLOAD:
            raise forms.ValidationError(_("The file is larger than 5 MB."))


class ImportIntoForm(forms.Form):
    file = XLSFormFileField(
        label=_("XLSForm file (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class ImportForm(ImportIntoForm):
    region = RegionChoice(label=_("Region"), queryset=Region.objects.none(), empty_label=None)
    framework = forms.ModelChoiceField(
        label=_("Framework"),
        queryset=Framework.objects.none(),
        required=False,
        empty_label=_("No framework"),
        help_text=_("Needed for the clause column."),
    )
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        required=False,
        help_text=_("Empty: the form_id of the settings sheet, else the file name."),
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Empty: the form_title of the settings sheet."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user)  # type: ignore[attr-defined]
        self.fields["framework"].queryset = frameworks()  # type: ignore[attr-defined]
