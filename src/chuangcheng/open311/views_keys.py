"""The office's page for Open311 API keys: issue (the key is shown once), list, revoke."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuangcheng.open311.domain import keys
from chuangcheng.open311.forms import KeyForm
from chuangcheng.open311.models import Open311Key


def _office(request: HttpRequest) -> None:
    if not request.user.has_perm("open311.manage_keys"):
        raise Http404


@login_required
def key_list(request: HttpRequest) -> HttpResponse:
    _office(request)
    form = KeyForm(request.POST or None, user=request.user)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            key, new_key = keys.issue_key(
                name=form.cleaned_data["name"],
                owner=form.cleaned_data["owner"],
                region=form.cleaned_data["region"],
                actor=request.user,
            )
        except ValidationError as err:
            for field, problems in err.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, _("Key issued for %(name)s.") % {"name": key.name})
            form = KeyForm(user=request.user)
    rows = (
        Open311Key.objects.visible_to(request.user)
        .select_related("region", "issued_by")
        .annotate(n_requests=Count("submissions"))
    )
    base = request.build_absolute_uri(reverse("open311:discovery", args=["json"]))
    return render(
        request,
        "open311/keys.html",
        {
            "form": form,
            "keys": rows,
            "new_key": new_key,
            "endpoint": base.rsplit("/", 1)[0] + "/",
            "rate_limit": settings.OPEN311_RATE_LIMIT,
        },
    )


@login_required
@require_POST
def key_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    _office(request)
    key = get_object_or_404(Open311Key.objects.visible_to(request.user), pk=pk)
    if keys.revoke_key(key, actor=request.user):
        messages.success(request, _("The key for %(name)s was revoked.") % {"name": key.name})
    return redirect("open311:keys")
