"""The form the office fills to issue an Open311 key."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region


def issuable_regions(user: Any) -> Any:
    """The district and streets inside the regions where ``user`` works for the office."""
    scope = scope_of(user)
    qs = Region.objects.filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET])
    if not scope.everything:
        cond = Q(pk__in=[])
        for prefix in scope.role_prefixes.get(str(Role.OFFICE), ()):
            cond |= Q(path__startswith=prefix)
        qs = qs.filter(cond)
    return qs.order_by("path")


class KeyForm(forms.Form):
    name = forms.CharField(
        label=_("Application"),
        max_length=80,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. 12345 hotline app")}),
    )
    owner = forms.CharField(
        label=_("Held by"),
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": _("Organisation and contact person")}),
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        regions = issuable_regions(user)
        field = self.fields["region"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = regions
        field.empty_label = None
