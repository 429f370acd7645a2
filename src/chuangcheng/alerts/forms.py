"""Forms: acting on a warning, a rule (its parameter fields come from
the kind's ``Param`` declarations) and a group robot."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.alerts.domain.actions import NOTE_MAX, RuleData, TargetData
from chuangcheng.alerts.domain.kinds import KINDS, Kind
from chuangcheng.alerts.enums import WarningLevel, WebhookFormat
from chuangcheng.alerts.models import WarningRule, WebhookTarget
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region


def kind_choices() -> list[tuple[str, str]]:
    return sorted(((code, str(k.label)) for code, k in KINDS.items()), key=lambda c: c[1])


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _region_choices(user: Any) -> QuerySet[Region]:
    """The district and street regions the office may give a rule or robot."""
    return Region.objects.visible_to(user).filter(
        level__in=(RegionLevel.CITY, RegionLevel.DISTRICT, RegionLevel.STREET)
    )


def param_field(name: str, kind: Kind) -> forms.Field:
    param = kind.params[name]
    common: dict[str, Any] = {
        "label": param.label,
        "help_text": param.help,
        "initial": param.default,
        "required": param.default is None,
    }
    if param.type is int:
        return forms.IntegerField(
            min_value=None if param.minimum is None else int(param.minimum),
            max_value=None if param.maximum is None else int(param.maximum),
            **common,
        )
    if param.type is float:
        return forms.FloatField(min_value=param.minimum, max_value=param.maximum, **common)
    return forms.CharField(max_length=200, **common)


class RuleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind of warning"))
    level = forms.ChoiceField(
        label=pgettext_lazy("warning", "Level"),
        choices=WarningLevel.choices,
        initial=WarningLevel.ORANGE,
        help_text=_("Kinds that grade each finding themselves (overdue cases) override it."),
    )
    region = forms.ModelChoiceField(
        label=_("Region watched"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("The whole district"),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)
    notify_in_app = forms.BooleanField(label=_("In-app notification"), required=False, initial=True)
    notify_email = forms.BooleanField(label=_("E-mail"), required=False)
    notify_sms = forms.BooleanField(
        label=_("Text message to the unit's head and contact"), required=False
    )
    notify_webhooks = forms.BooleanField(label=_("Group robots"), required=False)
    repeat_hours = forms.IntegerField(
        label=_("Repeat every (hours)"),
        min_value=0,
        max_value=24 * 30,
        initial=0,
        help_text=_("Send the warning again until it is acknowledged; 0: never."),
    )

    PARAM = "param_"

    def __init__(self, *args: Any, user: Any, kind: str, rule: WarningRule | None, **kw: Any):
        super().__init__(*args, **kw)
        self.rule = rule
        kind_field = cast(forms.ChoiceField, self.fields["kind"])
        kind_field.choices = kind_choices()
        kind_field.initial = kind
        kind_field.disabled = rule is not None
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = _region_choices(
            user
        )
        self.spec = KINDS.get(kind)
        if self.spec is not None:
            stored = rule.params if rule is not None else {}
            for name in self.spec.params:
                field = param_field(name, self.spec)
                if name in stored:
                    field.initial = stored[name]
                self.fields[self.PARAM + name] = field

    def param_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in self.fields if n.startswith(self.PARAM)]

    def setting_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in ("enabled", "region", "level", "repeat_hours")]

    def channel_fields(self) -> list[forms.BoundField]:
        names = ("notify_in_app", "notify_email", "notify_sms", "notify_webhooks")
        return [self[n] for n in names]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.spec is None:
            self.add_error("kind", _("Choose a kind of warning."))
        return data

    def data_for_domain(self) -> RuleData:
        d = self.cleaned_data
        return RuleData(
            name=d["name"],
            kind=self.rule.kind if self.rule is not None else d["kind"],
            params={
                n.removeprefix(self.PARAM): d[n]
                for n in self.fields
                if n.startswith(self.PARAM) and d.get(n) not in (None, "")
            },
            level=d["level"],
            region=d["region"],
            enabled=d["enabled"],
            notify_in_app=d["notify_in_app"],
            notify_email=d["notify_email"],
            notify_sms=d["notify_sms"],
            notify_webhooks=d["notify_webhooks"],
            repeat_hours=d["repeat_hours"],
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        """Domain errors (by parameter or field name) onto the form's fields."""
        for name, message in errors.items():
            field = self.PARAM + name if self.PARAM + name in self.fields else name
            self.add_error(field if field in self.fields else None, message)


class TargetForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    format = forms.ChoiceField(label=_("Robot"), choices=WebhookFormat.choices)
    url = forms.CharField(
        label=_("Webhook address"),
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    secret = forms.CharField(
        label=_("Signing secret (钉钉 加签)"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
    )
    levels = forms.MultipleChoiceField(
        label=_("Levels it receives"),
        choices=WarningLevel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("The whole district"),
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False, initial=True)

    def __init__(self, *args: Any, user: Any, target: WebhookTarget | None, **kw: Any):
        super().__init__(*args, **kw)
        cast("forms.ModelChoiceField[Region]", self.fields["region"]).queryset = _region_choices(
            user
        )
        if target is not None:
            self.fields["url"].help_text = _(
                "Stored encrypted: %(masked)s. Leave empty to keep it."
            ) % {"masked": target.url_masked}
            if target.secret:
                self.fields["secret"].help_text = _("A secret is stored. Leave empty to keep it.")
        else:
            self.fields["url"].help_text = _(
                "Copy it from the group's robot settings (https://qyapi.weixin.qq.com/… or "
                "https://oapi.dingtalk.com/robot/send?access_token=…)."
            )

    def data_for_domain(self) -> TargetData:
        d = self.cleaned_data
        return TargetData(
            name=d["name"],
            format=d["format"],
            url=d["url"],
            secret=d["secret"],
            levels=list(d["levels"]),
            region=d["region"],
            enabled=d["enabled"],
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)


def streets_for(user: Any) -> QuerySet[Region]:
    return Region.objects.visible_to(user).filter(level=RegionLevel.STREET).order_by("seq", "path")


def unit_filter_choices(user: Any) -> Any:
    from chuangcheng.orgs.models import Unit

    return Unit.objects.visible_to(user).filter(Q(active=True)).order_by("kind", "path")
