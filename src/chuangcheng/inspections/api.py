"""REST endpoints under /api/v1/inspections. Reads are scoped; the phone page submits here."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.errors import HttpError, ValidationError
from ninja.responses import Status
from pydantic import TypeAdapter
from pydantic import ValidationError as PydanticError

from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.inspections import queries
from chuangcheng.inspections.domain import checklist
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.domain.submit import (
    ItemData,
    PhotoFile,
    SubmissionData,
    SubmitResult,
    submit_inspection,
)
from chuangcheng.inspections.models import Round, RoundPoint
from chuangcheng.inspections.schemas import (
    CaseRef,
    ItemIn,
    PointBrief,
    QuotaOut,
    RoundAssignmentOut,
    RoundClauseOut,
    RoundDetailOut,
    RoundOut,
    RoundPage,
    RoundPointOut,
    SubmissionIn,
    SubmissionOut,
)

router = Router(tags=["inspections"])
MAX_LIMIT = 200
ITEMS = TypeAdapter(list[ItemIn])


class RoundListParams(Schema):
    status: str = ""
    limit: PageLimit = 50
    offset: PageOffset = 0


def _rounds(request: HttpRequest) -> QuerySet[Round]:
    """Rounds for people who read them (office, leaders, auditors); inspectors use /assignments."""
    if not request.user.has_perm("inspections.view_rounds"):
        return Round.objects.none()
    return queries.rounds_for(request.user)


def _round_out(r: Round) -> dict[str, Any]:
    return {
        "id": r.pk,
        "name": r.name,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "status": r.status,
        "status_label": r.get_status_display(),
        "framework": str(r.framework),
        "region": r.region.code,
        "region_name": r.region.name,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "points": getattr(r, "n_points", 0),
        "inspected": getattr(r, "n_done", 0),
    }


@router.get("/rounds", response=RoundPage, summary="List visible inspection rounds")
def list_rounds(request: HttpRequest, params: Query[RoundListParams]) -> RoundPage:
    qs = _rounds(request)
    if params.status:
        qs = qs.filter(status=params.status)
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    items = [RoundOut(**_round_out(r)) for r in qs[offset : offset + limit]]
    return RoundPage(count=qs.count(), items=items)


@router.get("/rounds/{pk}", response={200: RoundDetailOut, 404: Error}, summary="One round")
def get_round(request: HttpRequest, pk: int) -> RoundDetailOut:
    round_ = get_object_or_404(_rounds(request), pk=pk)
    rows = queries.round_points(round_)
    return RoundDetailOut(
        **_round_out(round_),
        seed=round_.seed,
        stratify_by_street=round_.stratify_by_street,
        avoid_own_street=round_.avoid_own_street,
        repeat_monthly=round_.repeat_monthly,
        quotas=[
            QuotaOut(point_type=q.point_type.code, point_type_name=q.point_type.name, count=q.count)
            for q in round_.quotas.select_related("point_type")
        ],
        round_points=[
            RoundPointOut(
                id=rp.pk,
                seq=rp.seq,
                point=rp.point.code,
                point_name=rp.point.name,
                point_type=rp.point.type.code,
                street=rp.street.name if rp.street else "",  # type: ignore[attr-defined]
                inspector=rp.inspector.username if rp.inspector else None,
                inspected_at=rp.visit.observed_at if rp.visit else None,  # type: ignore[attr-defined]
            )
            for rp in rows
        ],
    )


@router.get(
    "/assignments",
    response=list[RoundAssignmentOut],
    summary="My points in open rounds, each with its checklist",
)
def my_assignments(request: HttpRequest) -> list[RoundAssignmentOut]:
    rows = list(queries.field_points(request.user).order_by("round_id", "seq"))
    by_framework: dict[int, list[checklist.Clause]] = {}
    out: list[RoundAssignmentOut] = []
    for rp in rows:
        framework_id = rp.round.framework_id
        if framework_id not in by_framework:
            by_framework[framework_id] = checklist.field_clauses(framework_id)
        visit = getattr(rp, "inspection", None)
        p = rp.point
        out.append(
            RoundAssignmentOut(
                round_point=rp.pk,
                round=rp.round_id,
                round_name=rp.round.name,
                point=PointBrief(
                    code=p.code,
                    name=p.name,
                    type=p.type.code,
                    type_name=p.type.name,
                    address=p.address,
                    lng=float(p.lng),
                    lat=float(p.lat),
                ),
                inspected_at=visit.observed_at if visit else None,
                checklist=[
                    RoundClauseOut(id=c.id, number=c.number, text=c.text, heading=c.heading)
                    for c in checklist.for_type(by_framework[framework_id], p.type_id)
                ],
            )
        )
    return out


def _items(raw: str, files: list[UploadedFile]) -> list[ItemData]:
    """Parse the items JSON and attach the photo files each item names by position."""
    try:
        items = ITEMS.validate_json(raw)
    except PydanticError as exc:
        raise ValidationError(
            [{"loc": ["form", "items", *e["loc"]], "msg": e["msg"]} for e in exc.errors()]
        ) from exc
    contents = [(f.name or "", f.read()) for f in files]
    parsed: list[ItemData] = []
    for index, item in enumerate(items):
        bad = [i for i in item.photos if not 0 <= i < len(contents)]
        if bad:
            raise ValidationError(
                [{"loc": ["form", "items", index, "photos"], "msg": "no such photo"}]
            )
        parsed.append(
            ItemData(
                clause_id=item.clause,
                result=item.result,
                note=item.note,
                photos=[PhotoFile(*contents[i]) for i in item.photos],
            )
        )
    return parsed


def _out(result: SubmitResult) -> SubmissionOut:
    return SubmissionOut(
        client_id=result.inspection.client_id,
        inspection=result.inspection.pk,
        created=result.created,
        observations=result.inspection.observations.count(),
        cases=[CaseRef(number=c.number, url=f"/cases/{c.pk}/") for c in result.cases],
    )


@router.post(
    "/submissions",
    response={
        200: SubmissionOut,
        201: SubmissionOut,
        403: Error,
        404: Error,
        409: Error,
        422: Error,
    },
    summary="Submit an inspection (multipart; replaying the same client_id is harmless)",
    url_name="inspections_submit",
)
def submit(
    request: HttpRequest,
    payload: Form[SubmissionIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[SubmissionOut]:
    """201 when stored, 200 when this ``client_id`` was stored before (nothing written again)."""
    rp = (
        RoundPoint.objects.submittable_by(request.user)
        .select_related("round", "round__region", "point", "point__territorial_unit")
        .filter(pk=payload.round_point)
        .first()
    )
    if rp is None:
        raise Http404
    data = SubmissionData(
        client_id=payload.client_id,
        round_point=rp,
        items=_items(payload.items, list(photos or [])),
        observed_at=payload.observed_at,
        lng=payload.lng,
        lat=payload.lat,
        accuracy_m=round(payload.accuracy) if payload.accuracy is not None else None,
        note=payload.note,
    )
    try:
        result = submit_inspection(data, actor=request.user)
    except InspectionValidationError as exc:
        raise ValidationError(
            [
                {"loc": ["form", field], "msg": msg}
                for field, msgs in exc.errors.items()
                for msg in msgs
            ]
        ) from exc
    except InspectionError as exc:
        raise HttpError(409, exc.message) from exc
    except PermissionDenied as exc:
        raise HttpError(403, str(exc) or "Forbidden") from exc
    return Status(201 if result.created else 200, _out(result))
