"""红黑榜: the best and the worst ranked units of a period, with the reasons the worst stand low.

The lists never overlap: with fewer than 2·N ranked units each list holds half of them
(rounded down). The reasons of a black-list unit are its weakest component, the clauses it leads
that lost the most points, and its overdue and reworked cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chuangcheng.appraisal.domain.providers import ClauseDetail, LedClause, unit_row
from chuangcheng.appraisal.domain.ranking import Part, Ranking, RankRow
from chuangcheng.cases.domain.figures import UnitRow

DEFAULT_SIZE = 5
MAX_SIZE = 50
CLAUSES_NAMED = 3


@dataclass
class Reasons:
    weakest: Part | None
    clauses: list[LedClause] = field(default_factory=list)
    figures: UnitRow | None = None


@dataclass
class Entry:
    row: RankRow
    reasons: Reasons | None = None


@dataclass
class Honour:
    ranking: Ranking
    size: int  # N asked for
    red: list[Entry]
    black: list[Entry]  # worst first

    @property
    def shown(self) -> int:
        return len(self.red)


def reasons(row: RankRow) -> Reasons:
    clauses = row.part("clauses")
    detail = clauses.detail if clauses else None
    rect = row.part("rectification")
    return Reasons(
        weakest=row.weakest,
        clauses=detail.losing_most(CLAUSES_NAMED) if isinstance(detail, ClauseDetail) else [],
        figures=unit_row(rect.component) if rect else None,
    )


def honour_lists(ranking: Ranking, size: int = DEFAULT_SIZE) -> Honour:
    """The top ``size`` (红榜) and the bottom ``size`` (黑榜, worst first) ranked units."""
    size = max(1, min(size, MAX_SIZE))
    n = min(size, ranking.ranked // 2)
    red = [Entry(r) for r in ranking.rows[:n]]
    black = [Entry(r, reasons(r)) for r in reversed(ranking.rows[len(ranking.rows) - n :])]
    return Honour(ranking=ranking, size=size, red=red, black=black)
