"""Login and password forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": gettext_lazy(
            "The user name or password is not right. After %(limit)s failures in a row the "
            "account is locked for %(minutes)s minutes."
        ),
    }

    def get_invalid_login_error(self) -> forms.ValidationError:
        from django.conf import settings

        until = getattr(self.request, "account_locked_until", None)
        if until is not None:
            local = timezone.localtime(until)
            return forms.ValidationError(
                _("This account is locked after too many failed logins until %(time)s.")
                % {"time": formats.time_format(local, "H:i")},
                code="locked",
            )
        return forms.ValidationError(
            self.error_messages["invalid_login"],
            code="invalid_login",
            params={"limit": settings.LOGIN_LOCK_FAILURES, "minutes": settings.LOGIN_LOCK_MINUTES},
        )


class PasswordChangeAuditedForm(PasswordChangeForm):
    def save(self, commit: bool = True) -> Any:
        from chuangcheng.accounts.domain import password_changed

        user = super().save(commit=commit)
        if commit:
            password_changed(user)
        return user


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Token name"), max_length=80)
