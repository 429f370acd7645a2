"""What the public Open311 endpoints may show: cases staff approved for public display, with a
category, and nothing about who reported them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Prefetch, QuerySet

from chuangcheng.cases.enums import FINAL_STATES, OPEN_STATES, Moderation, PhotoStage
from chuangcheng.cases.models import Case, CaseAssignment, Photo

MAX_RESULTS = 1000


@dataclass
class RequestFilters:
    """GET Service Requests parameters. ``ids``, when given, overrides every other filter."""

    start: dt.datetime
    end: dt.datetime
    ids: Sequence[str] = ()
    service_codes: Sequence[str] = ()
    statuses: Sequence[str] = field(default_factory=tuple)  # "open" / "closed"


def public_requests() -> QuerySet[Case]:
    """Approved, categorized cases with what the response needs, in three queries whatever
    their number: the cases, their lead unit, their public photos."""
    photos = (
        Photo.objects.filter(moderation=Moderation.APPROVED)
        .exclude(public_image="")
        .annotate(
            # The photo of the problem as reported comes first; after-photos only without one.
            stage_rank=models.Case(
                models.When(stage=PhotoStage.REPORT, then=models.Value(0)),
                default=models.Value(1),
                output_field=models.IntegerField(),
            )
        )
        .order_by("stage_rank", "uploaded_at", "id")
        .only("pk", "case_id", "stage")
    )
    return (
        Case.objects.filter(public=Moderation.APPROVED, category__isnull=False)
        .select_related("category")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=CaseAssignment.objects.filter(lead=True).select_related("unit"),
                to_attr="lead_assignments",
            ),
            Prefetch("photos", queryset=photos, to_attr="public_photos"),
        )
        .order_by("-reported_at", "-id")
    )


def filter_requests(qs: QuerySet[Case], filters: RequestFilters) -> QuerySet[Case]:
    """Apply the spec's filters and its limit of 1000 results."""
    if filters.ids:
        return qs.filter(number__in=list(filters.ids))[:MAX_RESULTS]
    qs = qs.filter(reported_at__gte=filters.start, reported_at__lte=filters.end)
    if filters.service_codes:
        qs = qs.filter(category__code__in=list(filters.service_codes))
    wanted = set(filters.statuses)
    if wanted == {"open"}:
        qs = qs.filter(status__in=list(OPEN_STATES))
    elif wanted == {"closed"}:
        qs = qs.filter(status__in=list(FINAL_STATES))
    return qs[:MAX_RESULTS]


def open311_status(case: Case) -> str:
    """Closed, not registered and merged cases are ``closed``; every other state is ``open``."""
    return "closed" if case.status in FINAL_STATES else "open"
