"""Units ranked by their composite appraisal for a period (综合考核排名).

Guarantees:

- composite = 100 × Σ wᵢ·vᵢ / Σ wᵢ over the components the formula weighs that have a provider
  (the others are *left out* and named) and a value for the unit (the others are *missing* for
  that unit and named); exact fractions, rounded half-up to 0.01. No component, no composite.
- A unit is ranked when it has a composite and at least ``formula.min_due`` cases due (应结案数);
  the others are listed apart, unranked, with the reason.
- Ranks: highest composite first; equal composites share a rank (1, 2, 2, 4); ties are listed
  by name. The change of rank compares with the previous month, quarter or year.
- Nothing is ranked by time online or check-in counts (减负): no provider measures them.
- A fixed number of queries whatever the number of units or cases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils import timezone

from chuangcheng.appraisal.domain.components import CODES, PROVIDERS, Component, Context
from chuangcheng.appraisal.models import AppraisalFormula
from chuangcheng.cases.domain.figures import default_scheme
from chuangcheng.cases.domain.periods import Period, month_period, parse_period
from chuangcheng.orgs.models import Region, Unit

PLACES = Decimal("0.01")
BELOW_VOLUME = "below_volume"
NO_COMPOSITE = "no_composite"


def exact(value: Fraction, places: Decimal = PLACES) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        places, rounding=ROUND_HALF_UP
    )


@dataclass
class Part:
    """One component of one unit's row."""

    code: str
    weight: Decimal
    component: Component | None

    @property
    def value(self) -> Fraction | None:
        return self.component.value if self.component else None

    @property
    def percent(self) -> Decimal | None:
        """The value as a percentage rounded half-up to 0.01 (87.50)."""
        value = self.value
        return None if value is None else exact(value * 100)

    @property
    def detail(self) -> Any:
        return self.component.detail if self.component else None

    @property
    def label(self) -> str:
        return str(CODES[self.code])


@dataclass
class RankRow:
    unit: Unit
    parts: list[Part]
    due: int
    composite: Decimal | None = None
    rank: int | None = None
    previous_rank: int | None = None
    reason: str = ""  # why the unit is not ranked
    # Components of the formula available but without data for this unit.
    missing: list[str] = field(default_factory=list)

    def part(self, code: str) -> Part | None:
        return next((p for p in self.parts if p.code == code), None)

    @property
    def change(self) -> int | None:
        """Places gained since the previous period (negative: lost); None without both ranks."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def weakest(self) -> Part | None:
        """The component with the lowest value: the first reason a unit stands low."""
        valued = [p for p in self.parts if p.value is not None]
        return min(valued, key=lambda p: (p.value, p.code)) if valued else None

    @property
    def missing_labels(self) -> list[str]:
        return [str(CODES[c]) for c in self.missing]


@dataclass
class Ranking:
    period: Period
    region: Region
    formula: AppraisalFormula
    now: dt.datetime
    used: list[str]  # components weighed and available, in display order
    left_out: list[str]  # components weighed whose provider does not exist yet
    rows: list[RankRow] = field(default_factory=list)  # ranked, best first
    apart: list[RankRow] = field(default_factory=list)  # listed apart, unranked
    previous: Period | None = None

    @property
    def ranked(self) -> int:
        return len(self.rows)

    @property
    def every_row(self) -> list[RankRow]:
        return self.rows + self.apart

    def row(self, unit_id: int) -> RankRow | None:
        return next((r for r in self.every_row if r.unit.pk == unit_id), None)

    @property
    def left_out_labels(self) -> list[str]:
        return [str(CODES[c]) for c in self.left_out]

    @property
    def used_labels(self) -> list[str]:
        return [str(CODES[c]) for c in self.used]

    @property
    def columns(self) -> list[tuple[str, Decimal]]:
        """Each component used with its share of the weight, in percent (after leaving out
        the components not available)."""
        weights = self.formula.weights()
        total = sum((weights[c] for c in self.used), Decimal(0))
        if not total:
            return []
        return [(str(CODES[c]), exact(Fraction(str(weights[c] * 100 / total)))) for c in self.used]


def previous_period(period: Period) -> Period | None:
    """The month, quarter or year before; None for a range of dates."""
    if period.kind == "month":
        year, month = period.start.year, period.start.month
        return month_period(year - 1, 12) if month == 1 else month_period(year, month - 1)
    if period.kind == "quarter":
        year, quarter = period.start.year, (period.start.month - 1) // 3 + 1
        return parse_period(f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}")
    if period.kind == "year":
        return parse_period(str(period.start.year - 1))
    return None


def default_formula() -> AppraisalFormula:
    """The formula marked default, else the first; an unsaved rectification-only formula over
    the default cases scheme when none exists."""
    found = AppraisalFormula.objects.select_related("scheme").order_by("-is_default", "seq").first()
    if found is not None:
        return found
    return AppraisalFormula(
        code="rectification",
        name=str(CODES["rectification"]),
        scheme=default_scheme(),
        w_rectification=Decimal(100),
    )


def composite(parts: list[Part]) -> Decimal | None:
    """100 × Σ w·v / Σ w over the parts with a value and a weight."""
    valued = [(Fraction(str(p.weight)), p.value) for p in parts if p.value is not None]
    weight = sum((w for w, _v in valued), Fraction(0))
    if not weight:
        return None
    return exact(100 * sum((w * v for w, v in valued if v is not None), Fraction(0)) / weight)


def _rank(rows: list[RankRow]) -> list[RankRow]:
    rows.sort(key=lambda r: (-(r.composite or 0), r.unit.name))
    previous: Decimal | None = None
    rank = 0
    for position, row in enumerate(rows, start=1):
        if row.composite != previous:
            rank, previous = position, row.composite
        row.rank = rank
    return rows


def rank_units(
    period: Period,
    region: Region,
    *,
    formula: AppraisalFormula | None = None,
    now: dt.datetime | None = None,
    with_previous: bool = True,
) -> Ranking:
    """Every unit with work in ``region`` during ``period``, ranked under ``formula``."""
    formula = formula or default_formula()
    now = now or timezone.now()
    weights = formula.weights()
    weighed = [code for code, w in weights.items() if w]
    available = PROVIDERS.available()
    used = [c for c in weighed if c in available]
    ranking = Ranking(
        period=period,
        region=region,
        formula=formula,
        now=now,
        used=used,
        left_out=[c for c in weighed if c not in available],
    )
    ctx = Context(period=period, region=region, now=now, formula=formula)
    # Rectification is read even when unweighted: its 应结案数 decides who is ranked.
    collected = PROVIDERS.collect(ctx, sorted({*used, "rectification"}))
    unit_ids = {uid for code in used for uid in collected.get(code, {})}
    units = Unit.objects.in_bulk(list(unit_ids))
    volume = collected.get("rectification", {})
    for uid in unit_ids:
        parts = [Part(code, weights[code], collected[code].get(uid)) for code in used]
        row = RankRow(
            unit=units[uid],
            parts=parts,
            due=(volume[uid].due or 0) if uid in volume else 0,
            missing=[p.code for p in parts if p.value is None],
        )
        row.composite = composite(parts)
        if row.composite is None:
            row.reason = NO_COMPOSITE
        elif row.due < formula.min_due:
            row.reason = BELOW_VOLUME
        (ranking.apart if row.reason else ranking.rows).append(row)
    _rank(ranking.rows)
    ranking.apart.sort(key=lambda r: (-r.due, r.unit.name))
    ranking.previous = previous_period(period)
    if with_previous and ranking.previous is not None:
        before = rank_units(ranking.previous, region, formula=formula, now=now, with_previous=False)
        ranks = {r.unit.pk: r.rank for r in before.rows}
        for row in ranking.rows:
            row.previous_rank = ranks.get(row.unit.pk)
    return ranking
