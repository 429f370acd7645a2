"""The completeness matrix: clauses × units for a year, each cell the best state of what the
unit filed for the clause (approved > in review > returned > missing), with counts and the
approved percentage per unit and per clause. Three queries whatever the size (the scope, the
requirements, their attachments' states)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from chuangcheng.archives.enums import CELL_RANK, AttachmentState, Cell
from chuangcheng.archives.models import Attachment, Requirement
from chuangcheng.frameworks.models import Node
from chuangcheng.orgs.models import Unit


def cell_of(states: list[str]) -> str:
    """The matrix state of a requirement from its attachments' states."""
    best = Cell.MISSING
    for state in states:
        cell = {
            AttachmentState.APPROVED: Cell.APPROVED,
            AttachmentState.SUBMITTED: Cell.SUBMITTED,
            AttachmentState.RETURNED: Cell.RETURNED,
        }[AttachmentState(state)]
        if CELL_RANK[cell] > CELL_RANK[best]:
            best = cell
    return str(best)


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    value = Decimal(part * 100) / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class Tally:
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def owed(self) -> int:
        return sum(self.counts.values())

    @property
    def approved(self) -> int:
        return self.counts[Cell.APPROVED]

    @property
    def percent(self) -> Decimal | None:
        return percent(self.approved, self.owed)

    def get(self, state: str) -> int:
        return self.counts[state]


@dataclass
class Matrix:
    year: int
    clauses: list[Node]
    units: list[Unit]
    # (clause id, unit id) -> (requirement, cell state)
    cells: dict[tuple[int, int], tuple[Requirement, str]]
    by_unit: dict[int, Tally]
    by_clause: dict[int, Tally]
    total: Tally

    def row(self, clause: Node) -> list[tuple[Requirement, str] | None]:
        return [self.cells.get((clause.pk, u.pk)) for u in self.units]


def requirement_cells(requirements: list[Requirement]) -> dict[int, str]:
    """Requirement id → cell state (one query)."""
    states: dict[int, list[str]] = {r.pk: [] for r in requirements}
    for req_id, state in Attachment.objects.filter(requirement_id__in=list(states)).values_list(
        "requirement_id", "state"
    ):
        states[req_id].append(state)
    return {pk: cell_of(s) for pk, s in states.items()}


def build_matrix(user: Any, year: int, unit_ids: list[int] | None = None) -> Matrix:
    """The matrix of the requirements ``user`` sees for ``year`` (optionally some units only)."""
    qs = Requirement.objects.visible_to(user).filter(year=year)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    requirements = list(
        qs.select_related("clause", "unit").order_by(
            "clause__framework_id", "clause__seq", "unit__path"
        )
    )
    states = requirement_cells(requirements)
    clauses: dict[int, Node] = {}
    units: dict[int, Unit] = {}
    cells: dict[tuple[int, int], tuple[Requirement, str]] = {}
    by_unit: dict[int, Tally] = {}
    by_clause: dict[int, Tally] = {}
    total = Tally()
    for req in requirements:
        clauses.setdefault(req.clause_id, req.clause)
        units.setdefault(req.unit_id, req.unit)
        state = states[req.pk]
        cells[(req.clause_id, req.unit_id)] = (req, state)
        by_unit.setdefault(req.unit_id, Tally()).counts[state] += 1
        by_clause.setdefault(req.clause_id, Tally()).counts[state] += 1
        total.counts[state] += 1
    return Matrix(
        year=year,
        clauses=list(clauses.values()),
        units=sorted(units.values(), key=lambda u: u.path),
        cells=cells,
        by_unit=by_unit,
        by_clause=by_clause,
        total=total,
    )
