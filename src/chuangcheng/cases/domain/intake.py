"""Cases come in: from inspection findings, people's reports, hotline calls and Open311.

:func:`create_case` is the single entry; it numbers the case, places it (from the point, else
from the position), proposes the units and records the first timeline step.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.cases.domain import actions, duplicates, placing
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.enums import CaseAction, CaseStatus, CategoryKind, PhotoStage, Priority
from chuangcheng.cases.models import Case, CaseCounter, CaseEvent, Category, Photo
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region, Unit

MAX_DESCRIPTION = 2000
_PHONE = re.compile(r"^\+?[0-9][0-9-]*$")


@dataclass
class CaseData:
    """What a report says. Give a ``point`` or a position (``lng``/``lat``) or a ``region``."""

    source: str
    description: str
    category: Category | None = None
    point: Any = None  # points.Point
    lng: Decimal | None = None
    lat: Decimal | None = None
    region: Region | None = None
    address: str = ""
    clause: Any = None  # frameworks.Node
    priority: str = Priority.NORMAL
    reporter: Any = None
    reporter_name: str = ""
    reporter_phone: str = ""
    notice_version: str = ""
    external_id: str = ""
    reported_at: dt.datetime | None = None
    photos: Sequence[Photo] = field(default_factory=tuple)
    line_unit: Unit | None = None
    within: Region | None = None  # limit the search for a position to this subtree
    # What the classifier proposed; when neither is given, create_case asks it.
    suggested_category: Category | None = None
    suggested_unit: Unit | None = None


def next_number(year: int) -> str:
    """``2026-000042``: per-year sequence under a row lock, so concurrent intakes never clash."""
    with transaction.atomic():
        counter, _created = CaseCounter.objects.select_for_update().get_or_create(year=year)
        counter.last += 1
        counter.save(update_fields=["last"])
        return f"{year}-{counter.last:06d}"


def _place(data: CaseData) -> tuple[Region, Decimal | None, Decimal | None, str]:
    errors: dict[str, list[str]] = {}
    if data.point is not None:
        p = data.point
        return p.region, p.lng, p.lat, data.address or p.address or p.name
    region = data.region
    if data.lng is not None and data.lat is not None:
        found = placing.locate(float(data.lng), float(data.lat), data.within)
        if found is not None:
            region = found
        elif region is None:
            errors["position"] = [_("This position is outside the area the platform covers.")]
    if region is None and "position" not in errors:
        errors["position"] = [_("Give a position on the map or choose a point.")]
    if errors:
        raise CaseValidationError(errors)
    assert region is not None
    return region, data.lng, data.lat, data.address


def validate(data: CaseData) -> None:
    errors: dict[str, list[str]] = {}
    text = data.description.strip()
    if not text:
        errors["description"] = [_("Describe the problem.")]
    elif len(text) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Keep the description under %(n)d characters.") % {"n": MAX_DESCRIPTION}
        ]
    if data.category is not None and data.category.is_class:
        errors["category"] = [_("Choose a subclass, not a class.")]
    if data.reporter_phone and not phone_ok(data.reporter_phone):
        errors["reporter_phone"] = [_("Enter a phone number of 7 to 15 digits.")]
    if errors:
        raise CaseValidationError(errors)


def phone_ok(value: str) -> bool:
    """A caller's number as people give it: mobile, landline with or without area code, digits
    with dashes or a leading +. Checked here, where forms, API and Open311 all pass, so no way
    in stores text that is not a number (the forms may be stricter)."""
    compact = re.sub(r"[\s()]", "", value)
    digits = sum(ch.isdigit() for ch in compact)
    return bool(_PHONE.match(compact)) and 7 <= digits <= 15


def _suggest(data: CaseData, region: Region) -> tuple[Category | None, Unit | None]:
    if data.suggested_category is not None or data.suggested_unit is not None:
        return data.suggested_category, data.suggested_unit
    from chuangcheng.cases.domain.suggest import suggest

    found = suggest(data.description, region=region)
    return found.category, found.unit


def create_case(data: CaseData, *, actor: Any, status: str = CaseStatus.REPORTED) -> Case:
    """Store a new case with its photos; nothing is written when validation fails.

    A report repeating an open case exactly (same point, category and calendar day) is merged
    into it at once, by the system, audited; the reporter follows the original. Otherwise the
    case may complete a recurring group (屡改屡犯), which marks the whole group.
    """
    validate(data)
    region, lng, lat, address = _place(data)
    now = timezone.now()
    reported_at = data.reported_at or now
    point = data.point
    territorial = (
        point.territorial_unit if point is not None else placing.territorial_unit_for(region)
    )
    line = data.line_unit or (point.line_unit if point is not None else None)
    if line is None and data.category is not None:
        line = data.category.line_unit
    suggested_category, suggested_unit = _suggest(data, region)
    with transaction.atomic():
        case = Case.objects.create(
            number=next_number(reported_at.year),
            source=data.source,
            status=status,
            priority=data.priority,
            category=data.category,
            suggested_category=suggested_category,
            suggested_unit=suggested_unit,
            description=data.description.strip(),
            point=point,
            clause=data.clause,
            region=region,
            lng=lng,
            lat=lat,
            address=address[:200],
            territorial_unit=territorial,
            line_unit=line,
            reporter=data.reporter if getattr(data.reporter, "is_authenticated", False) else None,
            reporter_name=data.reporter_name,
            reporter_phone=data.reporter_phone,
            notice_version=data.notice_version,
            external_id=data.external_id,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            reported_at=reported_at,
            registered_at=now if status != CaseStatus.REPORTED else None,
        )
        if data.photos:
            Photo.objects.filter(pk__in=[p.pk for p in data.photos]).update(
                case=case, stage=PhotoStage.REPORT
            )
        user = actor if getattr(actor, "is_authenticated", False) else None
        CaseEvent.objects.create(
            case=case,
            at=now,
            actor=user,
            actor_name=str(user) if user else _("System"),
            action=CaseAction.REPORT,
            to_status=status,
            note=data.source,
        )
        audit.record(actor, AuditAction.CREATE, case, after=audit.snapshot(case))
        original = duplicates.same_day_original(case) if status == CaseStatus.REPORTED else None
        if original is not None:
            actions.merge(
                case,
                actor=None,
                into=original,
                note=_("Same point, category and day as %(number)s: merged automatically.")
                % {"number": original.number},
            )
        else:
            duplicates.mark_recurrence(case, actor=actor)
    return case


def proposed_lead(case: Case) -> Unit | None:
    """The unit a clerk is offered as lead (主办): the territorial unit for an event (事件) —
    disorder belongs to the street or community where it happens — and the line department for
    a city object (部件), which owns the object; else the classifier's suggestion, else whichever
    unit is known. Reads only fields already loaded with the case."""
    category = case.category or case.suggested_category
    kind = category.kind if category is not None else None
    if kind == CategoryKind.EVENT and case.territorial_unit is not None:
        return case.territorial_unit
    if kind == CategoryKind.OBJECT:
        line = case.line_unit or (category.line_unit if category is not None else None)
        if line is not None:
            return line
    return case.suggested_unit or case.territorial_unit or case.line_unit
