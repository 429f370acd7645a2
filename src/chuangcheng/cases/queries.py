"""Read-side queries for the case pages, the map, the export and the API.

Every one starts from ``Case.objects.visible_to(user)`` and fetches what its rows show in a
fixed number of queries, whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404
from django.utils import timezone

from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain import clock, duplicates
from chuangcheng.cases.domain.intake import proposed_lead
from chuangcheng.cases.domain.workflow import allowed_actions, may
from chuangcheng.cases.enums import (
    OPEN_AT_UNIT,
    OPEN_STATES,
    CaseSource,
    CaseStatus,
    ExtensionStatus,
    PhotoStage,
)
from chuangcheng.cases.filters import CaseFilters, apply
from chuangcheng.cases.models import Case, CaseAssignment, CaseEvent, Category, Photo
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region, Unit

ROW_RELATED = (
    "category",
    "category__parent",
    "region",
    "region__parent",
    "point",
    "territorial_unit",
    "line_unit",
    "duplicate_of",
    "suggested_category",
)
DUE_SOON = dt.timedelta(hours=24)
TODO_LIMIT = 30


def _assignments() -> Prefetch[Any]:
    return Prefetch("assignments", queryset=CaseAssignment.objects.select_related("unit"))


def cases_for(user: Any, f: CaseFilters, now: dt.datetime | None = None) -> QuerySet[Case]:
    """Visible cases matching ``f`` with what a list row shows: 2 queries per page."""
    qs = apply(Case.objects.visible_to(user), f, now)
    return qs.select_related(*ROW_RELATED).prefetch_related(_assignments())


def decorate(cases: Iterable[Case], now: dt.datetime | None = None) -> list[Case]:
    """Attach what rows show and need no query: the lead unit, whether overdue, time left."""
    now = now or timezone.now()
    rows = list(cases)
    for c in rows:
        assigned = list(c.assignments.all())
        c._assigned_unit_ids = tuple(a.unit_id for a in assigned)
        c.lead_unit = next((a.unit for a in assigned if a.lead), None)  # type: ignore[attr-defined]
        c.partner_units = [a.unit for a in assigned if not a.lead]  # type: ignore[attr-defined]
        c.overdue = clock.is_overdue(c, now)  # type: ignore[attr-defined]
        c.at_unit = c.status in OPEN_AT_UNIT  # type: ignore[attr-defined]
        c.due_soon = (  # type: ignore[attr-defined]
            c.at_unit and not c.overdue and c.due_at is not None and c.due_at - now < DUE_SOON  # type: ignore[attr-defined]
        )
    return rows


def my_todo(user: Any, now: dt.datetime | None = None) -> list[Case]:
    """Cases waiting for one of the user's units (dispatched or sent back), earliest deadline
    first. Empty for users who act for no unit. 3 queries."""
    unit_ids = scope_of(user).unit_ids
    if not unit_ids:
        return []
    mine = CaseAssignment.objects.filter(unit_id__in=unit_ids).values("case_id")
    qs = (
        Case.objects.visible_to(user)
        .filter(status__in=OPEN_AT_UNIT, pk__in=mine)
        .select_related(*ROW_RELATED)
        .prefetch_related(_assignments())
        .order_by("due_at", "pk")
    )
    return decorate(qs[:TODO_LIMIT], now)


def intake_queue(user: Any) -> QuerySet[Case]:
    """Every visible case awaiting intake (待受理), from any source, oldest first."""
    report_photos = Prefetch(
        "photos",
        queryset=Photo.objects.filter(stage=PhotoStage.REPORT).order_by("pk"),
        to_attr="report_photos",
    )
    return (
        Case.objects.visible_to(user)
        .filter(status=CaseStatus.REPORTED)
        .select_related(
            *ROW_RELATED,
            "category__line_unit",
            "suggested_category__line_unit",
            "suggested_unit",
        )
        .prefetch_related(report_photos)
        .order_by("reported_at", "pk")
    )


def decorate_intake(user: Any, cases: Iterable[Case]) -> list[Case]:
    """Attach the proposed lead unit and the duplicate candidates (one query for all rows)."""
    rows = list(cases)
    found = duplicates.candidates_for(rows, within=Case.objects.visible_to(user))
    for c in rows:
        c.proposed_lead = proposed_lead(c)  # type: ignore[attr-defined]
        c.candidates = found[c.pk]  # type: ignore[attr-defined]
    return rows


def filter_options(user: Any) -> dict[str, Any]:
    """Choices for the filter selects; one query each."""
    return {
        "categories": list(
            Category.objects.filter(active=True).select_related("parent").order_by("kind", "code")
        ),
        "streets": list(Region.objects.visible_to(user).filter(level=RegionLevel.STREET)),
        "units": list(Unit.objects.visible_to(user).filter(active=True).order_by("kind", "path")),
        "statuses": CaseStatus.choices,
        "sources": CaseSource.choices,
    }


def subcategories() -> list[Category]:
    """Active subclasses with their class, for the category select of the action forms."""
    return list(
        Category.objects.filter(active=True, parent__isnull=False)
        .select_related("parent", "line_unit")
        .order_by("kind", "code")
    )


def dispatch_units(user: Any) -> list[Unit]:
    """Units a clerk may dispatch to: the active ones the user sees."""
    return list(Unit.objects.visible_to(user).filter(active=True).order_by("kind", "path"))


def visible_case(user: Any, pk: int) -> Case:
    """One case with everything its page shows; Http404 outside the user's scope."""
    qs = Case.objects.visible_to(user).select_related(
        *ROW_RELATED,
        "category__line_unit",
        "suggested_category__line_unit",
        "suggested_unit",
        "clause",
        "clause__framework",
        "reporter",
        "created_by",
    )
    case = get_object_or_404(qs, pk=pk)
    prefetch_related_objects([case], _assignments())
    decorate([case])
    return case


def timeline(case: Case) -> list[CaseEvent]:
    """The case's events, oldest first; an extension's asked deadline as ``new_due``."""
    events = list(case.events.select_related("unit").order_by("at", "pk"))
    for e in events:
        raw = (e.data or {}).get("new_due_at") or (e.data or {}).get("due_at")
        e.new_due = dt.datetime.fromisoformat(raw) if isinstance(raw, str) else None  # type: ignore[attr-defined]
    return events


def photos_by_stage(case: Case) -> dict[str, list[Photo]]:
    """Report, after-handling and re-check photos, each oldest first."""
    groups: dict[str, list[Photo]] = {s: [] for s in PhotoStage.values}
    for photo in case.photos.order_by("uploaded_at", "pk"):
        groups.setdefault(photo.stage, []).append(photo)
    return groups


def acting_units(user: Any, case: Case) -> list[Unit]:
    """The units on this case the user speaks for (granted the unit or one above it)."""
    scope = scope_of(user)
    return [
        a.unit for a in case.assignments.all() if scope.everything or a.unit_id in scope.unit_ids
    ]


def available_actions(user: Any, case: Case, pending_extension: bool) -> set[str]:
    """What the case page offers this user: the workflow steps that exist from the current
    state and that the rules allow, plus extension, feedback and comment where they apply."""
    from chuangcheng.cases.enums import CaseAction as A

    offered = {a for a in allowed_actions(case) if may(user, a, case)}
    units = acting_units(user, case)
    if A.FEEDBACK in offered and not units:
        offered.discard(A.FEEDBACK)
    if (
        case.status in OPEN_AT_UNIT
        and units
        and not pending_extension
        and may(user, A.EXTENSION_ASKED, case)
    ):
        offered.add(A.EXTENSION_ASKED)
    if pending_extension and case.status in OPEN_STATES and may(user, A.EXTENSION_GRANTED, case):
        offered.add(A.EXTENSION_GRANTED)
    if may(user, A.COMMENT, case):
        offered.add(A.COMMENT)
    return {str(a) for a in offered}


def pending_extension(case: Case) -> Any:
    return case.extensions.filter(status=ExtensionStatus.ASKED).select_related("unit").first()


def street_outlines(user: Any) -> dict[str, Any]:
    """The visible district and street boundaries as GeoJSON, drawn under the cases (1 query)."""
    regions = (
        Region.objects.visible_to(user)
        .filter(level__in=[RegionLevel.DISTRICT, RegionLevel.STREET], boundary__isnull=False)
        .only("code", "name", "level", "boundary")
    )
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": r.boundary,
                "properties": {"name": r.name, "level": r.level},
            }
            for r in regions
        ],
    }


def map_rows(user: Any, f: CaseFilters, now: dt.datetime | None = None) -> list[list[Any]]:
    """Open (or filtered) cases with a position, as compact rows for the map, in one query:
    ``[pk, number, lng, lat, state, category, status label, due ISO or ""]``. ``state`` is
    overdue / soon (due within 24 h) / ok (at a unit, in time) / wait (not with a unit)."""
    now = now or timezone.now()
    if not f.status:
        f = CaseFilters(**{**f.__dict__, "status": "open"})
    rows = (
        apply(Case.objects.visible_to(user), f, now)
        .exclude(lng=None)
        .exclude(lat=None)
        .order_by("pk")
        .values_list("pk", "number", "lng", "lat", "status", "due_at", "category__name")
    )
    labels = dict(CaseStatus.choices)
    out: list[list[Any]] = []
    for pk, number, lng, lat, status, due, category in rows:
        if status in OPEN_AT_UNIT and due is not None:
            state = "overdue" if due < now else ("soon" if due - now < DUE_SOON else "ok")
        else:
            state = "wait"
        out.append(
            [
                pk,
                number,
                float(lng or 0),
                float(lat or 0),
                state,
                category or "",
                str(labels.get(status, status)),
                due.isoformat() if due else "",
            ]
        )
    return out
