"""Owed materials follow the frameworks (lead and partner units of material/online clauses) and
the calendar (the earliest material deadline of the year); synchronising is idempotent."""

from __future__ import annotations

import datetime as dt

from chuangcheng.agenda.models import CalendarEvent
from chuangcheng.archives.domain.requirements import sync_requirements
from chuangcheng.archives.enums import Source
from chuangcheng.archives.models import Requirement
from chuangcheng.core.models import AuditEntry
from tests.archives.conftest import Arch, file_for


def owed(year: int = 2026) -> set[tuple[str, str, str, dt.date | None]]:
    return {
        (r.clause.number, r.unit.code, r.source, r.due_date)
        for r in Requirement.objects.filter(year=year).select_related("clause", "unit")
    }


def test_clauses_lead_and_partner_units_owe_material_by_the_earliest_deadline(arch: Arch) -> None:
    assert owed() == {
        ("1.", "L001", Source.LEAD, dt.date(2026, 3, 31)),
        ("1.", "S001", Source.PARTNER, dt.date(2026, 3, 31)),
        ("2.", "S002", Source.LEAD, dt.date(2026, 4, 30)),
    }


def test_a_year_without_deadlines_owes_without_due_dates(arch: Arch) -> None:
    result = sync_requirements(2027)
    assert result.created == 3
    assert {d for *_x, d in owed(2027)} == {None}


def test_sync_again_changes_nothing_and_follows_the_calendar(arch: Arch) -> None:
    again = sync_requirements(2026, actor=arch.world.office)
    assert again.as_dict() == {"created": 0, "moved": 0, "removed": 0, "kept": 0}
    assert AuditEntry.objects.filter(object_type="archives.requirement").count() == 2
    CalendarEvent.objects.filter(title="台账材料").update(start_date=dt.date(2026, 3, 20))
    moved = sync_requirements(2026)
    assert moved.moved == 2
    assert arch.req(arch.ledger, arch.world.unit_s1).due_date == dt.date(2026, 3, 20)


def test_a_partner_dropped_from_the_clause_stops_owing_unless_it_filed(arch: Arch) -> None:
    w = arch.world
    arch.ledger.partner_units.set([])
    assert sync_requirements(2026).removed == 1
    assert not Requirement.objects.filter(unit=w.unit_s1).exists()
    arch.ledger.partner_units.set([w.unit_s1])
    sync_requirements(2026)
    file_for(arch, w.user_s1, arch.req(arch.ledger, w.unit_s1))
    arch.ledger.partner_units.set([])
    result = sync_requirements(2026)
    assert (result.removed, result.kept) == (0, 1)
    assert Requirement.objects.filter(unit=w.unit_s1).exists()
