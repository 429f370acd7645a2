"""Archives under /api/v1/archives/: the same rules and querysets as the pages.

Owed materials of a year with their state, one owed material with what was filed and its review
history, search of the materials, and a review decision. Rows outside the user's scope answer
404. Files are uploaded and downloaded through the pages (multipart, permission-checked).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from chuangcheng.archives.domain.review import decide, levels, status_text
from chuangcheng.archives.domain.search import search
from chuangcheng.archives.enums import Cell, Decision
from chuangcheng.archives.models import Attachment, Requirement, Review
from chuangcheng.core.api_support import Error

router = Router(tags=["archives"])

MAX_ROWS = 2000


class ArchiveUnitRef(Schema):
    id: int
    code: str
    name: str


class RequirementOut(Schema):
    id: int
    year: int
    clause: int = Field(..., description="Framework node id")
    clause_number: str
    clause_text: str
    unit: ArchiveUnitRef
    source: str = Field(..., description="lead | partner")
    due_date: dt.date | None
    state: str = Field(..., description=" | ".join(Cell.values))
    url: str


class ArchiveReviewOut(Schema):
    level: int
    decision: str = Field(..., description=" | ".join(Decision.values))
    comment: str
    reviewer: str | None
    version: int
    decided_at: dt.datetime


class AttachmentOut(Schema):
    id: int
    material: int
    title: str
    state: str
    level: int
    status: str = Field(..., description="Where it stands, in words")
    version: int
    file_name: str
    sha256: str
    submitted_at: dt.datetime
    download_url: str
    reviews: list[ArchiveReviewOut]


class RequirementDetailOut(RequirementOut):
    attachments: list[AttachmentOut]


class MaterialHitOut(Schema):
    id: int
    title: str
    unit: ArchiveUnitRef
    year: int
    file_name: str | None
    snippet: str = Field(..., description="HTML: the text around the first hit, hits in <mark>")


class RequirementParams(Schema):
    year: int | None = Field(None, description="Default: this year")
    state: str = ""


class DecisionIn(Schema):
    decision: str = Field(..., description=" | ".join(Decision.values))
    comment: str = ""


def _need(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise HttpError(403, "Not allowed.")


def _unit(u: Any) -> dict[str, Any]:
    return {"id": u.pk, "code": u.code, "name": u.name}


def _requirement(r: Requirement, state: str) -> dict[str, Any]:
    return {
        "id": r.pk,
        "year": r.year,
        "clause": r.clause_id,
        "clause_number": r.clause.number,
        "clause_text": r.clause.text,
        "unit": _unit(r.unit),
        "source": r.source,
        "due_date": r.due_date,
        "state": state,
        "url": reverse("archives:requirement", args=[r.pk]),
    }


@router.get(
    "/requirements",
    response={200: list[RequirementOut], 403: Error, 422: Error},
    summary="Owed materials of a year",
)
def list_requirements(
    request: HttpRequest, params: Query[RequirementParams]
) -> list[dict[str, Any]]:
    _need(request, "archives.view_archives")
    qs = (
        Requirement.objects.visible_to(request.user)
        .filter(year=params.year or timezone.localdate().year)
        .with_cells()
    )
    if params.state:
        if params.state not in Cell.values:
            raise HttpError(422, "Unknown state.")
        qs = qs.in_cell(params.state)
    rows = qs.select_related("clause", "unit").order_by(
        F("due_date").asc(nulls_last=True), "clause__seq", "unit__path", "pk"
    )[:MAX_ROWS]
    return [_requirement(r, r.cell) for r in rows]


def _attachment(a: Attachment, all_levels: list[Any]) -> dict[str, Any]:
    return {
        "id": a.pk,
        "material": a.material_id,
        "title": a.material.title,
        "state": a.state,
        "level": a.level,
        "status": status_text(a, all_levels),
        "version": a.version.number,
        "file_name": a.version.original_name,
        "sha256": a.version.sha256,
        "submitted_at": a.submitted_at,
        "download_url": reverse("archives:download", args=[a.version_id]),
        "reviews": [
            {
                "level": r.level,
                "decision": r.decision,
                "comment": r.comment,
                "reviewer": str(r.reviewer) if r.reviewer else None,
                "version": r.version.number,
                "decided_at": r.decided_at,
            }
            for r in a.reviews.all()
        ],
    }


def _detail(request: HttpRequest, requirement_id: int) -> dict[str, Any]:
    req = get_object_or_404(
        Requirement.objects.visible_to(request.user).with_cells().select_related("clause", "unit"),
        pk=requirement_id,
    )
    all_levels = levels()
    attachments = (
        req.attachments.select_related("material", "version", "requirement__unit")
        .prefetch_related(
            Prefetch("reviews", queryset=Review.objects.select_related("reviewer", "version"))
        )
        .order_by("pk")
    )
    return {
        **_requirement(req, req.cell),
        "attachments": [_attachment(a, all_levels) for a in attachments],
    }


@router.get(
    "/requirements/{requirement_id}",
    response={200: RequirementDetailOut, 404: Error},
    summary="One owed material, what was filed and its review history",
)
def get_requirement(request: HttpRequest, requirement_id: int) -> dict[str, Any]:
    return _detail(request, requirement_id)


@router.get(
    "/materials/search",
    response={200: list[MaterialHitOut], 403: Error},
    summary="Search titles, descriptions and the text of PDF, Word and Excel files",
)
def search_materials(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    _need(request, "archives.view_archives")
    return [
        {
            "id": h.material.pk,
            "title": h.material.title,
            "unit": _unit(h.material.unit),
            "year": h.material.year,
            "file_name": h.material.current.original_name if h.material.current else None,
            "snippet": str(h.snippet),
        }
        for h in search(request.user, q[:100])
    ]


@router.post(
    "/attachments/{attachment_id}/decision",
    response={200: RequirementDetailOut, 403: Error, 404: Error, 422: Error},
    summary="Approve, or return with a comment, at the level the material waits at",
)
def post_decision(request: HttpRequest, attachment_id: int, payload: DecisionIn) -> dict[str, Any]:
    attachment = get_object_or_404(
        Attachment.objects.visible_to(request.user).select_related(
            "requirement__unit__region", "material", "version"
        ),
        pk=attachment_id,
    )
    try:
        decide(
            actor=request.user,
            attachment=attachment,
            decision=payload.decision,
            comment=payload.comment,
        )
    except PermissionDenied as exc:
        raise HttpError(403, "You do not review this material at its level.") from exc
    except ValidationError as exc:
        raise HttpError(422, " ".join(exc.messages)) from exc
    except Http404:
        raise
    return _detail(request, attachment.requirement_id)
