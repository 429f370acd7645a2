"""How units did their recurring tasks over a period: the office's overview, the leader's panel
and the appraisal's ``tasks`` component read these counts.

An occurrence counts in a period when its due day lies in it and its due time has passed at
``now`` (a task still to come is not owed yet). Of those: *done* = completed by the due time,
*late* = completed after it, *missed* = not completed. On-time rate = done ÷ due, an exact
fraction; None when nothing was due. One grouped query, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, F, Q

from chuangcheng.agenda.models import OccurrenceQuerySet
from chuangcheng.cases.domain.periods import Period


@dataclass
class Counts:
    """Due occurrences and what became of them."""

    due: int = 0
    done: int = 0
    late: int = 0
    missed: int = 0

    @property
    def rate(self) -> Fraction | None:
        """Done on time ÷ due; None when nothing was due."""
        return Fraction(self.done, self.due) if self.due else None

    @property
    def percent(self) -> Decimal | None:
        """The rate in percent, rounded half up to 0.1 (87.5)."""
        rate = self.rate
        if rate is None:
            return None
        value = Decimal(rate.numerator * 100) / Decimal(rate.denominator)
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: Counts) -> None:
        self.due += other.due
        self.done += other.done
        self.late += other.late
        self.missed += other.missed


def in_period(qs: OccurrenceQuerySet, period: Period) -> OccurrenceQuerySet:
    """The occurrences of ``qs`` whose due day lies in ``period``."""
    return qs.filter(due_date__gte=period.start, due_date__lt=period.end)


def counts_by(
    qs: OccurrenceQuerySet, period: Period, now: dt.datetime, *fields: str
) -> dict[tuple[Any, ...], Counts]:
    """Counts grouped by ``fields`` (e.g. ``"unit_id", "series_id"``), in one query. A group
    with occurrences in the period but none owed yet is there with ``due`` 0."""
    owed = Q(due_at__lte=now)
    rows = (
        in_period(qs, period)
        .values(*fields)
        .annotate(
            due=Count("pk", filter=owed),
            done=Count(
                "pk",
                filter=owed & Q(completed_at__isnull=False, completed_at__lte=F("due_at")),
            ),
            late=Count("pk", filter=owed & Q(completed_at__gt=F("due_at"))),
            missed=Count("pk", filter=owed & Q(completed_at__isnull=True)),
        )
        .order_by(*fields)
    )
    return {
        tuple(r[f] for f in fields): Counts(r["due"], r["done"], r["late"], r["missed"])
        for r in rows
    }
