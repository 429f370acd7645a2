"""REST endpoints for cases under /api/v1/cases: the list with the pages' filters, one case
with its timeline, staff intake, and one POST per workflow step.

Every read goes through ``visible_to`` (a case outside it is 404). A step that is not allowed
from the current state, or taken on an older version than the stored one, answers 409 with the
domain's message; missing or bad input answers 422 naming the field; a step the user may not
take on a case they can see answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.files import UploadedFile
from ninja.responses import Status

from chuangcheng.cases import queries
from chuangcheng.cases.api_out import detail_out, list_out
from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError, StaleCaseError
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.domain.workflow import expect_version, require
from chuangcheng.cases.enums import CaseAction, CaseSource, Priority
from chuangcheng.cases.filters import CaseFilters
from chuangcheng.cases.models import Case, Category
from chuangcheng.cases.schemas import (
    CaseDetailOut,
    CaseIn,
    CasePage,
    CommentIn,
    DecideIn,
    DispatchIn,
    ExtensionIn,
    FeedbackIn,
    MergeIn,
    ReasonIn,
    RegisterIn,
    ReopenIn,
    ResumeIn,
    VerifyIn,
)
from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

router = Router(tags=["cases"])
MAX_LIMIT = 500
STAFF_SOURCES = (CaseSource.HOTLINE, CaseSource.SUPERIOR, CaseSource.INSPECTION)
ACTION_RESPONSES: dict[int, Any] = {
    200: CaseDetailOut,
    403: Error,
    404: Error,
    409: Error,
    422: Error,
}


class CaseListParams(Schema):
    """The same filters as the case list page (see ``cases.filters``)."""

    status: str = ""
    category: int | None = None
    street: int | None = None
    unit: int | None = None
    source: str = ""
    overdue: bool = False
    recurrent: bool = False
    extension: bool = False
    date_from: str = Field("", alias="from")
    date_to: str = Field("", alias="to")
    q: str = ""
    limit: PageLimit = 50
    offset: PageOffset = 0


def _invalid(field: str, msg: str) -> ValidationError:
    return ValidationError([{"loc": ["body", field], "msg": msg}])


def _error(status: int, detail: str, code: str) -> Status[Error]:
    return Status(status, Error(detail=detail, code=code))


def _visible(request: HttpRequest, pk: int) -> Case:
    return queries.visible_case(request.user, pk)


def _step(request: HttpRequest, pk: int, version: int | None, run: Callable[[Case], Any]) -> Any:
    """Run one workflow step on the visible case and answer with the case as it is after it."""
    case = _visible(request, pk)
    try:
        expect_version(case, version)
        run(case)
    except PermissionDenied:
        return _error(403, "You may not do this to this case.", "forbidden")
    except CaseValidationError as exc:
        raise ValidationError(
            [
                {"loc": ["body", field], "msg": msg}
                for field, msgs in exc.errors.items()
                for msg in msgs
            ]
        ) from exc
    except StaleCaseError as exc:
        return _error(409, exc.message, "stale")
    except CaseError as exc:
        return _error(409, exc.message, "refused")
    return detail_out(request.user, _visible(request, pk))


def _category(code: str | None, field: str = "category") -> Category | None:
    if not code:
        return None
    found = Category.objects.filter(code=code, active=True).first()
    if found is None:
        raise _invalid(field, f"unknown category {code!r}")
    return found


def _unit(request: HttpRequest, code: str | None, field: str) -> Unit | None:
    if not code:
        return None
    found = Unit.objects.visible_to(request.user).filter(code=code).first()
    if found is None:
        raise _invalid(field, f"unknown unit {code!r}")
    return found


def _acting_unit(request: HttpRequest, case: Case, code: str | None) -> Unit:
    if code:
        unit = _unit(request, code, "unit")
        assert unit is not None
        return unit
    acting = queries.acting_units(request.user, case)
    if len(acting) != 1:
        raise _invalid("unit", "give the code of the unit you act for")
    return acting[0]


def _uploads(files: list[UploadedFile] | None) -> list[tuple[str, bytes]]:
    return [(f.name or "", f.read()) for f in files or []]


@router.get("", response=CasePage, summary="List visible cases")
def list_cases(request: HttpRequest, params: Query[CaseListParams]) -> CasePage:
    f = CaseFilters.from_query(request.GET)
    now = timezone.now()
    qs = queries.cases_for(request.user, f, now)
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    rows = queries.decorate(qs[offset : offset + limit], now)
    return CasePage(count=qs.count(), items=[list_out(c) for c in rows])


@router.get("/{pk}", response={200: CaseDetailOut, 404: Error}, summary="One case, with timeline")
def get_case(request: HttpRequest, pk: int) -> CaseDetailOut:
    return detail_out(request.user, _visible(request, pk))


@router.post(
    "",
    response={201: CaseDetailOut, 403: Error, 422: Error},
    summary="Enter a case (hotline, order from above, inspection)",
)
def create(request: HttpRequest, payload: CaseIn) -> Status[Any]:
    if not request.user.has_perm("cases.manage_case"):
        return _error(403, "You may not enter cases.", "forbidden")
    if payload.source not in STAFF_SOURCES:
        raise _invalid("source", "one of " + ", ".join(STAFF_SOURCES))
    if payload.priority not in Priority.values:
        raise _invalid("priority", "one of " + ", ".join(Priority.values))
    point = None
    if payload.point:
        point = Point.objects.visible_to(request.user).filter(code=payload.point).first()
        if point is None:
            raise _invalid("point", f"unknown point {payload.point!r}")
    region = None
    if payload.region:
        region = Region.objects.visible_to(request.user).filter(code=payload.region).first()
        if region is None:
            raise _invalid("region", f"unknown region {payload.region!r}")
    data = CaseData(
        source=payload.source,
        description=payload.description,
        category=_category(payload.category),
        point=point,
        region=region,
        lng=payload.lng,
        lat=payload.lat,
        address=payload.address,
        priority=payload.priority,
        reporter_name=payload.reporter_name,
        reporter_phone=payload.reporter_phone,
        external_id=payload.external_id,
        within=region,
    )
    try:
        case = create_case(data, actor=request.user)
    except CaseValidationError as exc:
        raise ValidationError(
            [{"loc": ["body", k], "msg": m} for k, msgs in exc.errors.items() for m in msgs]
        ) from exc
    return Status(201, detail_out(request.user, _visible(request, case.pk)))


@router.post("/{pk}/register", response=ACTION_RESPONSES, summary="立案")
def register(request: HttpRequest, pk: int, payload: RegisterIn) -> Any:
    category = _category(payload.category)
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.register(
            c, actor=request.user, category=category, priority=payload.priority, note=payload.note
        ),
    )


@router.post("/{pk}/dispatch", response=ACTION_RESPONSES, summary="派遣 (立案 first if needed)")
def dispatch(request: HttpRequest, pk: int, payload: DispatchIn) -> Any:
    lead = _unit(request, payload.lead, "lead")
    if lead is None:  # an empty code: a 422, not an assertion's 500
        raise _invalid("lead", "a lead unit is required")
    partners = [_unit(request, code, "partners") for code in payload.partners]
    category = _category(payload.category)

    def run(case: Case) -> None:
        common: dict[str, Any] = {
            "actor": request.user,
            "lead": lead,
            "partners": [u for u in partners if u is not None],
            "due_at": payload.due_at,
            "note": payload.note,
        }
        if case.status == "reported":
            actions.register_and_dispatch(
                case, category=category, priority=payload.priority, **common
            )
        else:
            actions.dispatch(case, **common)

    return _step(request, pk, payload.version, run)


@router.post("/{pk}/reject", response=ACTION_RESPONSES, summary="不予立案")
def reject(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.reject(c, actor=request.user, reason=payload.reason),
    )


@router.post("/{pk}/merge", response=ACTION_RESPONSES, summary="合并为重复")
def merge(request: HttpRequest, pk: int, payload: MergeIn) -> Any:
    into = Case.objects.visible_to(request.user).filter(number=payload.into).first()
    if into is None:
        raise _invalid("into", f"unknown case {payload.into!r}")
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.merge(c, actor=request.user, into=into, note=payload.note),
    )


@router.post("/{pk}/feedback", response=ACTION_RESPONSES, summary="处置反馈 (multipart)")
def feedback(
    request: HttpRequest,
    pk: int,
    payload: Form[FeedbackIn],
    photos: File[list[UploadedFile] | None] = None,
) -> Any:
    def run(case: Case) -> None:
        require(case, CaseAction.FEEDBACK, actor=request.user)  # before asking for a unit
        actions.feedback_with_uploads(
            case,
            actor=request.user,
            unit=_acting_unit(request, case, payload.unit),
            text=payload.text,
            uploads=_uploads(photos),
        )

    return _step(request, pk, payload.version, run)


@router.post("/{pk}/verify", response=ACTION_RESPONSES, summary="核查: pass closes, fail = 返工")
def verify(
    request: HttpRequest,
    pk: int,
    payload: Form[VerifyIn],
    photos: File[list[UploadedFile] | None] = None,
) -> Any:
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.verify_with_uploads(
            c,
            actor=request.user,
            passed=payload.passed,
            note=payload.note,
            uploads=_uploads(photos),
        ),
    )


@router.post("/{pk}/suspend", response=ACTION_RESPONSES, summary="缓办")
def suspend(request: HttpRequest, pk: int, payload: ReasonIn) -> Any:
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.suspend(c, actor=request.user, reason=payload.reason),
    )


@router.post("/{pk}/resume", response=ACTION_RESPONSES, summary="恢复办理")
def resume(request: HttpRequest, pk: int, payload: ResumeIn) -> Any:
    lead = _unit(request, payload.lead, "lead")
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.resume(
            c, actor=request.user, due_at=payload.due_at, note=payload.note, lead=lead
        ),
    )


@router.post("/{pk}/reopen", response=ACTION_RESPONSES, summary="重新打开")
def reopen(request: HttpRequest, pk: int, payload: ReopenIn) -> Any:
    category = _category(payload.category)
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.reopen(c, actor=request.user, reason=payload.reason, category=category),
    )


@router.post("/{pk}/extension", response=ACTION_RESPONSES, summary="申请延期")
def ask_extension(request: HttpRequest, pk: int, payload: ExtensionIn) -> Any:
    def run(case: Case) -> None:
        unit = _acting_unit(request, case, payload.unit)
        actions.ask_extension(
            case,
            actor=request.user,
            unit=unit,
            new_due_at=payload.new_due_at,
            reason=payload.reason,
        )

    return _step(request, pk, payload.version, run)


@router.post("/{pk}/extension/decide", response=ACTION_RESPONSES, summary="同意/拒绝延期")
def decide_extension(request: HttpRequest, pk: int, payload: DecideIn) -> Any:
    def run(case: Case) -> None:
        pending = queries.pending_extension(case)
        if pending is None:
            raise CaseError(_("There is no extension request waiting for a decision."))
        pending.case = case
        actions.decide_extension(
            pending, actor=request.user, grant=payload.grant, note=payload.note
        )

    return _step(request, pk, payload.version, run)


@router.post("/{pk}/comment", response=ACTION_RESPONSES, summary="备注")
def comment(request: HttpRequest, pk: int, payload: CommentIn) -> Any:
    return _step(
        request,
        pk,
        payload.version,
        lambda c: actions.comment(c, actor=request.user, text=payload.text),
    )
