"""The component providers registered now: rectification and the led clauses.

- ``rectification``: the unit's composite score under the formula's cases scheme
  (:func:`chuangcheng.cases.domain.figures.score`) divided by the scheme's maximum (Σ weights
  + the highest volume band: 100 for both presets). No value when the unit had nothing due or
  a weighted rate has nothing to divide by (ADR 0007).
- ``clauses``: 得分率 = Σ score / Σ measured_max over the scored clauses whose ``lead_unit`` is
  the unit, read from the region rows of the scoring live run for the period over the
  district (ADR 0008). Clauses 未测 add nothing; no value when none of them was measured.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from chuangcheng.appraisal.domain.components import PROVIDERS, Component, Context
from chuangcheng.cases.domain.figures import UnitRow, figure_table, score
from chuangcheng.cases.domain.periods import Period
from chuangcheng.cases.models_appraisal import AppraisalScheme
from chuangcheng.frameworks.models import Framework
from chuangcheng.orgs.models import Region
from chuangcheng.scoring.domain.compute import ScoringError
from chuangcheng.scoring.domain.reading import default_framework, live_run, run_region
from chuangcheng.scoring.domain.tree import load_tree
from chuangcheng.scoring.enums import ScopeKind
from chuangcheng.scoring.models import ScoreRun


def scheme_maximum(scheme: AppraisalScheme) -> Fraction:
    """The most a unit can score under ``scheme``: every weighted term at 1, the top band."""
    weights = (
        scheme.w_closed,
        scheme.w_handled,
        scheme.w_on_time,
        scheme.w_rework,
        scheme.w_overdue,
        scheme.w_extension,
    )
    bands = [Fraction(str(points)) for _minimum, points in scheme.volume_bands or []]
    return sum((Fraction(str(w)) for w in weights), Fraction(0)) + max(bands, default=Fraction(0))


@PROVIDERS.register("rectification")
def rectification(ctx: Context) -> dict[int, Component]:
    """Every unit leading cases of the period located in the region (4 queries)."""
    scheme = ctx.formula.scheme
    table = figure_table(ctx.period, ctx.region, now=ctx.now, scheme=scheme)
    maximum = scheme_maximum(scheme)
    found: dict[int, Component] = {}
    for row in table.units:
        points = score(row.counts, scheme)
        value = None
        if points is not None and maximum:
            value = min(Fraction(1), Fraction(str(points)) / maximum)
        found[row.unit.pk] = Component(value=value, detail=row, due=row.counts.due)
    return found


@dataclass
class LedClause:
    """One scored clause a unit leads, as the district's rows of the live run say."""

    node_id: int
    code: str
    name: str
    lead_unit_id: int
    max_score: Decimal
    measured_max: Decimal
    score: Decimal | None

    @property
    def lost(self) -> Decimal:
        """Points lost where measured (0 when 未测)."""
        return Decimal(0) if self.score is None else self.measured_max - self.score

    @property
    def rate(self) -> Decimal | None:
        if self.score is None or not self.measured_max:
            return None
        return self.score / self.measured_max


@dataclass
class ClauseReading:
    """The scored clauses of the district's live run for the period, with who leads each."""

    framework: Framework | None
    run: ScoreRun | None
    clauses: list[LedClause] = field(default_factory=list)

    @property
    def measured(self) -> list[LedClause]:
        return [c for c in self.clauses if c.score is not None]


def read_clauses(ctx: Context) -> ClauseReading:
    """Every scored clause of the framework in force with its district figures (the live run is
    computed on first use). Empty without a framework in force."""
    return clause_reading(ctx.period, ctx.region)


def clause_reading(period: Period, region: Region) -> ClauseReading:
    try:
        framework = default_framework()
    except ScoringError:
        return ClauseReading(None, None)
    over = run_region(region)
    run = live_run(framework, over, period)
    tree = load_tree(framework)
    scored = {n.id: n for n in tree.nodes.values() if n.scored}
    rows = {
        r.node_id: r
        for r in run.rows.filter(scope=ScopeKind.REGION, region=over, node_id__in=list(scored))
    }
    clauses = []
    for node_id, node in scored.items():
        row = rows.get(node_id)
        clauses.append(
            LedClause(
                node_id=node_id,
                code=node.code,
                name=node.name,
                lead_unit_id=node.lead_unit_id or 0,
                max_score=node.max_score,
                measured_max=Decimal(row.measured_max) if row else Decimal(0),
                score=Decimal(row.score) if row and row.score is not None else None,
            )
        )
    return ClauseReading(framework, run, clauses)


@dataclass
class ClauseDetail:
    """What stands behind one unit's clauses component."""

    run: ScoreRun | None
    clauses: list[LedClause]

    @property
    def measured(self) -> list[LedClause]:
        return [c for c in self.clauses if c.score is not None]

    @property
    def score(self) -> Decimal:
        return sum((c.score or Decimal(0) for c in self.clauses), Decimal(0))

    @property
    def measured_max(self) -> Decimal:
        return sum((c.measured_max for c in self.measured), Decimal(0))

    def losing_most(self, limit: int = 3) -> list[LedClause]:
        return sorted((c for c in self.measured if c.lost > 0), key=lambda c: (-c.lost, c.code))[
            :limit
        ]


@PROVIDERS.register("clauses")
def clauses(ctx: Context) -> dict[int, Component]:
    """Every unit leading a scored clause; no value when none of its clauses was measured."""
    reading = read_clauses(ctx)
    by_unit: dict[int, list[LedClause]] = {}
    for clause in reading.clauses:
        if clause.lead_unit_id:
            by_unit.setdefault(clause.lead_unit_id, []).append(clause)
    found: dict[int, Component] = {}
    for unit_id, led in by_unit.items():
        detail = ClauseDetail(reading.run, led)
        measured = detail.measured_max
        value = Fraction(str(detail.score)) / Fraction(str(measured)) if measured else None
        found[unit_id] = Component(value=value, detail=detail)
    return found


def unit_row(component: Component | None) -> UnitRow | None:
    """The figures row behind a rectification component."""
    detail = component.detail if component else None
    return detail if isinstance(detail, UnitRow) else None
