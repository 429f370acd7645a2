"""Taking in an inspection from the phone: observations, photos, and a case per failed clause.

:func:`submit_inspection` is idempotent on the phone-made ``client_id``: a submission replayed
after a lost answer or when the network returns is recognised and nothing is stored twice.
Photos are checked before anything is written; one bad photo refuses the whole submission.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain import actions, photos, suggest
from chuangcheng.cases.domain.errors import CaseError, CaseValidationError
from chuangcheng.cases.domain.intake import MAX_DESCRIPTION, CaseData, create_case
from chuangcheng.cases.enums import CaseSource
from chuangcheng.cases.models import Case, Category, Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Node
from chuangcheng.inspections.domain import checklist
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.enums import Result, RoundStatus
from chuangcheng.inspections.models import Inspection, Observation, RoundPoint

FALLBACK_CATEGORY = "S0603"  # 其他事件: when the text suggests no category
MAX_NOTE = 1000
MAX_PHOTOS_PER_ITEM = 6
SIX_PLACES = Decimal("0.000001")


@dataclass(frozen=True)
class PhotoFile:
    name: str
    data: bytes


@dataclass
class ItemData:
    clause_id: int
    result: str
    note: str = ""
    photos: Sequence[PhotoFile] = ()


@dataclass
class SubmissionData:
    client_id: uuid.UUID
    round_point: RoundPoint
    items: Sequence[ItemData]
    observed_at: dt.datetime | None = None
    lng: Decimal | None = None
    lat: Decimal | None = None
    accuracy_m: int | None = None
    note: str = ""


@dataclass
class SubmitResult:
    inspection: Inspection
    created: bool
    cases: list[Case] = field(default_factory=list)


def _replayed(existing: Inspection, data: SubmissionData) -> SubmitResult:
    if existing.round_point_id != data.round_point.pk:
        raise InspectionError(_("This submission number was already used for another point."))
    cases = list(
        Case.objects.filter(observation__inspection=existing).order_by("observation__clause__seq")
    )
    return SubmitResult(inspection=existing, created=False, cases=cases)


def _check_access(data: SubmissionData, actor: Any) -> None:
    rp = data.round_point
    if actor is None or not actor.has_perm("inspections.submit_point", rp):
        raise PermissionDenied(_("You may not inspect this point."))


def _item_errors(items: Sequence[ItemData], clauses: dict[int, checklist.Clause]) -> list[str]:
    errors: list[str] = []
    seen: set[int] = set()
    for item in items:
        if item.clause_id not in clauses:
            errors.append(
                _("Clause %(id)s is not on this point's checklist.") % {"id": item.clause_id}
            )
        elif item.clause_id in seen:
            errors.append(
                _("Clause %(number)s is marked twice.") % {"number": clauses[item.clause_id].number}
            )
        seen.add(item.clause_id)
        if item.result not in Result.values:
            errors.append(_("Mark each item compliant, non-compliant or not applicable."))
        if len(item.note) > MAX_NOTE:
            errors.append(_("Keep each note under %(n)d characters.") % {"n": MAX_NOTE})
    if not items:
        errors.append(_("Mark at least one item before sending."))
    return errors


def _photo_errors(items: Sequence[ItemData]) -> list[str]:
    """Every photo is checked (type by content, size, decodable) before anything is stored."""
    errors: list[str] = []
    for item in items:
        if len(item.photos) > MAX_PHOTOS_PER_ITEM:
            errors.append(_("Attach at most %(n)d photos to an item.") % {"n": MAX_PHOTOS_PER_ITEM})
        for photo in item.photos:
            try:
                photos.check_photo(photo.data, photo.name)
            except CaseValidationError as exc:
                errors.extend(exc.errors.get("photo", [exc.message]))
    return errors


def _position_ok(data: SubmissionData) -> bool:
    if (data.lng is None) != (data.lat is None):
        return False
    if (
        data.lng is not None
        and data.lat is not None
        and not (-180 <= data.lng <= 180 and -90 <= data.lat <= 90)
    ):
        return False
    return data.accuracy_m is None or data.accuracy_m >= 0


def _validate(data: SubmissionData) -> dict[int, checklist.Clause]:
    """The checklist of the point by clause id; raises naming every problem."""
    rp = data.round_point
    clauses = {
        c.id: c
        for c in checklist.for_type(
            checklist.field_clauses(rp.round.framework_id), rp.point.type_id
        )
    }
    errors: dict[str, list[str]] = {}
    if items := _item_errors(data.items, clauses):
        errors["items"] = items
    if len(data.note) > MAX_NOTE:
        errors["note"] = [_("Keep the note under %(n)d characters.") % {"n": MAX_NOTE}]
    if not _position_ok(data):
        errors["position"] = [_("The position sent by the phone is not valid.")]
    if shots := _photo_errors(data.items):
        errors["photos"] = shots
    if errors:
        raise InspectionValidationError(errors)
    return clauses


def _fallback_category() -> Category | None:
    return Category.objects.filter(code=FALLBACK_CATEGORY, active=True).first()


def _round6(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(SIX_PLACES, rounding=ROUND_HALF_UP)


def submit_inspection(data: SubmissionData, *, actor: Any) -> SubmitResult:
    """Store the inspection, its observations and photos, and turn each 不符合 into a case
    registered and dispatched to the point's territorial unit (with its line department as a
    partner), all in one transaction. A replay of the same ``client_id`` returns the stored
    inspection with ``created`` False. Nothing is written when anything is refused."""
    _check_access(data, actor)
    existing = Inspection.objects.filter(client_id=data.client_id).first()
    if existing is not None:
        return _replayed(existing, data)
    rp = data.round_point
    if rp.round.status != RoundStatus.OPEN:
        raise InspectionError(_("This round is not in the field: it takes no inspections."))
    done = Inspection.objects.filter(round_point=rp).select_related("inspector").first()
    if done is not None:
        raise InspectionError(
            _("This point was already inspected on %(date)s by %(name)s.")
            % {
                "date": f"{timezone.localtime(done.observed_at):%Y-%m-%d %H:%M}",
                "name": done.inspector,
            }
        )
    clauses = _validate(data)
    fallback = _fallback_category()
    stored: list[Photo] = []
    try:
        with transaction.atomic():
            result = _write(data, actor, clauses, fallback, stored)
    except IntegrityError:
        _discard(stored)
        again = Inspection.objects.filter(client_id=data.client_id).first()
        if again is not None:
            return _replayed(again, data)
        raise InspectionError(_("This point was inspected by someone else just now.")) from None
    except BaseException:
        _discard(stored)
        raise
    return result


def _discard(stored: list[Photo]) -> None:
    """Remove the files of photos whose rows were rolled back (each stored under its own name)."""
    for photo in stored:
        if photo.image.name:
            photo.image.storage.delete(photo.image.name)


def _write(
    data: SubmissionData,
    actor: Any,
    clauses: dict[int, checklist.Clause],
    fallback: Category | None,
    stored: list[Photo],
) -> SubmitResult:
    rp = data.round_point
    point = rp.point
    now = timezone.now()
    observed = min(data.observed_at or now, now)  # a phone clock ahead of ours is not believed
    lng, lat = _round6(data.lng), _round6(data.lat)
    inspection = Inspection.objects.create(
        round_point=rp,
        client_id=data.client_id,
        inspector=actor if getattr(actor, "is_authenticated", False) else None,
        observed_at=observed,
        lng=lng,
        lat=lat,
        accuracy_m=data.accuracy_m,
        note=data.note.strip(),
    )
    item_photos: list[list[Photo]] = []
    for item in data.items:
        item_photos.append([_store(stored, p, actor=actor, lng=lng, lat=lat) for p in item.photos])
    observations = Observation.objects.bulk_create(
        Observation(
            inspection=inspection,
            clause_id=item.clause_id,
            result=item.result,
            note=item.note.strip(),
        )
        for item in data.items
    )
    Observation.photos.through.objects.bulk_create(
        Observation.photos.through(observation_id=obs.pk, photo_id=photo.pk)
        for obs, shots in zip(observations, item_photos, strict=True)
        for photo in shots
    )
    failed = [
        (obs, item, shots)
        for obs, item, shots in zip(observations, data.items, item_photos, strict=True)
        if item.result == Result.FAIL
    ]
    nodes = Node.objects.in_bulk([obs.clause_id for obs, _i, _s in failed])
    cases: list[Case] = []
    for obs, item, shots in failed:
        case = _open_case(
            point=point,
            node=nodes[obs.clause_id],
            clause=clauses[obs.clause_id],
            item=item,
            shots=shots,
            observed=observed,
            fallback=fallback,
            actor=actor,
        )
        obs.case = case
        obs.save(update_fields=["case"])
        cases.append(case)
    audit.record(
        actor,
        AuditAction.CREATE,
        inspection,
        after={
            "round_point": rp.pk,
            "client_id": str(data.client_id),
            "observations": {r: sum(1 for i in data.items if i.result == r) for r in Result.values},
            "cases": [c.number for c in cases],
        },
    )
    return SubmitResult(inspection=inspection, created=True, cases=cases)


def _store(
    stored: list[Photo], photo: PhotoFile, *, actor: Any, lng: Decimal | None, lat: Decimal | None
) -> Photo:
    saved = photos.store_photo(photo.data, actor=actor, name=photo.name, lng=lng, lat=lat)
    stored.append(saved)
    return saved


def _open_case(
    *,
    point: Any,
    node: Node,
    clause: checklist.Clause,
    item: ItemData,
    shots: list[Photo],
    observed: dt.datetime,
    fallback: Category | None,
    actor: Any,
) -> Case:
    """The case for one failed clause, registered and dispatched so its clock starts."""
    note = item.note.strip()
    text = f"{clause.number} {clause.text}".strip()
    description = (f"{text}\n{note}" if note else text)[:MAX_DESCRIPTION]
    category = suggest.suggest(f"{clause.text} {note}").category or fallback
    if category is None:
        raise InspectionError(
            _("No case category fits and the fallback category %(code)s is missing.")
            % {"code": FALLBACK_CATEGORY}
        )
    case = create_case(
        CaseData(
            source=CaseSource.INSPECTION,
            description=description,
            category=category,
            point=point,
            clause=node,
            reported_at=observed,
            photos=shots,
        ),
        actor=actor,
    )
    partners = [point.line_unit] if point.line_unit_id else []
    try:
        actions.register_and_dispatch(
            case, actor=None, lead=point.territorial_unit, partners=partners
        )
    except CaseError as exc:
        raise InspectionError(exc.message) from exc
    return case
