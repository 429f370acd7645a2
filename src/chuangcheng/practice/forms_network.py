"""Forms of the practice network pages: sites, teams, volunteers, households, the volunteer
import, and the volunteer list's filters. Choices are limited to what the user may run; the
domain decides the rest (ID checksum, duplicates, team reach) and its errors land on the fields."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.accounts.models import User
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.network import managed_regions
from chuangcheng.practice.enums import SiteKind, Slot, TeamLevel
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import PracticeSite, ServiceCategory, Team, Volunteer


class RegionChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A region shown as 街道 · 社区 so two communities of the same name stay apart."""

    def label_from_instance(self, obj: Any) -> str:
        if obj.level == RegionLevel.COMMUNITY and obj.parent is not None:
            return f"{obj.parent.name} · {obj.name}"
        return str(obj.name)


class NetworkForm(forms.Form):
    """Puts a domain refusal's messages on the fields they name."""

    def attach(self, exc: PracticeError) -> None:
        errors_into(self, exc)


class SiteForm(NetworkForm):
    kind = forms.ChoiceField(label=pgettext_lazy("practice", "Kind"), choices=SiteKind.choices)
    region = RegionChoice(
        label=_("Region"),
        queryset=Region.objects.none(),
        empty_label="—",
        help_text=_(
            "A centre sits on a district, an institute on a street, a station on a community."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=80)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    contact_phone = forms.CharField(
        label=_("Service phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=100, required=False)
    lat = forms.DecimalField(label=_("Latitude"), max_digits=9, decimal_places=6, required=False)
    lng = forms.DecimalField(label=_("Longitude"), max_digits=9, decimal_places=6, required=False)
    min_redeem_balance = forms.IntegerField(
        label=_("Minimum balance to redeem"),
        min_value=0,
        initial=0,
        help_text=_("Points an account must hold before it may redeem goods here."),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("practice", "Active"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, user: Any, site: PracticeSite | None = None, **kwargs: Any
    ) -> None:
        if site is not None:
            kwargs.setdefault(
                "initial",
                {
                    f: getattr(site, f)
                    for f in (
                        "name",
                        "address",
                        "contact_phone",
                        "opening_hours",
                        "lat",
                        "lng",
                        "min_redeem_balance",
                        "active",
                    )
                },
            )
        super().__init__(*args, **kwargs)
        if site is not None:
            # Kind and region are fixed once orders and accounts hang from the site.
            del self.fields["kind"], self.fields["region"]
        else:
            levels = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
            self.fields["region"].queryset = managed_regions(user, *levels)  # type: ignore[attr-defined]


class TeamForm(NetworkForm):
    name = forms.CharField(label=_("Name"), max_length=80)
    level = forms.ChoiceField(label=pgettext_lazy("practice", "Level"), choices=TeamLevel.choices)
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=PracticeSite.objects.none(), empty_label="—"
    )
    parent = forms.ModelChoiceField(
        label=_("Parent team"), queryset=Team.objects.none(), required=False, empty_label="—"
    )
    unit = forms.ModelChoiceField(
        label=_("Sponsoring unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label="—",
        help_text=_("For a unit's own volunteer team (机关单位志愿服务队)."),
    )
    leader = forms.ModelChoiceField(
        label=_("Team leader"), queryset=Volunteer.objects.none(), required=False, empty_label="—"
    )
    description = forms.CharField(
        label=pgettext_lazy("practice", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("practice", "Active"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, team: Team | None = None, **kwargs: Any) -> None:
        if team is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": team.name,
                    "level": team.level,
                    "parent": team.parent_id,
                    "unit": team.unit_id,
                    "leader": team.leader_id,
                    "description": team.description,
                    "active": team.active,
                },
            )
        super().__init__(*args, **kwargs)
        teams = Team.objects.visible_to(user).select_related("site__region")
        if team is not None:
            del self.fields["site"]
            teams = teams.exclude(pk=team.pk)
            self.fields["leader"].queryset = team.members.order_by("name")  # type: ignore[attr-defined]
        else:
            del self.fields["leader"]
            sites = PracticeSite.objects.visible_to(user).filter(active=True)
            managed = managed_regions(
                user,
                RegionLevel.CITY,
                RegionLevel.DISTRICT,
                RegionLevel.STREET,
                RegionLevel.COMMUNITY,
            )
            self.fields["site"].queryset = sites.filter(region__in=managed)  # type: ignore[attr-defined]
        self.fields["parent"].queryset = teams.exclude(level=TeamLevel.SQUAD)  # type: ignore[attr-defined]
        units = Unit.objects.visible_to(user).filter(active=True).order_by("kind", "name")
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class VolunteerForm(NetworkForm):
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=40)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=18,
        required=False,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
        help_text=_("18 characters; checked against GB 11643 and stored encrypted."),
    )
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    region = RegionChoice(label=_("Community"), queryset=Region.objects.none(), empty_label="—")
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills"),
        queryset=ServiceCategory.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("Free at"),
        choices=Slot.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability_note = forms.CharField(
        label=_("Availability note"), max_length=200, required=False
    )
    teams = forms.ModelMultipleChoiceField(
        label=_("Teams"),
        queryset=Team.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    account = forms.CharField(
        label=_("Account (user name)"),
        max_length=150,
        required=False,
        help_text=_("Optional: the account the volunteer signs in with to take orders."),
    )
    registered_at = forms.DateField(
        label=_("Registered on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    active = forms.BooleanField(
        label=pgettext_lazy("practice", "Active"), required=False, initial=True
    )

    def __init__(
        self, *args: Any, user: Any, volunteer: Volunteer | None = None, **kwargs: Any
    ) -> None:
        self.volunteer = volunteer
        if volunteer is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": volunteer.name,
                    "region": volunteer.region_id,
                    "skills": list(volunteer.skills.all()),
                    "availability": volunteer.availability,
                    "availability_note": volunteer.availability_note,
                    "teams": list(volunteer.teams.all()),
                    "account": volunteer.user.username if volunteer.user else "",
                    "registered_at": volunteer.registered_at,
                    "active": volunteer.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user, RegionLevel.COMMUNITY)  # type: ignore[attr-defined]
        self.fields["teams"].queryset = (  # type: ignore[attr-defined]
            Team.objects.visible_to(user)
            .filter(active=True)
            .select_related("site__region")
            .order_by("site__region__path", "name")
        )
        if volunteer is None:
            self.fields["id_number"].required = True
            self.fields["phone"].required = True
        else:
            keep = _("Leave blank to keep %(value)s.")
            self.fields["id_number"].help_text = keep % {"value": volunteer.id_number_masked or "—"}
            self.fields["phone"].help_text = keep % {"value": volunteer.phone_masked or "—"}

    def clean_account(self) -> User | None:
        name = (self.cleaned_data.get("account") or "").strip()
        if not name:
            return None
        user: User | None = User.objects.filter(username=name).first()
        if user is None:
            raise forms.ValidationError(_("No account has this user name."))
        return user

    def volunteer_data(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["user"] = data.pop("account")
        return data


class HouseholdForm(NetworkForm):
    region = RegionChoice(label=_("Community"), queryset=Region.objects.none(), empty_label="—")
    code = forms.CharField(label=_("Household number"), max_length=40)
    address = forms.CharField(label=_("Address"), max_length=200)
    head_name = forms.CharField(label=_("Head of household"), max_length=40)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "numeric", "autocomplete": "off"}
        ),
    )
    clear_phone = forms.BooleanField(label=_("Remove the stored phone"), required=False)
    size = forms.IntegerField(label=_("People"), min_value=1, max_value=99, initial=1)
    members = forms.CharField(
        label=_("Members with an account"),
        required=False,
        help_text=_("User names separated by commas; they see the household's points."),
    )
    active = forms.BooleanField(
        label=pgettext_lazy("practice", "Active"), required=False, initial=True
    )

    def __init__(self, *args: Any, user: Any, household: Any = None, **kwargs: Any) -> None:
        if household is not None:
            kwargs.setdefault(
                "initial",
                {
                    "region": household.region_id,
                    "code": household.code,
                    "address": household.address,
                    "head_name": household.head_name,
                    "size": household.size,
                    "members": ", ".join(u.username for u in household.members.all()),
                    "active": household.active,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = managed_regions(user, RegionLevel.COMMUNITY)  # type: ignore[attr-defined]
        if household is None:
            del self.fields["clear_phone"]
        else:
            self.fields["phone"].help_text = _("Leave blank to keep %(value)s.") % {
                "value": household.phone_masked or "—"
            }

    def clean_members(self) -> list[User]:
        names = [
            n.strip()
            for n in (self.cleaned_data.get("members") or "").replace("，", ",").split(",")
            if n.strip()
        ]
        users = list(User.objects.filter(username__in=names))
        missing = sorted(set(names) - {u.username for u in users})
        if missing:
            raise forms.ValidationError(
                _("Unknown user names: %(names)s.") % {"names": ", ".join(missing)}
            )
        return users


class ImportForm(forms.Form):
    file = forms.FileField(label=_("File (.xlsx or .csv)"))
    dry_run = forms.BooleanField(label=_("Check only, write nothing"), required=False)


@dataclass
class VolunteerFilters:
    """The volunteer list's filters, read from the query string."""

    region: str = ""
    team: str = ""
    skill: str = ""
    slot: str = ""
    q: str = ""
    active: str = "1"

    @classmethod
    def from_query(cls, query: Any) -> VolunteerFilters:
        return cls(
            region=query.get("region", ""),
            team=query.get("team", ""),
            skill=query.get("skill", ""),
            slot=query.get("slot", "") if query.get("slot", "") in Slot.values else "",
            q=query.get("q", "").strip()[:40],
            active=query.get("active", "1"),
        )
