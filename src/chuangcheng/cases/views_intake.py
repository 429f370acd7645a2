"""The intake queue (受理): every report awaiting 立案 in one list, oldest first; bulk 立案; and
the form hotline staff fill in while on a call."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.cases import forms as f
from chuangcheng.cases import queries
from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError
from chuangcheng.cases.domain.intake import CaseData, create_case, proposed_lead
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point

PAGE_SIZE = 25
BULK_LIMIT = 100


def _require_manage(request: HttpRequest) -> None:
    if not request.user.has_perm("cases.manage_case"):
        raise PermissionDenied


@login_required
@require_GET
def intake(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    source = request.GET.get("source", "")
    qs = queries.intake_queue(request.user)
    if source in CaseSource.values:
        qs = qs.filter(source=source)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = queries.decorate_intake(request.user, page.object_list)
    return render(
        request,
        "cases/intake.html",
        {
            "page": page,
            "source": source,
            "sources": CaseSource.choices,
            "now": timezone.now(),
            "next": request.get_full_path(),
        },
    )


def _bulk_one(case: Case, *, actor: Any, dispatch: bool) -> None:
    category = case.category or case.suggested_category
    if not dispatch:
        actions.register(case, actor=actor, category=category)
        return
    lead = proposed_lead(case)
    if lead is None:
        raise CaseValidationError({"lead": [_("No unit proposed: open the case to choose one.")]})
    actions.register_and_dispatch(case, actor=actor, category=category, lead=lead)


@login_required
@require_POST
def intake_bulk(request: HttpRequest) -> HttpResponse:
    """立案 (or 立案并派遣 to the proposed unit) for the ticked reports, each on its own: one
    that is refused is listed with the reason and leaves the others done."""
    _require_manage(request)
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()][:BULK_LIMIT]
    dispatch = request.POST.get("do") == "dispatch"
    cases = list(queries.intake_queue(request.user).filter(pk__in=ids))
    done: list[str] = []
    for case in cases:
        try:
            _bulk_one(case, actor=request.user, dispatch=dispatch)
        except (CaseError, PermissionDenied) as exc:
            reason = getattr(exc, "message", "") or _("You may not do this to this case.")
            if isinstance(exc, CaseValidationError):
                reason = " ".join(m for msgs in exc.errors.values() for m in msgs)
            messages.error(request, f"{case.number}: {reason}")
        else:
            done.append(case.number)
    if done:
        messages.success(
            request,
            ngettext("%(n)d case registered.", "%(n)d cases registered.", len(done))
            % {"n": len(done)},
        )
    elif not cases:
        messages.warning(request, _("Tick the reports to register first."))
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("cases:intake")


def _hotline_data(request: HttpRequest, form: f.HotlineForm) -> CaseData:
    d = form.cleaned_data
    point = None
    if d["point"]:
        point = Point.objects.visible_to(request.user).filter(code=d["point"].strip()).first()
        if point is None:
            raise CaseValidationError({"point": [_("No point with this code in your area.")]})
    return CaseData(
        source=d["source"],
        description=d["description"],
        category=form.obj("category"),
        point=point,
        region=form.obj("street"),
        address=d["address"],
        reporter_name=d["reporter_name"],
        reporter_phone=d["reporter_phone"].strip(),
        external_id=d["external_id"],
    )


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    """A case taken from a 12345 call or an order from above; it joins the intake queue."""
    _require_manage(request)
    streets = list(Region.objects.visible_to(request.user).filter(level=RegionLevel.STREET))
    form = f.HotlineForm(request.POST or None, categories=queries.subcategories(), streets=streets)
    if request.method == "POST" and form.is_valid():
        try:
            case = create_case(_hotline_data(request, form), actor=request.user)
        except CaseValidationError as exc:
            for key, msgs in exc.errors.items():
                name = "street" if key == "position" else key
                for msg in msgs:
                    form.add_error(name if name in form.fields else None, msg)
        else:
            messages.success(request, _("Case %(number)s entered.") % {"number": case.number})
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/new.html", {"form": form})
