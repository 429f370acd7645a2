"""微心愿 under /api/v1/practice/wishes: the same rules, querysets and domain as the pages.

Wishes outside the user's scope answer 404. A move the rules refuse answers 403; a move the
workflow refuses (the wish has moved on, someone else claimed it) 409; bad fields 422 with
``loc`` = ["body", field]. The beneficiary's name is given only to station readers, the
claimer and the beneficiary; the phone only masked, to station readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import F, Q
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Field, File, Form, Query, Router, Schema, Status, UploadedFile
from ninja.errors import ValidationError

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.scope import scope_of
from chuangcheng.core.api_support import Error, PageLimit, PageOffset
from chuangcheng.orgs.models import Unit
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.wishes_submit import NOTICE_VERSION, WishData, submit_wish
from chuangcheng.practice.enums import SiteKind, WishStatus
from chuangcheng.practice.models import Household, PracticeSite, Wish

router = Router(tags=["practice"])

MAX_LIMIT = 200


class WishPlaceOut(Schema):
    id: int
    name: str


class WishOut(Schema):
    id: int
    code: str = Field(..., description="XY-<year>-<number>")
    status: str = Field(..., description=" | ".join(WishStatus.values))
    title: str
    region: WishPlaceOut = Field(..., description="The community")
    site: WishPlaceOut = Field(..., description="The practice station")
    due_on: dt.date | None = Field(None, description="Wanted by")
    beneficiary_name: str | None = Field(
        None, description="Only for station readers, the claimer and the beneficiary"
    )
    beneficiary_phone: str | None = Field(None, description="Masked; station readers only")
    claimed_by: str | None
    claimed_unit: WishPlaceOut | None
    rating: int | None
    created_at: dt.datetime
    url: str


class WishPhotoOut(Schema):
    id: int
    url: str


class WishEventOut(Schema):
    from_status: str
    to_status: str
    at: dt.datetime
    actor: str | None
    note: str


class WishDetailOut(WishOut):
    description: str
    fulfil_note: str
    rating_comment: str
    cancel_reason: str
    published_at: dt.datetime | None
    claimed_at: dt.datetime | None
    fulfilled_at: dt.datetime | None
    rated_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    photos: list[WishPhotoOut]
    events: list[WishEventOut]
    allowed: list[str] = Field(
        ...,
        description="Moves this user may make now: publish, claim, release, fulfil, rate, cancel",
    )


ACTION = {200: WishDetailOut, 403: Error, 404: Error, 409: Error, 422: Error}


class WishPage(Schema):
    count: int
    items: list[WishOut]


class WishListParams(Schema):
    status: str = Field("", description=" | ".join(WishStatus.values))
    wall: bool = Field(False, description="Only the wishes on the wall (published)")
    mine: str = Field("", description="made | claimed: the user's own wishes")
    limit: PageLimit = 50
    offset: PageOffset = 0


class WishIn(Schema):
    site: int = Field(..., description="Id of the practice station")
    title: str
    description: str = ""
    beneficiary_name: str
    beneficiary_phone: str = ""
    due_on: dt.date | None = None
    household: str = Field("", description="Household number (station staff only)")
    notice_version: str = Field(..., description=f"The privacy notice accepted: {NOTICE_VERSION}")


class ClaimIn(Schema):
    unit: str = Field("", description="Code of the unit claiming; empty: yourself as a volunteer")


class WishReasonIn(Schema):
    reason: str = ""


class WishRateIn(Schema):
    rating: int = Field(..., description="1 to 5")
    comment: str = ""


class FulfilIn(Schema):
    note: str


def _place(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.name}


def _out(user: Any, w: Wish, sees_person: bool) -> dict[str, Any]:
    reader = user.has_perm("practice.view_network", w)
    return {
        "id": w.pk,
        "code": w.code,
        "status": w.status,
        "title": w.title,
        "region": _place(w.region),
        "site": _place(w.site),
        "due_on": w.due_on,
        "beneficiary_name": w.beneficiary_name if sees_person else None,
        "beneficiary_phone": w.beneficiary_phone_masked if reader else None,
        "claimed_by": str(w.claimed_by) if w.claimed_by else None,
        "claimed_unit": _place(w.claimed_unit) if w.claimed_unit else None,
        "rating": w.rating,
        "created_at": w.created_at,
        "url": reverse("practice:wish_detail", args=[w.pk]),
    }


def _detail(request: HttpRequest, pk: int) -> dict[str, Any]:
    w = _visible(request, pk)
    perms = wishes.permissions(request.user, w)
    kind = "original" if perms["sees_originals"] else "public"
    moves = ("publish", "claim_this", "release", "fulfil", "rate", "cancel")
    return {
        **_out(request.user, w, perms["sees_person"]),
        "description": w.description,
        "fulfil_note": w.fulfil_note,
        "rating_comment": w.rating_comment,
        "cancel_reason": w.cancel_reason,
        "published_at": w.published_at,
        "claimed_at": w.claimed_at,
        "fulfilled_at": w.fulfilled_at,
        "rated_at": w.rated_at,
        "cancelled_at": w.cancelled_at,
        "photos": [
            {"id": p.photo_id, "url": reverse("practice:wish_photo", args=[w.pk, p.photo_id, kind])}
            for p in w.photos.order_by("pk")
        ],
        "events": [
            {
                "from_status": e.from_status,
                "to_status": e.to_status,
                "at": e.at,
                "actor": str(e.actor) if e.actor and perms["sees_person"] else None,
                "note": e.note if perms["sees_person"] else "",
            }
            for e in w.events.select_related("actor")
        ],
        "allowed": [m.removesuffix("_this") for m in moves if perms[f"can_{m}"]],
    }


def _visible(request: HttpRequest, pk: int) -> Wish:
    found = (
        Wish.objects.visible_to(request.user)
        .select_related("site", "region", "claimed_by", "claimed_unit", "household")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _field_errors(exc: PracticeError) -> ValidationError:
    return ValidationError(
        [{"loc": ["body", name], "msg": m} for name, msgs in exc.errors.items() for m in msgs]
    )


def _move(request: HttpRequest, pk: int, run: Callable[[Wish], Any]) -> Status[Any]:
    wish = _visible(request, pk)
    try:
        run(wish)
    except wishes.WishForbiddenError as exc:
        return Status(403, Error(detail=str(exc), code="forbidden"))
    except PracticeError as exc:
        if set(exc.errors) == {"__all__"}:
            return Status(409, Error(detail=str(exc), code="refused"))
        raise _field_errors(exc) from exc
    return Status(200, _detail(request, pk))


@router.get("/wishes", response={200: WishPage, 422: Error}, summary="Wishes this user sees")
def list_wishes(request: HttpRequest, params: Query[WishListParams]) -> dict[str, Any]:
    user = request.user
    qs = Wish.objects.visible_to(user).select_related(
        "site", "region", "claimed_by", "claimed_unit"
    )
    if params.status:
        if params.status not in WishStatus.values:
            raise ValidationError([{"loc": ["query", "status"], "msg": "unknown status"}])
        qs = qs.filter(status=params.status)
    if params.wall:
        qs = qs.filter(status=WishStatus.PUBLISHED)
    if params.mine == "made":
        qs = qs.filter(Q(published_by=user) | Q(household__members=user))
    elif params.mine == "claimed":
        units = sorted(scope_of(user).role_units.get(Role.UNIT, frozenset()))
        qs = qs.filter(Q(claimed_by=user) | Q(claimed_unit__in=units))
    elif params.mine:
        raise ValidationError([{"loc": ["query", "mine"], "msg": "made or claimed"}])
    qs = qs.order_by(F("due_on").asc(nulls_last=True), "-pk") if params.wall else qs
    limit = max(1, min(params.limit, MAX_LIMIT))
    offset = max(0, params.offset)
    rows = list(qs[offset : offset + limit])
    # A list names the beneficiary only to station readers and the claimer (no per-row query).
    items = [_out(user, w, user.has_perm("practice.fulfil_wish", w)) for w in rows]
    return {"count": qs.count(), "items": items}


@router.get("/wishes/{pk}", response={200: WishDetailOut, 404: Error}, summary="One wish")
def get_wish(request: HttpRequest, pk: int) -> dict[str, Any]:
    return _detail(request, pk)


@router.post(
    "/wishes",
    response={201: WishDetailOut, 403: Error, 422: Error},
    summary="Make a wish (station staff: published at once)",
)
def create_wish(request: HttpRequest, payload: WishIn) -> Status[Any]:
    user = request.user
    site = (
        PracticeSite.objects.visible_to(user).filter(pk=payload.site, kind=SiteKind.STATION).first()
    )
    if site is None:
        raise ValidationError([{"loc": ["body", "site"], "msg": "unknown station"}])
    household = None
    if payload.household:
        household = Household.objects.visible_to(user).filter(code=payload.household).first()
        if household is None:
            raise ValidationError([{"loc": ["body", "household"], "msg": "unknown household"}])
    data = WishData(
        title=payload.title,
        description=payload.description,
        beneficiary_name=payload.beneficiary_name,
        beneficiary_phone=payload.beneficiary_phone,
        due_on=payload.due_on,
        household=household,
        notice_version=payload.notice_version,
    )
    try:
        wish = submit_wish(site, data, actor=user)
    except wishes.WishForbiddenError as exc:
        return Status(403, Error(detail=str(exc), code="forbidden"))
    except PracticeError as exc:
        raise _field_errors(exc) from exc
    return Status(201, _detail(request, wish.pk))


@router.post("/wishes/{pk}/publish", response=ACTION, summary="Approve: put it on the wall")
def publish(request: HttpRequest, pk: int) -> Status[Any]:
    return _move(request, pk, lambda w: wishes.publish_wish(w, actor=request.user))


@router.post("/wishes/{pk}/claim", response=ACTION, summary="Claim (for yourself or your unit)")
def claim(request: HttpRequest, pk: int, payload: ClaimIn) -> Status[Any]:
    unit = None
    if payload.unit:
        unit = Unit.objects.filter(code=payload.unit).first()
        if unit is None:
            raise ValidationError([{"loc": ["body", "unit"], "msg": "unknown unit"}])
    return _move(request, pk, lambda w: wishes.claim_wish(w, actor=request.user, unit=unit))


@router.post("/wishes/{pk}/release", response=ACTION, summary="Give it back to the wall")
def release(request: HttpRequest, pk: int, payload: WishReasonIn) -> Status[Any]:
    return _move(
        request, pk, lambda w: wishes.release_wish(w, actor=request.user, reason=payload.reason)
    )


@router.post(
    "/wishes/{pk}/fulfil", response=ACTION, summary="Record it fulfilled (multipart: note, photos)"
)
def fulfil(
    request: HttpRequest,
    pk: int,
    payload: Form[FulfilIn],
    photos: File[list[UploadedFile]] = None,  # type: ignore[assignment]
) -> Status[Any]:
    return _move(
        request,
        pk,
        lambda w: wishes.fulfil_wish(
            w, actor=request.user, note=payload.note, files=list(photos or [])
        ),
    )


@router.post("/wishes/{pk}/rate", response=ACTION, summary="Rate it 1–5")
def rate(request: HttpRequest, pk: int, payload: WishRateIn) -> Status[Any]:
    return _move(
        request,
        pk,
        lambda w: wishes.rate_wish(
            w, actor=request.user, rating=payload.rating, comment=payload.comment
        ),
    )


@router.post("/wishes/{pk}/cancel", response=ACTION, summary="Cancel (before it is fulfilled)")
def cancel(request: HttpRequest, pk: int, payload: WishReasonIn) -> Status[Any]:
    return _move(
        request, pk, lambda w: wishes.cancel_wish(w, actor=request.user, reason=payload.reason)
    )
