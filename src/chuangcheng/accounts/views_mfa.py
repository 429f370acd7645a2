"""The second login step (TOTP code or enrolment) and the user's own authenticator.

The password step keeps the user in the session as *pending* (not logged in); Django's login
happens only once the code is right, so nothing is reachable on a password alone.
"""

from __future__ import annotations

import time
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from chuangcheng.accounts import mfa
from chuangcheng.accounts.backends import record_failure
from chuangcheng.accounts.models import User

PENDING = "cc_mfa_pending"
PENDING_SECONDS = 300


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        max_length=7,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "one-time-code",
                "pattern": "[0-9 ]*",
            }
        ),
    )


def start(request: HttpRequest, user: User, redirect_to: str) -> HttpResponse:
    """After a right password: hold ``user`` as pending and ask for the second factor."""
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", settings.AUTHENTICATION_BACKENDS[0]),
        "next": redirect_to,
        "at": time.time(),
    }
    if mfa.confirmed(user) is None:
        return redirect("accounts:login_enrol")
    return redirect("accounts:login_code")


def _pending(request: HttpRequest) -> tuple[User, dict[str, Any]] | None:
    data = request.session.get(PENDING)
    if not data or time.time() - float(data["at"]) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    return (user, data) if user is not None else None


def _locked_message(user: User) -> str:
    local = timezone.localtime(user.locked_until)
    return _("This account is locked after too many failed logins until %(time)s.") % {
        "time": formats.time_format(local, "H:i")
    }


def _finish(request: HttpRequest, user: User, data: dict[str, Any]) -> HttpResponse:
    request.session.pop(PENDING, None)
    if user.failed_logins or user.locked_until:
        User.objects.filter(pk=user.pk).update(failed_logins=0, locked_until=None)
    auth_login(request, user, backend=data["backend"])
    return redirect(data["next"] or settings.LOGIN_REDIRECT_URL)


def _step(request: HttpRequest, *, enrol: bool) -> HttpResponse:
    found = _pending(request)
    if found is None:
        messages.info(request, _("Please log in again."))
        return redirect("accounts:login")
    user, data = found
    if enrol and mfa.confirmed(user) is not None:
        return redirect("accounts:login_code")
    if not enrol and mfa.confirmed(user) is None:
        return redirect("accounts:login_enrol")
    factor = mfa.start_enrolment(user) if enrol else None
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True
    error = ""
    if request.method == "POST" and form.is_valid():
        if user.locked_until and user.locked_until > timezone.now():
            request.session.pop(PENDING, None)
            error = _locked_message(user)
        else:
            code = form.cleaned_data["code"]
            ok = mfa.confirm_enrolment(user, code) if enrol else mfa.verify(user, code)
            if ok:
                return _finish(request, user, data)
            record_failure(user, request, "bad_otp")
            if user.locked_until and user.locked_until > timezone.now():
                request.session.pop(PENDING, None)
                error = _locked_message(user)
            else:
                error = _("The code is not right, or it was already used. Wait for a new one.")
    context = {"form": form, "error": error, "pending_user": user, "enrol": enrol}
    if factor is not None:
        context["secret"] = mfa.grouped_secret(factor)
    response = render(request, "accounts/login_code.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
def login_code(request: HttpRequest) -> HttpResponse:
    return _step(request, enrol=False)


@never_cache
def login_enrol(request: HttpRequest) -> HttpResponse:
    return _step(request, enrol=True)


@never_cache
def enrol_qr(request: HttpRequest) -> HttpResponse:
    """The QR code of the authenticator being enrolled, by the pending or logged-in user."""
    user: Any = request.user if request.user.is_authenticated else None
    if user is None:
        found = _pending(request)
        user = found[0] if found else None
    factor = mfa.pending(user) if user is not None else None
    if factor is None:
        raise Http404
    return HttpResponse(
        mfa.qr_svg(factor), content_type="image/svg+xml", headers={"Cache-Control": "no-store"}
    )


@login_required
def setup(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator from one's own account page."""
    user: User = request.user  # type: ignore[assignment]
    if mfa.confirmed(user) is not None:
        return redirect("accounts:profile")
    factor = mfa.start_enrolment(user)
    form = CodeForm(request.POST or None)
    form.fields["code"].widget.attrs["autofocus"] = True
    error = ""
    if request.method == "POST" and form.is_valid():
        if mfa.confirm_enrolment(user, form.cleaned_data["code"]):
            messages.success(request, _("Two-step verification is on."))
            return redirect("accounts:profile")
        error = _("The code is not right, or it was already used. Wait for a new one.")
    response = render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "error": error, "secret": mfa.grouped_secret(factor)},
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def turn_off(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = CodeForm(request.POST)
    if mfa.required_for(user):
        messages.error(request, _("Your role requires two-step verification."))
    elif form.is_valid() and mfa.disable(user, form.cleaned_data["code"]):
        messages.success(request, _("Two-step verification is off."))
    else:
        messages.error(
            request, _("The code is not right, or it was already used. Wait for a new one.")
        )
    return redirect("accounts:profile")
