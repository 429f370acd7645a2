"""Input and output schemas of the frameworks API."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from ninja import Schema


class FrameworkOut(Schema):
    id: int
    code: str
    version: int
    name: str
    status: str
    created_at: datetime
    projects: int
    standards: int
    total_score: Decimal | None


class NamedRef(Schema):
    id: int
    name: str


class NodeOut(Schema):
    id: int
    number: str
    level: str
    text: str
    score: Decimal | None
    subtotal: Decimal | None
    methods: list[str]
    lead_unit: NamedRef | None
    partner_units: list[NamedRef]
    point_types: list[NamedRef]
    children: list[NodeOut]


NodeOut.model_rebuild()


class FrameworkDetailOut(FrameworkOut):
    nodes: list[NodeOut]


class ClauseOut(Schema):
    id: int
    number: str
    text: str
    project: str
    indicator: str
    content: str
    score: Decimal | None
    content_score: Decimal | None
    methods: list[str]
    lead_unit: NamedRef | None
    partner_units: list[NamedRef]
    point_types: list[NamedRef]
