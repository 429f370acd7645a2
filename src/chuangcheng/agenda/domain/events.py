"""Calendar events: the office creates, changes and deletes them, and generates the material
deadlines (材料报送截止) of framework clauses for their lead and partner units in one step.

Every change is checked (:func:`clean_event`), done in one transaction and audited with the
event's state before and after.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import CalendarEvent, EventPartner, default_remind_days
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Region, Unit

MAX_REMIND_DAYS = 366


@dataclass
class EventData:
    """What the office's form (or the demo, or the API) gives for an event."""

    title: str
    kind: str
    start_date: dt.date
    region: Region
    end_date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    clause: Node | None = None
    lead_unit: Unit | None = None
    partner_units: list[Unit] = field(default_factory=list)
    general: bool = False
    remind_days: list[int] = field(default_factory=default_remind_days)
    description: str = ""


def parse_remind_days(text: str) -> list[int]:
    """``"7, 3 1"`` → ``[7, 3, 1]`` (distinct, largest first); ValidationError otherwise."""
    found: set[int] = set()
    for part in text.replace("，", ",").replace(",", " ").split():
        if not part.isdigit() or int(part) > MAX_REMIND_DAYS:
            raise ValidationError(
                _("Give whole numbers of days from 0 to %(n)d, e.g. 7 3 1.")
                % {"n": MAX_REMIND_DAYS}
            )
        found.add(int(part))
    return sorted(found, reverse=True)


def with_clause_units(data: EventData) -> EventData:
    """The clause's 牵头单位 and 配合单位 when the event names a clause but no unit."""
    if data.clause is None or data.lead_unit is not None or data.partner_units:
        return data
    partners = list(data.clause.partner_units.all())
    return replace(data, lead_unit=data.clause.lead_unit, partner_units=partners)


def clean_event(data: EventData) -> None:
    """Raise ValidationError naming every problem of ``data``."""
    errors: dict[str, str] = {}
    if not data.title.strip():
        errors["title"] = _("Give the event a title.")
    if data.kind not in EventKind.values:
        errors["kind"] = _("Choose the kind of event.")
    if data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = _("The last day cannot be before the first.")
    if data.end_time is not None and data.start_time is None:
        errors["end_time"] = _("Give the start time too, or neither (an all-day event).")
    elif (
        data.start_time is not None
        and data.end_time is not None
        and (data.end_date in (None, data.start_date))
        and data.end_time <= data.start_time
    ):
        errors["end_time"] = _("The event must end after it starts.")
    if any(not 0 <= d <= MAX_REMIND_DAYS for d in data.remind_days):
        errors["remind_days"] = _("Give whole numbers of days from 0 to %(n)d, e.g. 7 3 1.") % {
            "n": MAX_REMIND_DAYS
        }
    if data.kind == EventKind.MATERIAL and data.lead_unit is None and not data.partner_units:
        errors["lead_unit"] = _(
            "A material deadline needs the unit that reports the material (or a clause that "
            "has a lead unit)."
        )
    if errors:
        raise ValidationError(errors)


def _snapshot(event: CalendarEvent, partners: Iterable[int]) -> dict[str, Any]:
    state = audit.snapshot(
        event,
        [
            "title",
            "kind",
            "start_date",
            "end_date",
            "start_time",
            "end_time",
            "clause_id",
            "lead_unit_id",
            "region_id",
            "general",
            "remind_days",
            "description",
        ],
    )
    state["partner_units"] = sorted(partners)
    return state


def _apply(event: CalendarEvent, data: EventData) -> list[int]:
    """Copy ``data`` onto ``event``; returns the partner unit ids (the lead left out)."""
    event.title = data.title.strip()
    event.kind = data.kind
    event.start_date = data.start_date
    event.end_date = data.end_date if data.end_date != data.start_date else None
    event.start_time = data.start_time
    event.end_time = data.end_time if data.start_time is not None else None
    event.clause = data.clause
    event.lead_unit = data.lead_unit
    event.region = data.region
    lead = data.lead_unit.pk if data.lead_unit is not None else None
    partners = sorted({u.pk for u in data.partner_units} - {lead})
    event.general = data.general and data.lead_unit is None and not partners
    event.remind_days = sorted(set(data.remind_days), reverse=True)
    event.description = data.description.strip()
    return partners


@transaction.atomic
def save_event(*, actor: Any, data: EventData, event: CalendarEvent | None = None) -> CalendarEvent:
    """Create or change an event (units default to the clause's); audited."""
    data = with_clause_units(data)
    clean_event(data)
    if not actor.has_perm("agenda.manage_calendar", data.region):
        raise PermissionDenied
    if event is not None and not actor.has_perm("agenda.manage_calendar", event):
        raise PermissionDenied
    old_partners: set[int] = set()
    before = None
    if event is not None:
        old_partners = set(
            EventPartner.objects.filter(event=event).values_list("unit_id", flat=True)
        )
        before = _snapshot(event, old_partners)
    target = event or CalendarEvent(created_by=actor)
    partners = _apply(target, data)
    target.save()
    if set(partners) != old_partners:
        EventPartner.objects.filter(event=target).exclude(unit_id__in=partners).delete()
        EventPartner.objects.bulk_create(
            [EventPartner(event=target, unit_id=pk) for pk in partners if pk not in old_partners]
        )
    after = _snapshot(target, partners)
    if event is None:
        audit.record(actor, AuditAction.CREATE, target, after=after)
    else:
        audit.record(actor, AuditAction.UPDATE, target, before=before, after=after)
    return target


@transaction.atomic
def delete_event(*, actor: Any, event: CalendarEvent) -> None:
    if not actor.has_perm("agenda.manage_calendar", event):
        raise PermissionDenied
    partners = EventPartner.objects.filter(event=event).values_list("unit_id", flat=True)
    before = _snapshot(event, list(partners))
    audit.record(actor, AuditAction.DELETE, event, before=before)
    event.delete()


@transaction.atomic
def generate_clause_deadlines(
    *,
    actor: Any,
    clauses: Sequence[Node],
    deadline: dt.date,
    region: Region,
    remind_days: list[int] | None = None,
) -> tuple[list[CalendarEvent], list[Node]]:
    """One material deadline on ``deadline`` per clause, for its lead and partner units, in a
    fixed number of statements. Clauses with no unit, or with a material deadline on that day
    already, are skipped and returned second (so running it twice creates nothing twice)."""
    if not actor.has_perm("agenda.manage_calendar", region):
        raise PermissionDenied
    if not clauses:
        raise ValidationError({"clauses": _("Choose at least one clause.")})
    days = default_remind_days() if remind_days is None else sorted(set(remind_days), reverse=True)
    if any(not 0 <= d <= MAX_REMIND_DAYS for d in days):
        raise ValidationError({"remind_days": _("Give whole numbers of days, e.g. 7 3 1.")})
    ids = [c.pk for c in clauses]
    taken = set(
        CalendarEvent.objects.filter(
            kind=EventKind.MATERIAL, start_date=deadline, clause__in=ids
        ).values_list("clause_id", flat=True)
    )
    nodes = (
        Node.objects.filter(pk__in=ids)
        .select_related("lead_unit")
        .prefetch_related("partner_units")
        .order_by("framework_id", "seq")
    )
    planned: list[tuple[CalendarEvent, list[int]]] = []
    skipped: list[Node] = []
    for node in nodes:
        partners = sorted({u.pk for u in node.partner_units.all()} - {node.lead_unit_id})
        if node.pk in taken or (node.lead_unit_id is None and not partners):
            skipped.append(node)
            continue
        title = _("Materials due: %(clause)s") % {"clause": f"{node.number} {node.text}".strip()}
        event = CalendarEvent(
            title=title[:160],
            kind=EventKind.MATERIAL,
            start_date=deadline,
            region=region,
            clause=node,
            lead_unit_id=node.lead_unit_id,
            remind_days=days,
            created_by=actor,
        )
        planned.append((event, partners))
    created = CalendarEvent.objects.bulk_create([e for e, _p in planned])
    EventPartner.objects.bulk_create(
        [EventPartner(event=e, unit_id=pk) for e, partners in planned for pk in partners]
    )
    audit.record_many(
        audit.entry(actor, AuditAction.CREATE, e, after=_snapshot(e, partners))
        for e, partners in planned
    )
    return created, skipped
