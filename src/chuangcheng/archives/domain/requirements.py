"""Which materials units owe: one :class:`Requirement` per (clause, unit, year).

The clauses are those of the frameworks in force assessed by material review or online
declaration (``methods`` holds "material" or "online"); the units are each clause's lead unit and
partner units. The due date is the calendar's earliest material deadline (材料报送截止) of that
clause in that year for the unit (an event naming no unit applies to all the clause's units), so
the office sets deadlines once, in the calendar, and the archives follow.

:func:`sync_requirements` is idempotent: it creates what is missing, moves due dates the calendar
moved, and removes owed rows a clause no longer asks for — unless something was filed for them.
It runs from the office's button and as a periodic job, in a fixed number of statements.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from chuangcheng.agenda.enums import EventKind
from chuangcheng.agenda.models import CalendarEvent, EventPartner
from chuangcheng.archives.enums import Source
from chuangcheng.archives.models import Requirement
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.frameworks.enums import FrameworkStatus, Method
from chuangcheng.frameworks.models import Node

ARCHIVE_METHODS = frozenset({Method.MATERIAL, Method.ONLINE})


@dataclass
class SyncResult:
    created: int = 0
    moved: int = 0
    removed: int = 0
    kept: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "moved": self.moved,
            "removed": self.removed,
            "kept": self.kept,
        }


def archive_clauses() -> list[Node]:
    """The clauses of the frameworks in force that ask for material, in framework order, their
    partner units prefetched."""
    nodes = (
        Node.objects.filter(framework__status=FrameworkStatus.ACTIVE)
        .exclude(methods=[])
        .select_related("lead_unit")
        .prefetch_related("partner_units")
        .order_by("framework_id", "seq")
    )
    return [n for n in nodes if ARCHIVE_METHODS & set(n.methods or [])]


def owed_pairs(clauses: list[Node]) -> dict[tuple[int, int], str]:
    """(clause id, unit id) → source, for each clause's lead and partner units."""
    owed: dict[tuple[int, int], str] = {}
    for node in clauses:
        if node.lead_unit_id:
            owed[(node.pk, node.lead_unit_id)] = Source.LEAD
        for unit in node.partner_units.all():
            owed.setdefault((node.pk, unit.pk), Source.PARTNER)
    return owed


def due_dates(year: int, pairs: dict[tuple[int, int], str]) -> dict[tuple[int, int], dt.date]:
    """The earliest material deadline in ``year`` of each (clause, unit) pair (two queries)."""
    clause_ids = sorted({c for c, _u in pairs})
    events = list(
        CalendarEvent.objects.filter(
            kind=EventKind.MATERIAL,
            clause_id__in=clause_ids,
            start_date__gte=dt.date(year, 1, 1),
            start_date__lte=dt.date(year, 12, 31),
        ).values_list("pk", "clause_id", "lead_unit_id", "start_date")
    )
    partners: dict[int, set[int]] = {}
    for event_id, unit_id in EventPartner.objects.filter(
        event_id__in=[e[0] for e in events]
    ).values_list("event_id", "unit_id"):
        partners.setdefault(event_id, set()).add(unit_id)
    units_of: dict[int, set[int]] = {}
    for clause_id, unit_id in pairs:
        units_of.setdefault(clause_id, set()).add(unit_id)
    found: dict[tuple[int, int], dt.date] = {}
    for event_id, clause_id, lead_id, day in events:
        named = ({lead_id} if lead_id else set()) | partners.get(event_id, set())
        for unit_id in (named or units_of.get(clause_id, set())) & units_of.get(clause_id, set()):
            key = (clause_id, unit_id)
            if key not in found or day < found[key]:
                found[key] = day
    return found


@transaction.atomic
def sync_requirements(year: int, *, actor: Any = None) -> SyncResult:
    """Bring the owed materials of ``year`` in line with the frameworks and the calendar."""
    clauses = archive_clauses()
    pairs = owed_pairs(clauses)
    dues = due_dates(year, pairs)
    existing = {
        (r.clause_id, r.unit_id): r for r in Requirement.objects.filter(year=year).annotate_filed()
    }
    result = SyncResult()
    new = [
        Requirement(clause_id=c, unit_id=u, year=year, source=source, due_date=dues.get((c, u)))
        for (c, u), source in pairs.items()
        if (c, u) not in existing
    ]
    Requirement.objects.bulk_create(new)
    result.created = len(new)
    moved = []
    for key, req in existing.items():
        if key in pairs and (req.due_date != dues.get(key) or req.source != pairs[key]):
            req.due_date = dues.get(key)
            req.source = pairs[key]
            moved.append(req)
    Requirement.objects.bulk_update(moved, ["due_date", "source"])
    result.moved = len(moved)
    stale = [r for key, r in existing.items() if key not in pairs]
    removable = [r.pk for r in stale if not getattr(r, "filed", False)]
    Requirement.objects.filter(pk__in=removable).delete()
    result.removed = len(removable)
    result.kept = len(stale) - len(removable)
    if result.created or result.moved or result.removed or actor is not None:
        audit.record(
            actor,
            AuditAction.UPDATE,
            object_type="archives.requirement",
            object_repr=f"{year}",
            after={"year": year, **result.as_dict()},
            note="owed materials synchronised with the frameworks and the calendar",
        )
    return result
