"""The office's page for the catalogue of services (/practice/categories/)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from chuangcheng.practice.domain.categories import save_category
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.interfaces.form_errors import errors_into
from chuangcheng.practice.models import ServiceCategory


class CategoryForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("code"), max_length=32)
    name = forms.CharField(label=gettext_lazy("name"), max_length=40)
    seq = forms.IntegerField(
        label=pgettext_lazy("service catalogue", "order"), min_value=0, max_value=999, initial=0
    )
    active = forms.BooleanField(
        label=pgettext_lazy("service catalogue", "offered"), required=False, initial=True
    )


@login_required
def category_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("practice.manage_categories"):
        raise PermissionDenied
    categories = list(ServiceCategory.objects.all())
    failed: tuple[str, CategoryForm] | None = None
    if request.method == "POST":
        key = request.POST.get("category", "")
        category = None
        if key != "new":
            category = next((c for c in categories if str(c.pk) == key), None)
            if category is None:
                raise Http404
        form = CategoryForm(request.POST, prefix="new" if category is None else f"c{key}")
        if form.is_valid():
            try:
                save_category(actor=request.user, category=category, **form.cleaned_data)
            except PracticeError as exc:
                errors_into(form, exc)
            else:
                messages.success(request, _("Services saved."))
                return redirect("practice:category_list")
        failed = (key, form)
    rows = []
    for c in categories:
        if failed and failed[0] == str(c.pk):
            rows.append((c, failed[1]))
        else:
            initial = {"code": c.code, "name": c.name, "seq": c.seq, "active": c.active}
            rows.append((c, CategoryForm(initial=initial, prefix=f"c{c.pk}")))
    new = failed[1] if failed and failed[0] == "new" else CategoryForm(prefix="new")
    return render(request, "practice/categories.html", {"rows": rows, "new": new})
