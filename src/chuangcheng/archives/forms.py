"""Forms of the archive pages: they parse; the domain checks and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chuangcheng.accounts.enums import Role
from chuangcheng.archives.enums import Decision
from chuangcheng.archives.models import Material
from chuangcheng.orgs.models import Region

ACCEPT = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png,.heic,.heif,application/pdf,image/*"


class FileField(forms.FileField):
    """A file no larger than ARCHIVES_MAX_UPLOAD_MB; refused before it is read into memory."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": ACCEPT}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        limit = int(settings.ARCHIVES_MAX_UPLOAD_BYTES)
        if upload is not None and upload.size > limit:
            raise forms.ValidationError(
                _("%(name)s is larger than %(mb)d MB.")
                % {"name": upload.name, "mb": limit // (1024 * 1024)}
            )
        return upload


class UploadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=pgettext_lazy("archives", "Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    file = FileField(
        label=_("File"),
        help_text=_("PDF, Word (.docx), Excel (.xlsx) or a photo (JPEG, PNG, HEIC)."),
    )


class VersionForm(forms.Form):
    file = FileField(label=_("New file"))
    note = forms.CharField(label=_("What changed"), max_length=200, required=False)


class AttachForm(forms.Form):
    material = forms.ModelChoiceField(
        label=_("Already filed material"),
        queryset=Material.objects.none(),
        empty_label=_("Choose a material"),
    )

    def __init__(self, *args: Any, materials: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if materials is not None:
            self.fields["material"].queryset = materials  # type: ignore[attr-defined]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices)
    comment = forms.CharField(
        label=pgettext_lazy("archives", "Comment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExportForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    include_all = forms.BooleanField(label=_("Include materials not approved yet"), required=False)


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=40)
    role = forms.ChoiceField(
        label=_("Reviewer role"),
        choices=[(r.value, r.label) for r in (Role.OFFICE, Role.LEADER)],
    )
    region = forms.ModelChoiceField(
        label=_("Reviewing region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=_("Any region over the material's unit"),
    )

    def __init__(self, *args: Any, regions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions  # type: ignore[attr-defined]
