"""Login, logout, password change and the user's own account page (with API tokens)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.accounts import domain, mfa, views_mfa
from chuangcheng.accounts.forms import LoginForm, PasswordChangeAuditedForm, TokenForm
from chuangcheng.accounts.models import ApiToken
from chuangcheng.accounts.scope import scope_of


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if mfa.needs_second_factor(user):
            # Not logged in yet: the code step (or the enrolment step) logs in.
            return views_mfa.start(self.request, user, self.get_success_url())
        return super().form_valid(form)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeAuditedForm
    success_url = reverse_lazy("command:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        messages.success(self.request, _("Your password has been changed."))
        return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new_token = domain.issue_token(request.user, name=form.cleaned_data["name"])  # type: ignore[arg-type]
        form = TokenForm()
    tokens = ApiToken.objects.filter(user_id=request.user.pk or 0, revoked_at__isnull=True)
    grants = request.user.grants.select_related("region", "unit")  # type: ignore[union-attr]
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": new_token,
            "grants": grants,
            "scope": scope_of(request.user),
            "mfa_on": mfa.confirmed(request.user) is not None,  # type: ignore[arg-type]
            "mfa_required": mfa.required_for(request.user),  # type: ignore[arg-type]
            "code_form": views_mfa.CodeForm(),
        },
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    if domain.revoke_token(request.user, token_id=token_id):  # type: ignore[arg-type]
        messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
