"""A round's results: progress per inspector and compliance rates, each in one grouped query.

Compliance rate = 符合 / (符合 + 不符合); 不适用 is counted but not rated.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Observation, Round, RoundPoint

COUNTS = {
    "passed": Count("pk", filter=Q(result=Result.PASS)),
    "failed": Count("pk", filter=Q(result=Result.FAIL)),
    "na": Count("pk", filter=Q(result=Result.NA)),
}


@dataclass
class Rate:
    label: str
    passed: int = 0
    failed: int = 0
    na: int = 0
    detail: str = ""

    @property
    def rated(self) -> int:
        return self.passed + self.failed

    @property
    def percent(self) -> Decimal | None:
        """The rate in per cent with one decimal, or None when nothing was rated."""
        if not self.rated:
            return None
        return (Decimal(100 * self.passed) / self.rated).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    def add(self, passed: int, failed: int, na: int) -> None:
        self.passed += passed
        self.failed += failed
        self.na += na


@dataclass
class Progress:
    name: str
    drawn: int
    done: int


def progress(round_: Round) -> list[Progress]:
    """Points drawn and inspected per inspector (unassigned points under an empty name)."""
    rows = (
        RoundPoint.objects.filter(round=round_)
        .values("inspector_id", "inspector__display_name", "inspector__username")
        .annotate(drawn=Count("pk"), done=Count("inspection"))
        .order_by("inspector__username")
    )
    return [
        Progress(
            name=r["inspector__display_name"] or r["inspector__username"] or "",
            drawn=r["drawn"],
            done=r["done"],
        )
        for r in rows
    ]


def _observations(round_: Round) -> QuerySet[Observation]:
    return Observation.objects.filter(inspection__round_point__round=round_)


def overall(round_: Round) -> Rate:
    counts = _observations(round_).aggregate(**COUNTS)
    return Rate("", counts["passed"], counts["failed"], counts["na"])


def _grouped(round_: Round, keys: list[str], order: list[str]) -> list[tuple[Any, ...]]:
    """One row per distinct ``keys``: the keys, then the 符合, 不符合 and 不适用 counts."""
    return list(
        _observations(round_)
        .values(*keys)
        .annotate(**COUNTS)
        .order_by(*order)
        .values_list(*keys, "passed", "failed", "na")
    )


def by_type(round_: Round) -> list[Rate]:
    point_type = "inspection__round_point__point__type"
    rows = _grouped(round_, [f"{point_type}__name"], [f"{point_type}__seq", f"{point_type}__name"])
    return [Rate(name, passed, failed, na) for name, passed, failed, na in rows]


def by_street(round_: Round) -> list[Rate]:
    """Grouped by the point's region, then folded into its street (2 queries)."""
    streets = StreetIndex.under(round_.region)
    rows = _grouped(round_, ["inspection__round_point__point__region__path"], [])
    folded: dict[str, Rate] = {}
    for path, passed, failed, na in rows:
        street = streets.street_of(path)
        key = street.code if street is not None else ""
        rate = folded.setdefault(key, Rate(street.name if street is not None else "—"))
        rate.add(passed, failed, na)
    return [folded[k] for k in sorted(folded)]


def by_clause(round_: Round) -> list[Rate]:
    keys = ["clause_id", "clause__number", "clause__text", "clause__parent__text", "clause__seq"]
    return [
        Rate(f"{number} {text}".strip(), passed, failed, na, detail=heading or "")
        for _id, number, text, heading, _seq, passed, failed, na in _grouped(
            round_, keys, ["clause__seq"]
        )
    ]


def observation_rows(round_: Round, *, result: str = "") -> QuerySet[Observation]:
    """Observations with everything a row or an export line shows (2 queries a page)."""
    qs = _observations(round_)
    if result in Result.values:
        qs = qs.filter(result=result)
    return (
        qs.select_related(
            "clause",
            "clause__parent",
            "case",
            "inspection",
            "inspection__inspector",
            "inspection__round_point__point",
            "inspection__round_point__point__type",
            "inspection__round_point__point__region",
        )
        .prefetch_related("photos")
        .order_by("inspection__round_point__seq", "clause__seq")
    )


def summary(round_: Round) -> dict[str, Any]:
    """Everything the results page shows above the observation list."""
    return {
        "progress": progress(round_),
        "overall": overall(round_),
        "by_type": by_type(round_),
        "by_street": by_street(round_),
        "by_clause": by_clause(round_),
    }
