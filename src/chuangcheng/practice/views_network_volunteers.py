"""Volunteers: the filtered, paged list; the detail with ID number and phone masked; real-name
registration and editing; the spreadsheet import and its template."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import network_volunteers, volunteer_import
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import Slot
from chuangcheng.practice.forms_network import ImportForm, VolunteerFilters, VolunteerForm
from chuangcheng.practice.interfaces import volunteer_template
from chuangcheng.practice.models import ServiceCategory, Team, Volunteer
from chuangcheng.practice.queries_network import filter_regions, volunteers_for
from chuangcheng.practice.views_network import require_manage, require_view

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def visible_volunteer(request: HttpRequest, pk: int) -> Volunteer:
    volunteer = get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related(
            "region", "region__parent", "user"
        ),
        pk=pk,
    )
    if not request.user.has_perm("practice.view_network", volunteer):
        raise Http404
    return volunteer


@login_required
@require_GET
def volunteer_list(request: HttpRequest) -> HttpResponse:
    require_view(request)
    f = VolunteerFilters.from_query(request.GET)
    page = Paginator(volunteers_for(request.user, f), PAGE_SIZE).get_page(request.GET.get("page"))
    slots = dict(Slot.choices)
    for v in page:
        v.slot_labels = [slots[s] for s in v.availability if s in slots]  # type: ignore[attr-defined]
    return render(
        request,
        "practice/network/volunteer_list.html",
        {
            "page": page,
            "f": f,
            "regions": filter_regions(request.user),
            "teams": Team.objects.visible_to(request.user)
            .select_related("site")
            .order_by("site__region__path", "name"),
            "skills": ServiceCategory.objects.filter(active=True),
            "slots": Slot.choices,
            "can_manage": request.user.has_perm("practice.manage_network"),
        },
    )


@login_required
@require_GET
def volunteer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = visible_volunteer(request, pk)
    slots = dict(Slot.choices)
    history = list(
        AuditEntry.objects.filter(
            object_type="practice.volunteer", object_id=str(volunteer.pk)
        ).order_by("-at", "-id")[:20]
    )
    return render(
        request,
        "practice/network/volunteer_detail.html",
        {
            "v": volunteer,
            "skills": volunteer.skills.all(),
            "teams": volunteer.teams.select_related("site"),
            "slot_labels": [slots[s] for s in volunteer.availability if s in slots],
            "history": history,
            "can_manage": request.user.has_perm("practice.manage_network", volunteer),
        },
    )


@login_required
def volunteer_new(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = VolunteerForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            volunteer = network_volunteers.register_volunteer(
                actor=request.user, data=form.volunteer_data()
            )
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(
                request, _("Volunteer %(name)s registered.") % {"name": volunteer.name}
            )
            return redirect("practice:volunteer_detail", pk=volunteer.pk)
    return render(request, "practice/network/volunteer_form.html", {"form": form, "v": None})


@login_required
def volunteer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    volunteer = visible_volunteer(request, pk)
    require_manage(request, volunteer)
    form = VolunteerForm(request.POST or None, user=request.user, volunteer=volunteer)
    if request.method == "POST" and form.is_valid():
        try:
            network_volunteers.update_volunteer(
                volunteer, actor=request.user, data=form.volunteer_data()
            )
        except PracticeError as exc:
            form.attach(exc)
        else:
            messages.success(request, _("Volunteer %(name)s saved.") % {"name": volunteer.name})
            return redirect("practice:volunteer_detail", pk=volunteer.pk)
    return render(request, "practice/network/volunteer_form.html", {"form": form, "v": volunteer})


@login_required
def volunteer_import_view(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = volunteer_import.run_import(
                upload.name, upload.read(), actor=request.user, dry_run=form.cleaned_data["dry_run"]
            )
        except PracticeError as exc:
            form.add_error(None, str(exc))
        else:
            if report.written:
                messages.success(
                    request,
                    ngettext(
                        "%(n)s volunteer imported.", "%(n)s volunteers imported.", report.created
                    )
                    % {"n": report.created},
                )
                return redirect("practice:volunteer_list")
    return render(
        request, "practice/network/volunteer_import.html", {"form": form, "report": report}
    )


@login_required
@require_GET
def volunteer_import_template(request: HttpRequest) -> HttpResponse:
    require_manage(request)
    response = HttpResponse(volunteer_template.template(request.user), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="volunteers-template.xlsx"'
    return response
