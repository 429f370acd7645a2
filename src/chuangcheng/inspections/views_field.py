"""Phone pages for inspectors: my rounds, a round's points (list and map), a point's checklist,
and the service worker that keeps them working without a network."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from chuangcheng import __version__
from chuangcheng.inspections import queries
from chuangcheng.inspections.domain import checklist
from chuangcheng.points.map_config import map_config

# Files every phone page needs; the service worker keeps them for offline use.
STATIC_FILES = (
    "chuangcheng/app.css",
    "chuangcheng/icon.svg",
    "vendor/htmx/htmx.min.js",
    "vendor/leaflet/leaflet.css",
    "vendor/leaflet/leaflet.js",
    "points/mapkit.css",
    "points/mapkit.js",
    "inspections/field.css",
    "inspections/outbox.js",
    "inspections/field_round.js",
    "inspections/field_point.js",
)


def _labels() -> dict[str, str]:
    """Texts the phone scripts show, translated here so they work offline too."""
    return {
        "pending": _("Waiting to upload: %(n)s"),
        "waiting": _("Waiting to upload"),
        "sending": _("Uploading…"),
        "sent": _("Uploaded."),
        "saved": _("Saved on this phone; it will upload when the network returns."),
        "login": _("Your session has ended: log in again and the pending records will upload."),
        "refused": _("The server refused this record:"),
        "discard": _("Discard"),
        "confirmDiscard": _("Discard this record for good?"),
        "noItems": _("Mark at least one item before sending."),
        "unmarked": _("%(n)s items not marked"),
        "position": _("Position ±%(m)s m"),
        "noPosition": _("No position (allow location access)"),
        "distance": _("%(d)s away"),
        "done": _("Inspected"),
        "remove": _("Remove photo"),
        "you": _("You are here"),
        "back": _("Back to the list of points"),
    }


@login_required
@require_GET
def my_rounds(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "inspections/field_rounds.html",
        {"rounds": list(queries.field_rounds(request.user)), "labels": _labels()},
    )


@login_required
@require_GET
def field_round(request: HttpRequest, pk: int) -> HttpResponse:
    rows = list(queries.field_points(request.user).filter(round_id=pk).order_by("seq"))
    if not rows:
        raise Http404
    round_ = rows[0].round
    points: list[dict[str, Any]] = []
    for rp in rows:
        rp.visit = getattr(rp, "inspection", None)  # type: ignore[attr-defined]
        points.append(
            {
                "id": rp.pk,
                "code": rp.point.code,
                "name": rp.point.name,
                "type": rp.point.type.name,
                "lng": float(rp.point.lng),
                "lat": float(rp.point.lat),
                "done": rp.visit is not None,  # type: ignore[attr-defined]
                "url": reverse("inspections:field_point", args=[rp.pk]),
            }
        )
    config = map_config(request)
    config.update(
        {
            "points": points,
            "outline": round_.region.boundary or None,
            "labels": {**config["labels"], **_labels()},
            "precache": [reverse("inspections:my_rounds"), *[p["url"] for p in points]],
            "sw": reverse("inspections:service_worker"),
        }
    )
    return render(
        request,
        "inspections/field_round.html",
        {
            "round": round_,
            "rows": rows,
            "done": len([p for p in points if p["done"]]),
            "config": config,
            "labels": _labels(),
        },
    )


@login_required
@require_GET
def field_point(request: HttpRequest, pk: int) -> HttpResponse:
    rp = get_object_or_404(queries.field_points(request.user), pk=pk)
    visit = getattr(rp, "inspection", None)
    items = checklist.for_type(checklist.field_clauses(rp.round.framework_id), rp.point.type_id)
    recorded = {}
    if visit is not None:
        recorded = {o.clause_id: o for o in visit.observations.select_related("case")}
    return render(
        request,
        "inspections/field_point.html",
        {
            "rp": rp,
            "point": rp.point,
            "round": rp.round,
            "items": items,
            "visit": visit,
            "done_rows": [(c, recorded.get(c.id)) for c in items],
            "labels": _labels(),
            "config": {
                "api": reverse("api:inspections_submit"),
                "roundPoint": rp.pk,
                "roundUrl": reverse("inspections:field_round", args=[rp.round_id]),
                "sw": reverse("inspections:service_worker"),
                "labels": _labels(),
            },
        },
    )


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, served from /inspections/ so that it controls the phone
    pages there; it lists the static files to keep with their current URLs."""
    response = render(
        request,
        "inspections/sw.js",
        {
            "static_files": json.dumps([static(f) for f in STATIC_FILES]),
            "scope": reverse("inspections:my_rounds"),
            "version": __version__,
            "offline": _(
                "Offline: this page was not kept on this phone. Open it once with a network first."
            ),
        },
        content_type="application/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    return response
