"""Office pages: plan a round, look at it, draw it again, open it, finish it. Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from chuangcheng.inspections import queries
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.draw import DrawReport
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.forms import RoundForm
from chuangcheng.inspections.models import Round


def visible_round(request: HttpRequest, pk: int) -> Round:
    """The round if the user reads rounds and may see this one; 404 otherwise. (Inspectors see
    their own points on the phone pages, never the whole round with everyone's assignments.)"""
    if not request.user.has_perm("inspections.view_rounds"):
        raise Http404
    return get_object_or_404(
        Round.objects.visible_to(request.user).select_related("framework", "region", "created_by"),
        pk=pk,
    )


def _require_plan(request: HttpRequest, target: Round | None = None) -> None:
    if not request.user.has_perm("inspections.plan_round", target):
        raise PermissionDenied


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("inspections.view_rounds"):
        raise Http404
    status = request.GET.get("status", "")
    rounds = queries.rounds_for(request.user)
    if status in RoundStatus.values:
        rounds = rounds.filter(status=status)
    page = Paginator(rounds, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "inspections/round_list.html",
        {
            "page": page,
            "status": status,
            "statuses": RoundStatus.choices,
            "can_plan": request.user.has_perm("inspections.plan_round"),
        },
    )


def _tell(request: HttpRequest, report: DrawReport) -> None:
    """Say what the draw found: points nobody may take, types with too few points."""
    messages.success(
        request,
        ngettext("%(n)d point drawn.", "%(n)d points drawn.", report.drawn) % {"n": report.drawn},
    )
    for name, wanted, found in report.shortfalls:
        messages.warning(
            request,
            _("%(type)s: %(wanted)d asked, only %(found)d active points in the region.")
            % {"type": name, "wanted": wanted, "found": found},
        )
    if report.unassigned:
        messages.warning(
            request,
            _(
                "No inspector may go to %(points)s (each inspector's own street): add an "
                "inspector or allow own streets, then draw again."
            )
            % {"points": "、".join(report.unassigned)},
        )


def _attach(form: RoundForm, exc: InspectionValidationError) -> None:
    for field, msgs in exc.errors.items():
        if field == "quotas":  # shown above the quota table, which has one field per type
            form.quota_errors.extend(msgs)
            continue
        for msg in msgs:
            form.add_error(field if field in form.fields else None, msg)


@login_required
def round_create(request: HttpRequest) -> HttpResponse:
    _require_plan(request)
    form = RoundForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            round_, report = planning.create_round(form.round_data(), actor=request.user)
        except InspectionValidationError as exc:
            _attach(form, exc)
        else:
            _tell(request, report)
            return redirect("inspections:round_detail", pk=round_.pk)
    return render(request, "inspections/round_form.html", {"form": form, "round": None})


@login_required
def round_edit(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = visible_round(request, pk)
    _require_plan(request, round_)
    if round_.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a draft round can be changed or drawn again."))
        return redirect("inspections:round_detail", pk=round_.pk)
    form = RoundForm(request.POST or None, user=request.user, instance=round_)
    if request.method == "POST" and form.is_valid():
        try:
            round_, report = planning.update_round(round_, form.round_data(), actor=request.user)
        except InspectionValidationError as exc:
            _attach(form, exc)
        except InspectionError as exc:
            form.add_error(None, exc.message)
        else:
            _tell(request, report)
            return redirect("inspections:round_detail", pk=round_.pk)
    return render(request, "inspections/round_form.html", {"form": form, "round": round_})


@login_required
@require_GET
def round_form_parts(request: HttpRequest) -> HttpResponse:
    """The quota rows and inspectors for the framework and region picked so far (htmx)."""
    _require_plan(request)
    form = RoundForm(request.GET, user=request.user)
    return render(request, "inspections/_round_dynamic.html", {"form": form})


@login_required
@require_GET
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    round_ = visible_round(request, pk)
    rows = queries.round_points(round_)
    done = len([rp for rp in rows if rp.visit is not None])  # type: ignore[attr-defined]
    return render(
        request,
        "inspections/round_detail.html",
        {
            "round": round_,
            "rows": rows,
            "done": done,
            "unassigned": [rp for rp in rows if rp.inspector_id is None],
            "shortfalls": queries.shortfalls(round_, rows),
            "quotas": list(round_.quotas.select_related("point_type")),
            "inspectors": list(round_.inspectors.select_related("home_region")),
            "can_plan": request.user.has_perm("inspections.plan_round", round_),
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    round_ = visible_round(request, pk)
    _require_plan(request, round_)
    try:
        if action == "redraw":
            _round, report = planning.redraw(round_, actor=request.user)
            _tell(request, report)
        elif action == "open":
            planning.open_round(round_, actor=request.user)
            messages.success(request, _("The round is open: the inspectors see their points."))
        else:
            planning.finish_round(round_, actor=request.user)
            messages.success(request, _("The round is finished."))
    except InspectionError as exc:
        messages.error(request, exc.message)
    return redirect("inspections:round_detail", pk=round_.pk)


@login_required
@require_POST
def round_redraw(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "redraw")


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "open")


@login_required
@require_POST
def round_finish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "finish")
