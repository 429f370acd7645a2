"""What a map popup shows about one case or one point, read only when it is opened.

Both raise Http404 for anything outside the user's scope (the same answer as for a row that does
not exist). Photos are listed only when the user may see them, and are served through the
permission-checked photo views.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.domain.photos import photos_visible_to
from chuangcheng.cases.enums import CaseAction
from chuangcheng.cases.queries import visible_case
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Inspection, Observation
from chuangcheng.points.models import Point

PHOTOS = 4
EVENTS = 5


def _local(value: Any) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _photo(pk: int) -> dict[str, str]:
    return {
        "thumb": reverse("report:photo_thumb", args=[pk]),
        "url": reverse("report:photo", args=[pk]),
    }


def case_popup(user: Any, pk: int) -> dict[str, Any]:
    """Number, category, status, lead unit, deadline, the first photos and the last events."""
    case = visible_case(user, pk)
    photos = list(
        photos_visible_to(user)
        .filter(case=case)
        .order_by("uploaded_at", "pk")
        .values_list("pk", flat=True)[:PHOTOS]
    )
    events = list(case.events.select_related("unit").order_by("-at", "-pk")[:EVENTS])
    actions = dict(CaseAction.choices)
    category = case.category
    lead = getattr(case, "lead_unit", None)
    return {
        "number": case.number,
        "category": category.name if category else "",
        "category_class": category.parent.name if category and category.parent else "",
        "status": case.get_status_display(),
        "state": "overdue"
        if getattr(case, "overdue", False)
        else ("soon" if getattr(case, "due_soon", False) else ""),
        "escalated": case.escalated_at is not None,
        "unit": (lead.short_name or lead.name) if lead else "",
        "due": _local(case.due_at),
        "reported": _local(case.reported_at),
        "address": case.address,
        "description": case.description[:200],
        "photos": [_photo(p) for p in photos],
        "events": [
            {
                "at": _local(e.at),
                "action": str(actions.get(e.action, e.action)),
                "actor": e.actor_name,
                "unit": (e.unit.short_name or e.unit.name) if e.unit else "",
            }
            for e in events
        ],
        "url": reverse("cases:detail", args=[case.pk]),
    }


def point_popup(user: Any, code: str) -> dict[str, Any]:
    """The point, and its latest visit: when, each item's result, and the visit's photos."""
    point = get_object_or_404(
        Point.objects.visible_to(user).select_related("type", "territorial_unit", "line_unit"),
        code=code,
    )
    visible_photos = photos_visible_to(user).order_by("uploaded_at", "pk")
    visit = (
        Inspection.objects.filter(round_point__point=point)
        .select_related("round_point__round")
        .prefetch_related(
            Prefetch(
                "observations",
                queryset=Observation.objects.select_related("clause", "case")
                .prefetch_related(Prefetch("photos", queryset=visible_photos))
                .order_by("clause__seq"),
            )
        )
        .order_by("-observed_at", "-pk")
        .first()
    )
    results = dict(Result.choices)
    items: list[dict[str, Any]] = []
    photos: list[int] = []
    if visit is not None:
        for obs in visit.observations.all():
            items.append(
                {
                    "clause": f"{obs.clause.number} {obs.clause.text}".strip()[:80],
                    "result": obs.result,
                    "label": str(results.get(obs.result, obs.result)),
                    "note": obs.note[:120],
                    "case": reverse("cases:detail", args=[obs.case_id]) if obs.case_id else "",
                }
            )
            photos += [p.pk for p in obs.photos.all()]
    passed = sum(1 for i in items if i["result"] == Result.PASS)
    failed = sum(1 for i in items if i["result"] == Result.FAIL)
    tunit = point.territorial_unit
    return {
        "code": point.code,
        "name": point.name,
        "type": point.type.name,
        "address": point.address,
        "territorial": tunit.short_name or tunit.name,
        "line": (point.line_unit.short_name or point.line_unit.name) if point.line_unit else "",
        "visited": _local(visit.observed_at) if visit else "",
        "round": visit.round_point.round.name if visit else "",
        "passed": passed,
        "failed": failed,
        "items": items,
        "photos": [_photo(p) for p in photos[:PHOTOS]],
        "url": reverse("points:detail", args=[point.code]),
    }
