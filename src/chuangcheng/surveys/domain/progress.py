"""Fieldwork figures: filled against target per quota cell, responses by street, by
interviewer and by day. Each table is one grouped query, however many responses there are.

Screened-out respondents count here (how many were approached) and never in the rates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.orgs.models import Region
from chuangcheng.surveys.domain.fieldwork import streets_of
from chuangcheng.surveys.enums import ResponseState, ScreenReason
from chuangcheng.surveys.models import QuotaCell, Response, Survey

_COUNTS = {
    "complete": Count("pk", filter=Q(state=ResponseState.COMPLETE)),
    "ineligible": Count(
        "pk",
        filter=Q(state=ResponseState.SCREENED_OUT, screen_reason=ScreenReason.INELIGIBLE),
    ),
    "quota_full": Count(
        "pk",
        filter=Q(state=ResponseState.SCREENED_OUT, screen_reason=ScreenReason.QUOTA_FULL),
    ),
    "drafts": Count("pk", filter=Q(state=ResponseState.DRAFT)),
    "void": Count("pk", filter=Q(state=ResponseState.VOID)),
}


@dataclass
class Row:
    """Counts of one street, interviewer or day."""

    label: str
    key: Any = None
    target: int = 0
    filled: int = 0
    complete: int = 0
    ineligible: int = 0
    quota_full: int = 0
    drafts: int = 0
    void: int = 0
    today: int = 0
    cells: list[QuotaCell] = field(default_factory=list)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.filled / self.target)) if self.target else 0


def _fill(row: Row, counts: Mapping[str, Any]) -> Row:
    for name in _COUNTS:
        setattr(row, name, counts.get(name) or 0)
    return row


def totals(survey: Survey) -> Row:
    counts = Response.objects.filter(survey=survey).aggregate(**_COUNTS)
    row = _fill(Row(label=""), counts)
    agg = QuotaCell.objects.filter(survey=survey).values_list("target", "filled")
    row.target = sum(t for t, _f in agg)
    row.filled = sum(min(f, t) for t, f in agg)
    return row


def cells(survey: Survey) -> list[QuotaCell]:
    return list(QuotaCell.objects.filter(survey=survey).select_related("street"))


def by_street(survey: Survey, quota_cells: list[QuotaCell]) -> list[Row]:
    """Every street of the survey with its targets and counts (streets with none too)."""
    rows: dict[int | None, Row] = {s.pk: Row(label=s.name, key=s) for s in streets_of(survey)}
    for cell in quota_cells:
        row = rows.setdefault(cell.street_id, Row(label=cell.street.name, key=cell.street))
        row.target += cell.target
        row.filled += min(cell.filled, cell.target)
        row.cells.append(cell)
    counted = (
        Response.objects.filter(survey=survey).values("street_id").annotate(**_COUNTS).order_by()
    )
    names = {}
    for counts in counted:
        street_id = counts["street_id"]
        if street_id not in rows:
            names[street_id] = street_id
            rows[street_id] = Row(label="")
        _fill(rows[street_id], counts)
    if names:
        found = dict(
            Region.objects.filter(pk__in=[k for k in names if k]).values_list("pk", "name")
        )
        for street_id in names:
            rows[street_id].label = found.get(street_id, "—")
    return list(rows.values())


def by_interviewer(survey: Survey, today: dt.date | None = None) -> list[Row]:
    """Interviewers with their counts, most complete first; the public link as one row."""
    today = today or timezone.localdate()
    counted = (
        Response.objects.filter(survey=survey)
        .values("interviewer_id")
        .annotate(
            **_COUNTS,
            today=Count(
                "pk",
                filter=Q(state=ResponseState.COMPLETE) & Q(submitted_at__date=today),
            ),
        )
        .order_by()
    )
    counts = list(counted)
    people = dict(
        User.objects.filter(
            pk__in=[c["interviewer_id"] for c in counts if c["interviewer_id"]]
        ).values_list("pk", "display_name")
    )
    rows = []
    for c in counts:
        label = people.get(c["interviewer_id"], "") if c["interviewer_id"] else ""
        row = _fill(Row(label=label, key=c["interviewer_id"]), c)
        row.today = c["today"]
        rows.append(row)
    rows.sort(key=lambda r: (r.key is None, -r.complete, r.label))
    return rows


def by_day(survey: Survey, days: int = 60) -> list[Row]:
    """Responses finished per day (complete and screened out), newest first."""
    counted = (
        Response.objects.filter(survey=survey, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at"))
        .values("day")
        .annotate(**_COUNTS)
        .order_by("-day")[:days]
    )
    return [_fill(Row(label=str(c["day"]), key=c["day"]), c) for c in counted]
