"""Warnings under /api/v1/alerts/, scoped like the pages.

List (filters as on the page: ``level``, ``status`` — ``open`` by default, ``raised``,
``acknowledged``, ``resolved`` or ``all`` —, ``kind``, ``street``, ``unit``; ``limit`` and
``offset``), one warning with its timeline, and acknowledging or resolving it with a note.
A warning outside the user's scope answers 404; a step its status does not allow, 422.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.alerts.domain import actions
from chuangcheng.alerts.filters import WarningFilters
from chuangcheng.alerts.models import Warning
from chuangcheng.core.api_support import Error, PageLimit, PageOffset

router = Router(tags=["alerts"])
MAX_LIMIT = 200


class WarningUnitRef(Schema):
    id: int
    code: str
    name: str


class WarningRegionRef(Schema):
    id: int
    code: str
    name: str


class WarningOut(Schema):
    id: int
    rule: str = Field(..., description="The rule's name")
    kind: str = Field(..., description="The kind's code, e.g. cases.overdue")
    key: str
    level: str = Field(..., description="red, orange or yellow")
    status: str = Field(..., description="raised, acknowledged or resolved")
    title: str
    detail: str
    value: float | None
    unit: WarningUnitRef | None
    region: WarningRegionRef
    url: str = Field(..., description="The page listing the rows behind the figure")
    raised_at: dt.datetime
    last_seen_at: dt.datetime
    notify_count: int


class WarningEventOut(Schema):
    at: dt.datetime
    action: str
    actor: str
    note: str
    data: dict[str, Any]


class WarningDetailOut(WarningOut):
    acknowledged_at: dt.datetime | None
    acknowledged_by: str | None
    acknowledge_note: str
    resolved_at: dt.datetime | None
    resolved_by: str | None
    resolve_note: str
    auto_resolved: bool
    events: list[WarningEventOut]


class WarningPage(Schema):
    count: int
    items: list[WarningOut]


class WarningListParams(Schema):
    level: str = ""
    status: str = Field("open", description="open, raised, acknowledged, resolved or all")
    kind: str = ""
    street: int | None = None
    unit: int | None = None
    limit: PageLimit = 50
    offset: PageOffset = 0


class WarningNoteIn(Schema):
    note: str = Field("", max_length=actions.NOTE_MAX)


def _out(w: Warning) -> dict[str, Any]:
    return {
        "id": w.pk,
        "rule": w.rule.name,
        "kind": w.rule.kind,
        "key": w.key,
        "level": w.level,
        "status": w.status,
        "title": w.title,
        "detail": w.detail,
        "value": w.value,
        "unit": {"id": w.unit.pk, "code": w.unit.code, "name": w.unit.name} if w.unit else None,
        "region": {"id": w.region.pk, "code": w.region.code, "name": w.region.name},
        "url": w.url,
        "raised_at": w.raised_at,
        "last_seen_at": w.last_seen_at,
        "notify_count": w.notify_count,
    }


def _name(user: Any) -> str | None:
    return str(user) if user is not None else None


def _detail(w: Warning) -> dict[str, Any]:
    return _out(w) | {
        "acknowledged_at": w.acknowledged_at,
        "acknowledged_by": _name(w.acknowledged_by),
        "acknowledge_note": w.acknowledge_note,
        "resolved_at": w.resolved_at,
        "resolved_by": _name(w.resolved_by),
        "resolve_note": w.resolve_note,
        "auto_resolved": w.auto_resolved,
        "events": [
            {"at": e.at, "action": e.action, "actor": e.actor_name, "note": e.note, "data": e.data}
            for e in w.events.all()
        ],
    }


def _need_view(request: HttpRequest) -> None:
    if not request.user.has_perm("alerts.view_warnings"):
        raise HttpError(403, "Not allowed.")


def _visible(request: HttpRequest, pk: int) -> Warning:
    _need_view(request)
    found = (
        Warning.objects.visible_to(request.user)
        .select_related("rule", "unit", "region", "acknowledged_by", "resolved_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


@router.get("", response={200: WarningPage, 403: Error}, summary="Warnings")
def list_warnings(request: HttpRequest, params: Query[WarningListParams]) -> dict[str, Any]:
    _need_view(request)
    f = WarningFilters.from_query(params.dict())
    qs = f.apply(Warning.objects.visible_to(request.user))
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    rows = qs.select_related("rule", "unit", "region").order_by("-raised_at", "-id")
    return {"count": qs.count(), "items": [_out(w) for w in rows[offset : offset + limit]]}


@router.get("/{warning_id}", response={200: WarningDetailOut, 404: Error}, summary="One warning")
def get_warning(request: HttpRequest, warning_id: int) -> dict[str, Any]:
    return _detail(_visible(request, warning_id))


def _step(
    request: HttpRequest, warning_id: int, payload: WarningNoteIn, step: str
) -> dict[str, Any]:
    warning = _visible(request, warning_id)
    move = actions.acknowledge if step == "acknowledge" else actions.resolve
    try:
        move(warning, actor=request.user, note=payload.note)
    except PermissionDenied as exc:
        raise HttpError(403, "You may only read this warning.") from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    return _detail(_visible(request, warning_id))


@router.post(
    "/{warning_id}/acknowledge",
    response={200: WarningDetailOut, 403: Error, 404: Error, 422: Error},
    summary="Acknowledge a raised warning (stops the reminders)",
)
def acknowledge(request: HttpRequest, warning_id: int, payload: WarningNoteIn) -> dict[str, Any]:
    return _step(request, warning_id, payload, "acknowledge")


@router.post(
    "/{warning_id}/resolve",
    response={200: WarningDetailOut, 403: Error, 404: Error, 422: Error},
    summary="Resolve an open warning",
)
def resolve(request: HttpRequest, warning_id: int, payload: WarningNoteIn) -> dict[str, Any]:
    return _step(request, warning_id, payload, "resolve")
