"""Pages for users and their grants: parse → ``accounts.domain`` → render.

Open to the office and the system and security administrators (``accounts.view_users``).
Users come from ``User.objects.visible_to(actor)``; anyone else is a 404. An action the actor's
role does not include (a system administrator adding a grant) is a 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.accounts import domain
from chuangcheng.accounts.forms_admin import GrantForm, UserCreateForm, UserEditForm, UserFilterForm
from chuangcheng.accounts.models import Grant, SecondFactor, User

USERS_PER_PAGE = 25


def _office(request: HttpRequest) -> None:
    if not request.user.has_perm("accounts.view_users"):
        raise Http404


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _grants_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "grants",
        queryset=Grant.objects.select_related("region", "unit").order_by("role", "id"),
    )


def _visible_user(request: HttpRequest, pk: int) -> User:
    _office(request)
    user: User = get_object_or_404(
        User.objects.visible_to(request.user).prefetch_related(_grants_prefetch()), pk=pk
    )
    return user


def _form_error(form: forms.Form, err: domain.AccountsError) -> None:
    form.add_error(err.field if err.field in form.fields else None, err.message)


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    _office(request)
    filters = UserFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_valid() else {}
    users = User.objects.visible_to(request.user)
    if data.get("q"):
        q = data["q"].strip()
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if data.get("role"):
        users = users.filter(grants__role=data["role"]).distinct()
    if data.get("status") == "active":
        users = users.filter(is_active=True)
    elif data.get("status") == "inactive":
        users = users.filter(is_active=False)
    users = users.prefetch_related(_grants_prefetch()).order_by("username")
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "filters": filters})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    _office(request)
    _require(request, "accounts.manage_users")
    form = UserCreateForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            user, generated = domain.create_user(
                actor=request.user,
                username=d["username"],
                display_name=d["display_name"],
                phone=d["phone"],
                password=d["password"] or None,
                role=d["role"],
                region=d["region"],
                unit=d["unit"],
            )
        except domain.AccountsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The account was created."))
            # Rendered, not redirected: a generated password is shown once and never stored.
            return _detail(request, _visible_user(request, user.pk), new_password=generated)
    return render(request, "accounts/user_form.html", {"form": form})


def _detail(
    request: HttpRequest,
    target: User,
    *,
    grant_form: GrantForm | None = None,
    new_password: str = "",
    error: str = "",
) -> HttpResponse:
    response = render(
        request,
        "accounts/user_detail.html",
        {
            "target": target,
            "grants": list(target.grants.all()),
            "grant_form": grant_form or GrantForm(actor=request.user),
            "can_manage": domain.may_manage(request.user, target),
            "can_grant": domain.may_manage_grants(request.user, target),
            "can_reset_mfa": request.user.has_perm("accounts.reset_second_factor")
            and target.pk != request.user.pk
            and SecondFactor.objects.filter(user=target).exists(),
            "is_self": target.pk == request.user.pk,
            "new_password": new_password,
            "error": error,
        },
    )
    if new_password:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _visible_user(request, pk))


@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.manage_users")
    if not domain.may_manage(request.user, target):
        raise Http404
    initial = {"display_name": target.display_name, "phone": target.phone_masked}
    form = UserEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        # The form shows the masked number; sending it back unchanged keeps the stored one.
        if phone and phone == target.phone_masked:
            phone = target.phone
        try:
            domain.update_user(
                actor=request.user,
                user=target,
                display_name=form.cleaned_data["display_name"],
                phone=phone,
            )
        except domain.AccountsError as err:
            _form_error(form, err)
        else:
            messages.success(request, _("The account was saved."))
            return redirect("accounts:user_detail", pk=target.pk)
    return render(request, "accounts/user_form.html", {"form": form, "target": target})


@login_required
@require_POST
def grant_add(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.manage_grants")
    form = GrantForm(request.POST, actor=request.user)
    if form.is_valid():
        try:
            domain.add_grant(
                actor=request.user,
                user=target,
                role=form.cleaned_data["role"],
                region=form.cleaned_data["region"],
                unit=form.cleaned_data["unit"],
            )
        except domain.AccountsError as err:
            _form_error(form, err)
        except PermissionDenied as exc:
            raise Http404 from exc
        else:
            messages.success(request, _("The grant was added."))
            return redirect("accounts:user_detail", pk=target.pk)
    return _detail(request, target, grant_form=form)


@login_required
@require_POST
def grant_remove(request: HttpRequest, pk: int, grant_id: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.manage_grants")
    grant = get_object_or_404(Grant.objects.select_related("user"), pk=grant_id, user=target)
    try:
        domain.remove_grant(actor=request.user, grant=grant)
    except domain.AccountsError as err:
        return _detail(request, target, error=err.message)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(request, _("The grant was removed."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.manage_users")
    try:
        password = domain.reset_password(actor=request.user, user=target)
    except domain.AccountsError as err:
        return _detail(request, target, error=err.message)
    except PermissionDenied as exc:
        raise Http404 from exc
    return _detail(request, target, new_password=password)


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.manage_users")
    active = request.POST.get("active") == "1"
    try:
        domain.set_user_active(actor=request.user, user=target, active=active)
    except domain.AccountsError as err:
        return _detail(request, target, error=err.message)
    except PermissionDenied as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("The account was reactivated.") if active else _("The account was deactivated."),
    )
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reveal_phone(request: HttpRequest, pk: int) -> HttpResponse:
    """The clear number as an htmx fragment; audited as VIEW_PERSONAL."""
    target = _visible_user(request, pk)
    try:
        phone = domain.reveal_user_phone(actor=request.user, user=target)
    except (PermissionDenied, domain.AccountsError) as exc:
        raise Http404 from exc
    return HttpResponse(
        format_html('<a class="mono" href="tel:{}">{}</a>', phone, phone or "—"),
        headers={"Cache-Control": "no-store"},
    )


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    try:
        unlocked = domain.unlock_user(actor=request.user, user=target)
    except domain.AccountsError as err:
        return _detail(request, target, error=err.message)
    except PermissionDenied as exc:
        raise Http404 from exc
    if unlocked:
        messages.success(request, _("The account was unlocked."))
    return redirect("accounts:user_detail", pk=target.pk)


@login_required
@require_POST
def user_reset_mfa(request: HttpRequest, pk: int) -> HttpResponse:
    target = _visible_user(request, pk)
    _require(request, "accounts.reset_second_factor")
    try:
        reset = domain.reset_second_factor(actor=request.user, user=target)
    except domain.AccountsError as err:
        return _detail(request, target, error=err.message)
    except PermissionDenied as exc:
        raise Http404 from exc
    if reset:
        messages.success(
            request, _("The second factor was reset; the person sets up a new one at login.")
        )
    return redirect("accounts:user_detail", pk=target.pk)
