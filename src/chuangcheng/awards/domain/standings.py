"""Monthly standings, the 流动红旗 award and star ratings. Averages are exact fractions.

- A target's score for a month is the average of its ratings' totals (sum / count, exact).
- Only targets with at least ``min_ratings`` ratings are ranked; ranks go by score, highest
  first, and equal scores share a rank (1, 1, 3).
- The flag goes to the ranked targets whose rank is at most ``winners`` (ties at the cut-off
  all win).
- Stars over a period: the sum of totals over the sum of maxima, as a percentage; at or above
  the scheme's first threshold 5 stars, the second 4, the third 3, the fourth 2, else 1; no
  ratings: 未评 (None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from chuangcheng.awards.models import RedFlagAward, RedFlagRating, RedFlagScheme
from chuangcheng.cases.domain.periods import Period
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point

TWO = Decimal("0.01")


def decimal2(value: Fraction) -> Decimal:
    """An exact fraction shown with two decimals (half up)."""
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(TWO, ROUND_HALF_UP)


@dataclass
class Standing:
    """One target's month: how many rated it, the exact average and its rank (None when it has
    too few ratings)."""

    target: Point | Unit
    ratings: int
    total: int
    max_total: int
    average: Fraction
    qualifies: bool
    rank: int | None = None
    wins: bool = False

    @property
    def average_display(self) -> Decimal:
        return decimal2(self.average)

    @property
    def percent(self) -> Fraction:
        return Fraction(100 * self.total, self.max_total) if self.max_total else Fraction(0)

    @property
    def percent_whole(self) -> int:
        return int(self.percent)

    @property
    def key(self) -> str:
        return f"{'p' if isinstance(self.target, Point) else 'u'}{self.target.pk}"


def _region_q(region: Region | None) -> Q:
    if region is None:
        return Q()
    return Q(point__region__path__startswith=region.path) | Q(
        unit__region__path__startswith=region.path
    )


def _aggregate(ratings: QuerySet[RedFlagRating]) -> list[dict[str, Any]]:
    grouped = (
        ratings.values("point_id", "unit_id")
        .annotate(n=Count("pk"), s=Sum("total"), m=Sum("max_total"))
        .order_by()
    )
    return [dict(row) for row in grouped]


def _targets(rows: Iterable[dict[str, Any]]) -> dict[str, Point | Unit]:
    """The rows' targets in two queries at most."""
    rows = list(rows)
    point_ids = {r["point_id"] for r in rows if r["point_id"]}
    unit_ids = {r["unit_id"] for r in rows if r["unit_id"]}
    found: dict[str, Point | Unit] = {}
    if point_ids:
        for p in Point.objects.filter(pk__in=point_ids).select_related("type", "region"):
            found[f"p{p.pk}"] = p
    if unit_ids:
        for u in Unit.objects.filter(pk__in=unit_ids).select_related("region"):
            found[f"u{u.pk}"] = u
    return found


def _key(row: dict[str, Any]) -> str:
    return f"p{row['point_id']}" if row["point_id"] else f"u{row['unit_id']}"


def rank(rows: list[Standing], winners: int) -> None:
    """Set ranks (ties share, 1 1 3) among qualifying rows and mark the winners in place."""
    ranked = sorted((r for r in rows if r.qualifies), key=lambda r: -r.average)
    previous: Fraction | None = None
    current = 0
    for position, row in enumerate(ranked, start=1):
        if row.average != previous:
            current, previous = position, row.average
        row.rank = current
        row.wins = current <= winners


def month_ratings(
    scheme: RedFlagScheme, month: Period, region: Region | None
) -> QuerySet[RedFlagRating]:
    return RedFlagRating.objects.filter(
        _region_q(region), scheme=scheme, month__gte=month.start, month__lt=month.end
    )


def standings(scheme: RedFlagScheme, month: Period, region: Region | None = None) -> list[Standing]:
    """Every rated target of the scheme in ``region`` (None: everywhere) for the month, ranked,
    best first, then the unranked by score; three queries whatever the size."""
    rows = _aggregate(month_ratings(scheme, month, region))
    targets = _targets(rows)
    result = [
        Standing(
            target=targets[_key(r)],
            ratings=r["n"],
            total=r["s"],
            max_total=r["m"],
            average=Fraction(r["s"], r["n"]),
            qualifies=r["n"] >= scheme.min_ratings,
        )
        for r in rows
    ]
    rank(result, scheme.winners)
    result.sort(key=lambda r: (r.rank is None, r.rank or 0, -r.average, str(r.target)))
    return result


def standings_for(
    user: Any, scheme: RedFlagScheme, month: Period, region: Region | None
) -> tuple[list[Standing], int]:
    """The rows ``user`` may see and how many targets are ranked in all. With an overview
    ``region`` every row there; without (a unit) the ranking over everything, cut to the
    targets the user reads, so a unit sees its own rank among all."""
    from chuangcheng.awards.domain.access import target_keys

    rows = standings(scheme, month, region)
    ranked = sum(1 for r in rows if r.rank is not None)
    if region is None:
        keys = target_keys(user, scheme)
        rows = [r for r in rows if r.key in keys]
    return rows, ranked


def stars_for(percent: Fraction | None, thresholds: list[int]) -> int | None:
    """1–5 stars for a percentage of the maximum; None (未评) without ratings."""
    if percent is None:
        return None
    for stars, threshold in zip((5, 4, 3, 2), thresholds, strict=False):
        if percent >= threshold:
            return stars
    return 1


@dataclass
class StarRow:
    target: Point | Unit
    ratings: int
    percent: Fraction | None
    stars: int | None

    @property
    def percent_display(self) -> Decimal | None:
        return decimal2(self.percent) if self.percent is not None else None


def star_table(scheme: RedFlagScheme, period: Period, targets: QuerySet[Any]) -> list[StarRow]:
    """Stars for each of ``targets`` over the period (rated months within it), best first; the
    unrated last with ``stars`` None. Two queries."""
    target_list = list(targets)
    field = "point_id" if scheme.rates_points else "unit_id"
    ratings = RedFlagRating.objects.filter(
        scheme=scheme,
        month__gte=period.start,
        month__lt=period.end,
        **{f"{field}__in": [t.pk for t in target_list]},
    )
    sums = {r[field]: r for r in _aggregate(ratings)}
    rows = []
    for t in target_list:
        agg = sums.get(t.pk)
        percent = Fraction(100 * agg["s"], agg["m"]) if agg and agg["m"] else None
        rows.append(
            StarRow(
                target=t,
                ratings=agg["n"] if agg else 0,
                percent=percent,
                stars=stars_for(percent, scheme.star_thresholds),
            )
        )
    rows.sort(key=lambda r: (r.percent is None, -(r.percent or 0), str(r.target)))
    return rows


@transaction.atomic
def confirm_awards(
    *, actor: Any, scheme: RedFlagScheme, month: Period, region: Region
) -> list[RedFlagAward]:
    """Award the month's flags over ``region`` to the winners of :func:`standings`; confirming
    a month that has its flags already writes nothing and returns the existing rows. Audited.
    PermissionDenied for anyone but the office over the region; ValidationError when nobody
    qualifies or the month has not started."""
    if not actor.has_perm("awards.confirm_award", region):
        raise PermissionDenied
    if month.kind != "month":
        raise ValidationError(_("Flags are awarded for a month."))
    existing = list(RedFlagAward.objects.filter(scheme=scheme, month=month.start, region=region))
    if existing:
        return existing
    winners = [s for s in standings(scheme, month, region) if s.wins]
    if not winners:
        raise ValidationError(
            _("No target has the %(n)d ratings needed to win a flag this month.")
            % {"n": scheme.min_ratings}
        )
    awards = [
        RedFlagAward(
            scheme=scheme,
            month=month.start,
            region=region,
            point=s.target if isinstance(s.target, Point) else None,
            unit=s.target if isinstance(s.target, Unit) else None,
            rank=s.rank or 0,
            score=s.average_display,
            ratings=s.ratings,
            confirmed_by=actor,
        )
        for s in winners
    ]
    RedFlagAward.objects.bulk_create(awards)
    audit.record(
        actor,
        AuditAction.CREATE,
        region,
        object_type="awards.redflagaward",
        object_repr=f"{scheme.name} · {month.key} · {region.name}",
        after={
            "scheme": scheme.pk,
            "month": month.key,
            "winners": [f"{s.target} ({s.average_display})" for s in winners],
        },
    )
    return awards


def month_of(day: dt.date) -> str:
    return f"{day.year}-{day.month:02d}"
