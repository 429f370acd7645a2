"""Post-stratification weights by raking (iterative proportional fitting) to population margins.

The sample is split into cells by the respondent's street, age band, sex and occupation. A
survey's :class:`~chuangcheng.surveys.models.Margin` rows give, for one dimension at a time, how
many eligible residents have each value. Raking looks for one weight per cell such that, for
every dimension with margins, the weighted count of respondents of each value equals its
population: it scales the cells to fit the first dimension's margins, then the second's, and so
on, round after round, until every margin is met within ``tolerance`` (relative) or
``max_iterations`` rounds have passed. With margins for a single dimension this is plain
post-stratification (one round: weight = population / respondents of that value).

What cannot be weighted is reported, never raised:
- a dimension with margins that no respondent's value matches is not used;
- respondents whose value has no margin (or who gave none) get weight 0 and are left out of
  the weighted figures;
- a margin value with no respondents cannot be reached: it is left out of the population
  the weights stand for, so the weighted figures speak for the rest;
- margins of different dimensions adding up to different totals are used as shares of the
  first dimension's total;
- raking that has not converged says how far the furthest margin still is.

A weight is the number of residents one respondent stands for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

DIMENSIONS = ("street", "age_band", "sex", "occupation")
# (street code, age band, sex, occupation); "" where the respondent gave none
CellKey = tuple[str, str, str, str]
Describe = Callable[[str, str], str]  # (dimension, value) -> what to call it in a warning

TOLERANCE = 1e-6
MAX_ITERATIONS = 100
TOTALS_DIFFER = 0.005  # margins' totals further apart than this (relative) are reported


def dimension_label(dimension: str) -> str:
    labels = {
        "street": _("street"),
        "age_band": _("age band"),
        "sex": _("sex"),
        "occupation": _("occupation"),
    }
    return labels.get(dimension, dimension)


def plain_describe(dimension: str, value: str) -> str:
    return value


@dataclass
class MarginCheck:
    """One margin value against the sample: population, respondents, weighted respondents."""

    dimension: str
    value: str
    label: str
    population: int
    respondents: int = 0
    weighted: float = 0.0  # respondents × their weights
    target: float = 0.0  # what the weighted count should be (the population, or its share)
    reached: bool = True

    @property
    def dimension_label(self) -> str:
        return dimension_label(self.dimension)

    @property
    def gap(self) -> float | None:
        """Weighted respondents against the target, relative (0 = met); None if unreachable."""
        if not self.target or not self.reached:
            return None
        return self.weighted / self.target - 1


@dataclass
class Weighting:
    """The outcome of raking: a weight per cell (0 for cells left out) and what to know."""

    applied: bool = False
    dimensions: list[str] = field(default_factory=list)
    weights: dict[CellKey, float] = field(default_factory=dict)
    iterations: int = 0
    converged: bool = False
    max_gap: float = 0.0
    population: float = 0.0
    respondents: int = 0  # respondents in the cells weighted
    excluded: int = 0  # respondents left out (weight 0)
    design_effect: float | None = None
    effective_n: float | None = None
    max_weight: float | None = None
    min_weight: float | None = None
    margins: list[MarginCheck] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def dimensions_text(self) -> str:
        return "、".join(dimension_label(d) for d in self.dimensions)

    def weight(self, key: CellKey) -> float | None:
        """The cell's weight; None when nothing is weighted."""
        if not self.applied:
            return None
        return self.weights.get(key, 0.0)


def _value(key: CellKey, dimension: str) -> str:
    return key[DIMENSIONS.index(dimension)]


def rake(
    cells: Mapping[CellKey, int],
    margins: Mapping[str, Mapping[str, int]],
    *,
    describe: Describe = plain_describe,
    tolerance: float = TOLERANCE,
    max_iterations: int = MAX_ITERATIONS,
) -> Weighting:
    """Weights for the respondents counted in ``cells`` (cell → respondents) that make the
    weighted sample match ``margins`` (dimension → value → population)."""
    out = Weighting()
    cells = {k: n for k, n in cells.items() if n > 0}
    used = _usable_dimensions(cells, margins, out)
    if not used:
        return out
    kept = _keep_cells(cells, margins, used, describe, out)
    targets = _targets(kept, margins, used, describe, out)
    base = sum(targets[used[0]].values())
    if not base or not kept:
        return out
    fitted = {k: float(n) for k, n in kept.items()}
    gap = _fit(fitted, used, targets, tolerance=tolerance, max_iterations=max_iterations, out=out)
    out.applied = True
    out.dimensions = used
    out.max_gap = gap
    out.population = base
    out.respondents = sum(kept.values())
    out.weights = {k: fitted[k] / n for k, n in kept.items()}
    for key in cells:
        out.weights.setdefault(key, 0.0)
    _summarise(out, kept)
    if not out.converged:
        out.warnings.append(
            _(
                "Raking did not converge in %(n)d rounds: a weighted margin is still %(gap).2f "
                "%% away from its population. The sample has too few respondents in some "
                "combinations to meet every margin at once."
            )
            % {"n": out.iterations, "gap": 100 * gap}
        )
    return out


def _usable_dimensions(
    cells: Mapping[CellKey, int], margins: Mapping[str, Mapping[str, int]], out: Weighting
) -> list[str]:
    """The dimensions with margins that some respondent's value matches."""
    used: list[str] = []
    for d in DIMENSIONS:
        if not margins.get(d):
            continue
        if any(_value(k, d) in margins[d] for k in cells):
            used.append(d)
            continue
        out.warnings.append(
            _(
                "No respondent's %(dimension)s matches the population margins: "
                "%(dimension)s is not used for weighting."
            )
            % {"dimension": dimension_label(d)}
        )
    return used


def _keep_cells(
    cells: Mapping[CellKey, int],
    margins: Mapping[str, Mapping[str, int]],
    used: list[str],
    describe: Describe,
    out: Weighting,
) -> dict[CellKey, int]:
    """The cells whose every used dimension has a margin; the others are counted as left out."""
    kept: dict[CellKey, int] = {}
    left_out: dict[tuple[str, str], int] = defaultdict(int)
    for key, n in cells.items():
        missing = next((d for d in used if _value(key, d) not in margins[d]), None)
        if missing is None:
            kept[key] = n
        else:
            left_out[(missing, _value(key, missing))] += n
    for (d, value), n in sorted(left_out.items()):
        values = {"n": n, "dimension": dimension_label(d), "value": describe(d, value)}
        text = (
            _("%(n)d respondents gave no %(dimension)s: they are left out of the weighted figures.")
            if not value
            else _(
                "%(n)d respondents with %(dimension)s “%(value)s” have no population margin: "
                "they are left out of the weighted figures."
            )
        )
        out.warnings.append(text % values)
        out.excluded += n
    return kept


def _targets(
    kept: Mapping[CellKey, int],
    margins: Mapping[str, Mapping[str, int]],
    used: list[str],
    describe: Describe,
    out: Weighting,
) -> dict[str, dict[str, float]]:
    """Each used dimension's reachable margins, as shares of the first dimension's reachable
    total; margins nobody in the sample has are reported and left out."""
    present: dict[str, dict[str, int]] = {d: defaultdict(int) for d in used}
    for key, n in kept.items():
        for d in used:
            present[d][_value(key, d)] += n
    targets: dict[str, dict[str, float]] = {}
    totals = {d: sum(margins[d].values()) for d in used}
    for d in used:
        for value, population in sorted(margins[d].items()):
            check = MarginCheck(
                d, value, describe(d, value), population, respondents=present[d].get(value, 0)
            )
            out.margins.append(check)
            if check.respondents == 0 and population > 0:
                check.reached = False
                out.warnings.append(
                    _(
                        "No respondents with %(dimension)s “%(value)s” (population "
                        "%(population)d, %(share).1f %%): weights cannot reach this margin; "
                        "the weighted figures speak for the rest of the population."
                    )
                    % {
                        "dimension": dimension_label(d),
                        "value": check.label,
                        "population": population,
                        "share": 100 * population / totals[d],
                    }
                )
        targets[d] = {v: float(p) for v, p in margins[d].items() if present[d].get(v, 0) > 0}
    first = used[0]
    for d in used[1:]:
        if abs(totals[d] - totals[first]) > TOTALS_DIFFER * totals[first]:
            out.warnings.append(
                _(
                    "The %(dimension)s margins add up to %(total)d and the %(first)s margins to "
                    "%(first_total)d: each dimension's margins are used as shares."
                )
                % {
                    "dimension": dimension_label(d),
                    "total": totals[d],
                    "first": dimension_label(first),
                    "first_total": totals[first],
                }
            )
    base = sum(targets[first].values())
    for d in used:
        reach = sum(targets[d].values())
        targets[d] = {v: p / reach * base for v, p in targets[d].items()} if reach else {}
    for check in out.margins:
        check.target = targets[check.dimension].get(check.value, 0.0)
    return targets


def _fit(
    fitted: dict[CellKey, float],
    used: list[str],
    targets: dict[str, dict[str, float]],
    *,
    tolerance: float,
    max_iterations: int,
    out: Weighting,
) -> float:
    """Iterative proportional fitting of ``fitted`` (cell → weighted count) in place; returns
    the largest relative gap left."""
    gap = float("inf")
    for round_ in range(1, max_iterations + 1):
        for d in used:
            sums = _sums(fitted, d)
            for key in fitted:
                v = _value(key, d)
                if sums[v] > 0:
                    fitted[key] *= targets[d].get(v, 0.0) / sums[v]
        gap = max(
            (
                abs(s / targets[d][v] - 1)
                for d in used
                for v, s in _sums(fitted, d).items()
                if targets[d].get(v)
            ),
            default=0.0,
        )
        out.iterations = round_
        if gap <= tolerance:
            out.converged = True
            break
    return gap


def _sums(fitted: Mapping[CellKey, float], dimension: str) -> dict[str, float]:
    sums: dict[str, float] = defaultdict(float)
    for key, x in fitted.items():
        sums[_value(key, dimension)] += x
    return sums


def _summarise(out: Weighting, kept: Mapping[CellKey, int]) -> None:
    """Design effect (Kish: n·Σw²/(Σw)²), effective n, extreme weights, margins reached."""
    sw = sum(out.weights[k] * n for k, n in kept.items())
    sw2 = sum(out.weights[k] ** 2 * n for k, n in kept.items())
    n = sum(kept.values())
    if sw > 0 and sw2 > 0:
        out.effective_n = sw * sw / sw2
        out.design_effect = n * sw2 / (sw * sw)
    used_weights = [out.weights[k] for k in kept]
    out.max_weight = max(used_weights, default=None)
    out.min_weight = min(used_weights, default=None)
    for check in out.margins:
        check.weighted = sum(
            out.weights[k] * n for k, n in kept.items() if _value(k, check.dimension) == check.value
        )
