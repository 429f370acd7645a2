"""Input and output schemas of the cases API. Phones only ever leave masked.

Inputs name things by code (category ``S0101``, unit ``L001``, point ``P00001``, region
``110101001``) and cases by number; outputs carry ids and codes. Every action takes the
``version`` the client last saw (optional): when the case changed since, the answer is 409.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class Ref(Schema):
    id: int
    code: str
    name: str


class CaseOut(Schema):
    id: int
    number: str
    version: int
    source: str
    status: str
    status_label: str
    priority: str
    category: Ref | None
    suggested_category: Ref | None
    description: str
    point: Ref | None
    region: Ref
    street: Ref
    address: str
    lng: float | None
    lat: float | None
    territorial_unit: Ref | None
    line_unit: Ref | None
    lead_unit: Ref | None
    partner_units: list[Ref]
    reported_at: dt.datetime
    registered_at: dt.datetime | None
    dispatched_at: dt.datetime | None
    due_at: dt.datetime | None
    feedback_at: dt.datetime | None
    closed_at: dt.datetime | None
    overdue: bool
    escalated: bool
    rework_count: int
    extension_count: int
    recurrent: bool
    duplicate_of: str | None


class CasePage(Schema):
    count: int
    items: list[CaseOut]


class EventOut(Schema):
    at: dt.datetime
    actor: str
    unit: Ref | None
    action: str
    action_label: str
    from_status: str
    to_status: str
    note: str


class AssignmentOut(Schema):
    unit: Ref
    lead: bool
    dispatched_at: dt.datetime
    feedback: str
    feedback_at: dt.datetime | None


class ExtensionOut(Schema):
    id: int
    unit: Ref
    asked_at: dt.datetime
    new_due_at: dt.datetime
    reason: str
    status: str
    decided_at: dt.datetime | None
    decision_note: str


class PhotoOut(Schema):
    id: int
    stage: str
    url: str
    uploaded_at: dt.datetime


class CaseDetailOut(CaseOut):
    reporter_name: str
    reporter_phone_masked: str
    external_id: str
    clause_id: int | None
    assignments: list[AssignmentOut]
    extensions: list[ExtensionOut]
    photos: list[PhotoOut]
    timeline: list[EventOut]
    duplicates: list[str]
    allowed_actions: list[str]


class CaseIn(Schema):
    """A case taken by staff: a hotline call (``hotline``), an order from above (``superior``)
    or an inspector's finding (``inspection``). Give ``point``, or ``lng``/``lat``, or
    ``region`` (a street or community code)."""

    source: str = "hotline"
    description: str
    category: str | None = None
    point: str | None = None
    region: str | None = None
    lng: Decimal | None = None
    lat: Decimal | None = None
    address: str = ""
    priority: str = "normal"
    reporter_name: str = ""
    reporter_phone: str = ""
    external_id: str = ""


class VersionIn(Schema):
    version: int | None = None


class RegisterIn(VersionIn):
    category: str | None = None
    priority: str | None = None
    note: str = ""


class DispatchIn(VersionIn):
    """派遣 (and 立案 first when the case still awaits intake, with ``category``)."""

    lead: str
    partners: list[str] = []
    due_at: dt.datetime | None = None
    category: str | None = None
    priority: str | None = None
    note: str = ""


class ReasonIn(VersionIn):
    reason: str = ""


class ReopenIn(ReasonIn):
    category: str | None = None


class MergeIn(VersionIn):
    into: str = Field(..., description="Number of the open case this report repeats")
    note: str = ""


class FeedbackIn(VersionIn):
    """Sent as multipart form data, with after-photos as ``photos`` files."""

    text: str = ""
    unit: str | None = None


class VerifyIn(VersionIn):
    """Sent as multipart form data, with optional re-check photos as ``photos`` files."""

    passed: bool
    note: str = ""


class ResumeIn(VersionIn):
    due_at: dt.datetime | None = None
    lead: str | None = None
    note: str = ""


class ExtensionIn(VersionIn):
    new_due_at: dt.datetime
    reason: str = ""
    unit: str | None = None


class DecideIn(VersionIn):
    grant: bool
    note: str = ""


class CommentIn(VersionIn):
    text: str = ""
