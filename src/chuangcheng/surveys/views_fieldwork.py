"""The office's fieldwork pages: progress, the quota grid, the population margins, and the
public link's QR code and poster. Thin: parse → domain → render.

Surveys come from ``Survey.objects.visible_to``; anything else answers 404.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from chuangcheng.surveys.domain import fieldwork, progress
from chuangcheng.surveys.domain.margins_import import import_margins, margins_template
from chuangcheng.surveys.domain.submit import collecting
from chuangcheng.surveys.enums import Sex
from chuangcheng.surveys.forms_fieldwork import (
    MarginsFileForm,
    cell_field,
    dims_from,
    margin_field,
    parse_margins,
    parse_targets,
)
from chuangcheng.surveys.models import QuotaCell, Survey


def need(request: HttpRequest, perm: str, obj: Any = None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def visible_survey(request: HttpRequest, pk: int, perm: str = "surveys.view_survey") -> Survey:
    found = Survey.objects.visible_to(request.user).select_related("region").filter(pk=pk).first()
    if found is None:
        raise Http404
    need(request, perm, found)
    return found


def public_url(request: HttpRequest, survey: Survey) -> str:
    path = reverse("surveys_public:start", args=[survey.public_token])
    base = str(settings.SITE_URL or "").rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


def _columns(survey: Survey, dims: fieldwork.Dims) -> list[tuple[str, str, str]]:
    """(band, sex, heading) of the grid's columns."""
    bands = fieldwork.band_labels(survey) if dims.band else [""]
    sexes = list(Sex.choices) if dims.sex else [("", "")]
    return [
        (band, sex, " ".join(p for p in (band, str(label)) if p) or _("Everyone"))
        for band in bands
        for sex, label in sexes
    ]


def _grid_rows(
    survey: Survey, dims: fieldwork.Dims, cells: dict[tuple[Any, ...], QuotaCell]
) -> list[dict[str, Any]]:
    """Rows (street × occupation) with, per column, the input name and the cell if saved."""
    occupations = list(survey.occupations) if dims.occupation and survey.occupations else [""]
    columns = _columns(survey, dims)
    rows = []
    for street in fieldwork.streets_of(survey):
        for occupation in occupations:
            row_cells = []
            for band, sex, heading in columns:
                key = fieldwork.CellKey(street.pk, band, sex, occupation)
                row_cells.append(
                    {
                        "key": key,
                        "heading": heading,
                        "name": cell_field(key),
                        "cell": cells.get((street.pk, band, sex, occupation)),
                    }
                )
            rows.append({"street": street, "occupation": occupation, "cells": row_cells})
    return rows


@login_required
@require_GET
def fieldwork_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Progress of the fieldwork: totals, the quota grid filled / target, streets,
    interviewers, days; the public link with its QR code."""
    survey = visible_survey(request, pk)
    quota_cells = progress.cells(survey)
    dims = fieldwork.dims_in_use(survey, quota_cells)
    saved = {(c.street_id, c.age_band, c.sex, c.occupation): c for c in quota_cells}
    return render(
        request,
        "surveys/fieldwork/progress.html",
        {
            "survey": survey,
            "may_manage": request.user.has_perm("surveys.manage_survey", survey),
            "collecting": collecting(survey),
            "totals": progress.totals(survey),
            "columns": _columns(survey, dims),
            "rows": _grid_rows(survey, dims, saved) if quota_cells else [],
            "streets": progress.by_street(survey, quota_cells),
            "interviewers": progress.by_interviewer(survey),
            "days": progress.by_day(survey),
            "public_url": public_url(request, survey),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def quotas_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The quota grid: targets per street × age band × sex (× occupation); "fill from
    margins" proposes targets for the survey's sample size, saved only with "Save"."""
    survey = visible_survey(request, pk, "surveys.manage_survey")
    quota_cells = list(QuotaCell.objects.filter(survey=survey))
    source = request.POST if request.method == "POST" else request.GET
    dims = dims_from(source, fieldwork.dims_in_use(survey, quota_cells), bool(survey.occupations))
    streets = fieldwork.streets_of(survey)
    keys = fieldwork.grid_keys(survey, streets, dims)
    values: dict[str, Any] = {
        cell_field(fieldwork.CellKey(c.street_id, c.age_band, c.sex, c.occupation)): c.target
        for c in quota_cells
    }
    errors: dict[str, str] = {}
    problem = ""
    action = request.POST.get("action", "")
    if action == "fill" and not survey.target_size:
        problem = _("Set the survey's target sample size first.")
    elif action == "fill":
        try:
            filled = fieldwork.fill_from_margins(
                survey,
                keys=keys,
                dims=dims,
                margins=fieldwork.margins_of(survey),
                total=survey.target_size or 0,
                street_codes={s.pk: s.code for s in streets},
            )
        except ValidationError as exc:
            problem = " ".join(exc.messages)
        else:
            values = {cell_field(k): v for k, v in filled.items()}
            messages.info(request, _("Targets proposed from the margins: check them and save."))
    elif action == "save":
        targets, errors = parse_targets(request.POST, keys)
        values = {cell_field(k): request.POST.get(cell_field(k), "") for k in keys}
        if not errors:
            total = fieldwork.save_quota_grid(survey, actor=request.user, targets=targets)
            messages.success(
                request, _("Quota plan saved: %(total)d responses in all.") % {"total": total}
            )
            return redirect("surveys:fieldwork", pk=survey.pk)
    saved = {(c.street_id, c.age_band, c.sex, c.occupation): c for c in quota_cells}
    rows = _grid_rows(survey, dims, saved)
    for row in rows:
        for cell in row["cells"]:
            cell["value"] = values.get(cell["name"], "")
            cell["error"] = errors.get(cell["name"], "")
    return render(
        request,
        "surveys/fieldwork/quotas.html",
        {
            "survey": survey,
            "dims": dims,
            "columns": _columns(survey, dims),
            "rows": rows,
            "problem": problem or (_("Some targets are not whole numbers.") if errors else ""),
            "has_margins": bool(fieldwork.margins_of(survey)),
        },
        status=400 if errors or problem else 200,
    )


def _margin_groups(survey: Survey, values: dict[str, Any], errors: dict[str, str]) -> Any:
    groups: dict[str, dict[str, Any]] = {}
    labels = dict(fieldwork.Dimension.choices)
    for dimension, value, label in fieldwork.margin_slots(survey, fieldwork.streets_of(survey)):
        name = margin_field(dimension, value)
        group = groups.setdefault(dimension, {"label": labels[dimension], "rows": []})
        group["rows"].append(
            {
                "name": name,
                "label": label,
                "value": values.get(name, ""),
                "error": errors.get(name, ""),
            }
        )
    return list(groups.values())


@login_required
@require_http_methods(["GET", "POST"])
def margins_page(request: HttpRequest, pk: int) -> HttpResponse:
    """Population margins by street, age band, sex and occupation; typed in or imported."""
    survey = visible_survey(request, pk, "surveys.manage_survey")
    slots = fieldwork.margin_slots(survey, fieldwork.streets_of(survey))
    current = fieldwork.margins_of(survey)
    values: dict[str, Any] = {margin_field(d, v): current.get((d, v), "") for d, v, _l in slots}
    errors: dict[str, str] = {}
    file_form = MarginsFileForm()
    file_errors: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "import":
        file_form = MarginsFileForm(request.POST, request.FILES)
        if file_form.is_valid():
            upload = file_form.cleaned_data["file"]
            try:
                count = import_margins(
                    survey, actor=request.user, filename=upload.name, data=upload.read()
                )
            except ValidationError as exc:
                file_errors = exc.messages
            else:
                messages.success(request, _("%(n)d population figures imported.") % {"n": count})
                return redirect("surveys:margins", pk=survey.pk)
    elif request.method == "POST":
        found, errors = parse_margins(request.POST, slots)
        values = {
            margin_field(d, v): request.POST.get(margin_field(d, v), "") for d, v, _l in slots
        }
        if not errors:
            fieldwork.save_margins(survey, actor=request.user, populations=found)
            messages.success(request, _("Population margins saved."))
            return redirect("surveys:margins", pk=survey.pk)
    bad = bool(errors or file_errors or file_form.errors)
    return render(
        request,
        "surveys/fieldwork/margins.html",
        {
            "survey": survey,
            "groups": _margin_groups(survey, values, errors),
            "file_form": file_form,
            "file_errors": file_errors,
            "has_errors": bool(errors),
        },
        status=400 if bad else 200,
    )


@login_required
@require_GET
def margins_template_file(request: HttpRequest, pk: int) -> HttpResponse:
    survey = visible_survey(request, pk, "surveys.manage_survey")
    response = HttpResponse(
        margins_template(survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="margins-{survey.code}.xlsx"'
    return response


@login_required
@require_GET
def qr_code(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The public link as a QR code, PNG (for chat groups) or SVG (for print)."""
    import segno

    survey = visible_survey(request, pk)
    if fmt not in ("png", "svg"):
        raise Http404
    code = segno.make(public_url(request, survey), error="m")
    buffer = io.BytesIO()
    if fmt == "png":
        code.save(buffer, kind="png", scale=12, border=4)
        content_type = "image/png"
    else:
        code.save(buffer, kind="svg", scale=10, border=4, title=survey.title)
        content_type = "image/svg+xml"
    response = HttpResponse(buffer.getvalue(), content_type=content_type)
    if request.GET.get("download"):
        response["Content-Disposition"] = f'attachment; filename="survey-{survey.code}.{fmt}"'
    return response


@login_required
@require_GET
def poster(request: HttpRequest, pk: int) -> HttpResponse:
    """An A4 poster: the title, a line of invitation and the QR code, to print and put up."""
    survey = visible_survey(request, pk)
    return render(
        request,
        "surveys/fieldwork/poster.html",
        {"survey": survey, "public_url": public_url(request, survey)},
    )
