"""Forms of the office's user administration: they parse; ``accounts.domain`` decides."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from chuangcheng.accounts.enums import ADMIN_ROLES, Role
from chuangcheng.orgs.models import Region, Unit

# The administrator roles are offered only to a security administrator (三员分立).
GRANTABLE_ROLES = [(v, label) for v, label in Role.choices if v not in ADMIN_ROLES]


def grant_scopes(
    actor: Any, perm: str = "accounts.manage_grants"
) -> tuple[list[Region], list[Unit]]:
    """Regions and active units the actor may grant on (its scope), in two queries."""
    regions = [
        r for r in Region.objects.visible_to(actor).order_by("path") if actor.has_perm(perm, r)
    ]
    units = [
        u
        for u in Unit.objects.visible_to(actor).filter(active=True).select_related("region")
        if actor.has_perm(perm, u)
    ]
    return regions, units


class GrantForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GRANTABLE_ROLES)
    region = forms.ChoiceField(label=_("Region"), required=False)
    unit = forms.ChoiceField(label=_("Unit"), required=False)

    scope_perm = "accounts.manage_grants"

    def __init__(self, *args: Any, actor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions, units = grant_scopes(actor, self.scope_perm)
        role_field: Any = self.fields["role"]
        role_field.choices = self.role_choices(actor)
        self._regions = {r.code: r for r in regions}
        self._units = {u.code: u for u in units}
        region_choices = [(r.code, "\u3000" * (r.depth - 1) + r.name) for r in regions]
        unit_choices = [(u.code, u.name) for u in units]
        region_field: Any = self.fields["region"]
        unit_field: Any = self.fields["unit"]
        region_field.choices = [("", _("— choose a region —")), *region_choices]
        unit_field.choices = [("", _("— or a unit —")), *unit_choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        region = self._regions.get(data.get("region") or "")
        unit = self._units.get(data.get("unit") or "")
        if (region is None) == (unit is None):
            raise forms.ValidationError(
                _("Choose either a region or a unit as the grant's scope, not both.")
            )
        data["region"], data["unit"] = region, unit
        return data

    def role_choices(self, actor: Any) -> list[tuple[str, Any]]:
        if actor.has_perm("accounts.grant_admin_roles"):
            return list(Role.choices)
        return GRANTABLE_ROLES


class UserCreateForm(GrantForm):
    username = forms.CharField(
        label=_("User name"),
        max_length=150,
        help_text=_("Used to log in, e.g. dhm-liaison. Letters, digits and @ . + - _."),
    )
    display_name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Stored encrypted, shown masked."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )
    password = forms.CharField(
        label=_("Initial password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "Leave empty to generate one. Either way the user must change it at first login."
        ),
    )

    field_order = ["username", "display_name", "phone", "password", "role", "region", "unit"]
    scope_perm = "accounts.manage_users"

    def role_choices(self, actor: Any) -> list[tuple[str, Any]]:
        # The first grant places the account; administrator roles come from a grant later.
        return GRANTABLE_ROLES


class UserEditForm(forms.Form):
    display_name = forms.CharField(label=_("Name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        help_text=_("Leave as is to keep the stored number."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
    )


class UserFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    role = forms.ChoiceField(
        label=_("Role"), required=False, choices=[("", _("All roles")), *Role.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )
