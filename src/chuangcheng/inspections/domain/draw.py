"""The draw: which points a round visits and who goes where.

Random but reproducible: the same seed, settings and points always give the same draw, so the
office can show how a mock assessment was sampled. The algorithm, step by step:

1. For each quota, in point-type order (``seq``, then code): the candidates are the active points
   of that type in the round's region, sorted by point code.
2. Without stratification, ``rng.sample(candidates, count)`` with ``rng = random.Random(seed)``
   (one generator for the whole draw, used in quota order).
3. With stratification, the count is shared among streets in proportion to their candidates by
   the largest-remainder method (ties by street code); then, street by street in code order,
   ``rng.sample(street's candidates, share)``.
4. Inspectors are assigned balancing the number of points: the most constrained points first
   (fewest eligible inspectors, then draw order), each to the eligible inspector with the fewest
   points so far (ties by username). With "never to their own street", an inspector whose home
   street is the point's street is not eligible; a point nobody may take stays unassigned.
"""

from __future__ import annotations

import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from chuangcheng.inspections.domain.streets import StreetIndex
from chuangcheng.inspections.models import Round, RoundPoint
from chuangcheng.points.models import Point


@dataclass(frozen=True)
class Candidate:
    pk: int
    code: str
    type_id: int
    street: str  # street code, "" when the point lies in no street of the round's region


@dataclass(frozen=True)
class Walker:
    """An inspector as the assignment sees them."""

    pk: int
    username: str
    home_street: str  # street code, "" when unknown or outside the round's region


@dataclass
class DrawReport:
    """What the office is told after a draw."""

    drawn: int = 0
    unassigned: list[str] = field(default_factory=list)  # point codes nobody may take
    shortfalls: list[tuple[str, int, int]] = field(default_factory=list)  # type, wanted, found


def new_seed() -> int:
    """A fresh seed that fits a signed 64-bit column (and reads well: at most 10 digits)."""
    return secrets.randbelow(9_000_000_000) + 1_000_000_000


def allocate(count: int, sizes: dict[str, int]) -> dict[str, int]:
    """Share ``count`` among groups in proportion to ``sizes`` (largest remainder, ties by group
    key). Never gives a group more than its size; gives every group all when count ≥ total."""
    total = sum(sizes.values())
    if count >= total:
        return dict(sizes)
    shares = {key: count * n // total for key, n in sizes.items()}
    left = count - sum(shares.values())
    by_remainder = sorted(sizes, key=lambda key: (-(count * sizes[key] % total), key))
    for key in by_remainder[:left]:
        shares[key] += 1
    return shares


def pick(
    candidates: Sequence[Candidate],
    quotas: Sequence[tuple[int, int]],
    *,
    seed: int,
    stratify: bool,
) -> list[Candidate]:
    """The drawn points for ``quotas`` (``(type id, count)`` in quota order), in draw order."""
    rng = random.Random(seed)
    by_type: dict[int, list[Candidate]] = defaultdict(list)
    for c in sorted(candidates, key=lambda c: c.code):
        by_type[c.type_id].append(c)
    chosen: list[Candidate] = []
    for type_id, count in quotas:
        pool = by_type.get(type_id, [])
        n = min(count, len(pool))
        if not stratify:
            chosen += rng.sample(pool, n)
            continue
        groups: dict[str, list[Candidate]] = defaultdict(list)
        for c in pool:
            groups[c.street].append(c)
        shares = allocate(n, {street: len(g) for street, g in groups.items()})
        for street in sorted(groups):
            chosen += rng.sample(groups[street], shares[street])
    return chosen


def assign(
    points: Sequence[Candidate], walkers: Sequence[Walker], *, avoid_own_street: bool
) -> dict[int, int | None]:
    """Point pk → inspector pk (None when no inspector may go there), balancing the load."""

    def eligible(point: Candidate) -> list[Walker]:
        if not avoid_own_street:
            return list(walkers)
        return [w for w in walkers if not (w.home_street and w.home_street == point.street)]

    options = {p.pk: eligible(p) for p in points}
    order = sorted(range(len(points)), key=lambda i: (len(options[points[i].pk]), i))
    load = {w.pk: 0 for w in walkers}
    result: dict[int, int | None] = {}
    for i in order:
        point = points[i]
        choices = options[point.pk]
        if not choices:
            result[point.pk] = None
            continue
        best = min(choices, key=lambda w: (load[w.pk], w.username))
        load[best.pk] += 1
        result[point.pk] = best.pk
    return result


def candidates_for(round_: Round, type_ids: Sequence[int], streets: StreetIndex) -> list[Candidate]:
    """Active points of the given types in the round's region (1 query)."""
    rows = Point.objects.filter(
        active=True, type_id__in=list(type_ids), region__path__startswith=round_.region.path
    ).values_list("pk", "code", "type_id", "region__path")
    return [
        Candidate(pk=pk, code=code, type_id=type_id, street=streets.code_of(path))
        for pk, code, type_id, path in rows
    ]


def walkers_for(round_: Round, streets: StreetIndex) -> list[Walker]:
    """The round's inspectors with their home streets (1 query)."""
    rows = round_.inspectors.values_list("pk", "username", "home_region__path")
    return [
        Walker(pk=pk, username=username, home_street=streets.code_of(path) if path else "")
        for pk, username, path in rows
    ]


def draw(round_: Round) -> DrawReport:
    """Replace the round's points with the draw for its stored seed and settings.

    Deterministic: the same seed, settings, points and inspectors give the same points and
    assignments. The caller holds the transaction and writes the audit entry.
    """
    quotas = list(
        round_.quotas.filter(count__gt=0)
        .select_related("point_type")
        .order_by("point_type__seq", "point_type__code")
    )
    streets = StreetIndex.under(round_.region)
    candidates = candidates_for(round_, [q.point_type_id for q in quotas], streets)
    chosen = pick(
        candidates,
        [(q.point_type_id, q.count) for q in quotas],
        seed=round_.seed,
        stratify=round_.stratify_by_street,
    )
    walkers = walkers_for(round_, streets)
    assigned = assign(chosen, walkers, avoid_own_street=round_.avoid_own_street)
    RoundPoint.objects.filter(round=round_).delete()
    RoundPoint.objects.bulk_create(
        RoundPoint(round=round_, point_id=c.pk, seq=i, inspector_id=assigned[c.pk])
        for i, c in enumerate(chosen, 1)
    )
    available: dict[int, int] = defaultdict(int)
    for c in candidates:
        available[c.type_id] += 1
    report = DrawReport(drawn=len(chosen))
    report.unassigned = [c.code for c in chosen if assigned[c.pk] is None]
    report.shortfalls = [
        (q.point_type.name, q.count, available[q.point_type_id])
        for q in quotas
        if available[q.point_type_id] < q.count
    ]
    return report


def describe(report: DrawReport) -> dict[str, Any]:
    """The report as plain data for the audit log."""
    return {
        "drawn": report.drawn,
        "unassigned": report.unassigned,
        "shortfalls": [list(s) for s in report.shortfalls],
    }
