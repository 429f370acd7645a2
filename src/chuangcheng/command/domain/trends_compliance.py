"""Field compliance by street over the trend's periods (实地考察合格率).

Compliance rate = 符合 / (符合 + 不符合) of the items observed at visible points in the period
(by the inspection's time); 不适用 is counted but not rated, as on a round's results page. A
street with nothing rated in a period has no rate there (a gap, never 0 %). One grouped query for
the observations, one for the streets.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from chuangcheng.cases.domain.periods import Period
from chuangcheng.command.domain.trends_periods import (
    GRAINS,
    TrendFilters,
    bounds,
    key_of,
    label,
    point_filter,
    street_options,
)
from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.models import Observation
from chuangcheng.inspections.results import COUNTS, Rate
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point


@dataclass
class StreetCompliance:
    street: Region | None  # None: the total row
    name: str
    rates: list[Rate]  # one per period, in order

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.street.code if self.street else "",
            "name": self.name,
            "rates": [
                {
                    "passed": r.passed,
                    "failed": r.failed,
                    "na": r.na,
                    "rate": None if r.percent is None else float(r.percent),
                }
                for r in self.rates
            ],
        }


@dataclass
class ComplianceTrend:
    periods: list[Period]
    labels: list[str]
    streets: list[StreetCompliance]
    total: StreetCompliance

    def as_json(self) -> dict[str, Any]:
        return {
            "periods": [p.key for p in self.periods],
            "labels": self.labels,
            "streets": [s.as_json() for s in self.streets],
            "total": self.total.as_json(),
        }


def compliance_trend(user: Any, f: TrendFilters) -> ComplianceTrend:
    """Per visible street (and in total), each period's compliance rate (2 queries)."""
    shown = f.periods()
    trunc = GRAINS[f.grain][1]
    start, end = bounds(shown[0], shown[-1])
    points = Point.objects.visible_to(user).filter(point_filter(f))
    rows = (
        Observation.objects.filter(
            inspection__round_point__point__in=points,
            inspection__observed_at__gte=start,
            inspection__observed_at__lt=end,
        )
        .annotate(bucket=trunc("inspection__observed_at"))
        .values("inspection__round_point__point__region__path", "bucket")
        .annotate(**COUNTS)
        .order_by()
        .values_list(
            "inspection__round_point__point__region__path", "bucket", "passed", "failed", "na"
        )
    )
    streets = list(street_options(user))
    if f.street is not None:
        streets = [s for s in streets if s.pk == f.street.pk]
    index = StreetIndex({s.path: s for s in streets})
    position = {p.start: i for i, p in enumerate(shown)}
    cells: dict[int, list[Rate]] = defaultdict(lambda: [Rate("") for _p in shown])
    total = StreetCompliance(None, "", [Rate("") for _p in shown])
    for path, bucket, passed, failed, na in rows:
        slot = position.get(key_of(bucket))  # type: ignore[arg-type]
        street = index.street_of(path)
        if slot is None:
            continue
        counts = (passed, failed, na)
        total.rates[slot].add(*counts)
        if street is not None:
            cells[street.pk][slot].add(*counts)
    return ComplianceTrend(
        shown,
        [label(p) for p in shown],
        [StreetCompliance(s, s.name, cells[s.pk]) for s in streets],
        total,
    )
