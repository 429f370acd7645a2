"""Explicit input and output schemas of the inspections API."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

from ninja import Schema


class RoundOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    framework: str
    region: str
    region_name: str
    period_start: dt.date
    period_end: dt.date
    points: int
    inspected: int


class RoundPage(Schema):
    count: int
    items: list[RoundOut]


class QuotaOut(Schema):
    point_type: str
    point_type_name: str
    count: int


class RoundPointOut(Schema):
    id: int
    seq: int
    point: str
    point_name: str
    point_type: str
    street: str
    inspector: str | None
    inspected_at: dt.datetime | None


class RoundDetailOut(RoundOut):
    seed: int
    stratify_by_street: bool
    avoid_own_street: bool
    repeat_monthly: bool
    quotas: list[QuotaOut]
    round_points: list[RoundPointOut]


class RoundClauseOut(Schema):
    id: int
    number: str
    text: str
    heading: str


class PointBrief(Schema):
    code: str
    name: str
    type: str
    type_name: str
    address: str
    lng: float
    lat: float


class RoundAssignmentOut(Schema):
    round_point: int
    round: int
    round_name: str
    point: PointBrief
    inspected_at: dt.datetime | None
    checklist: list[RoundClauseOut]


class ItemIn(Schema):
    """One checklist item; ``photos`` are positions in the request's ``photos`` files."""

    clause: int
    result: str
    note: str = ""
    photos: list[int] = []


class SubmissionIn(Schema):
    """Form fields of a submission. ``items`` is a JSON array of :class:`ItemIn`."""

    client_id: uuid.UUID
    round_point: int
    items: str
    observed_at: dt.datetime | None = None
    lng: Decimal | None = None
    lat: Decimal | None = None
    accuracy: float | None = None
    note: str = ""


class CaseRef(Schema):
    number: str
    url: str


class SubmissionOut(Schema):
    client_id: uuid.UUID
    inspection: int
    created: bool
    observations: int
    cases: list[CaseRef]
