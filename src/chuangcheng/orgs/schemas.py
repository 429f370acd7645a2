"""Input and output schemas of the regions and units API. Phones only ever leave masked."""

from __future__ import annotations

from typing import Any

from ninja import Schema


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent: str | None
    path: str
    boundary_approximate: bool


class RegionDetailOut(RegionOut):
    boundary: dict[str, Any] | None


class RegionPage(Schema):
    count: int
    items: list[RegionOut]


class UnitOut(Schema):
    code: str
    name: str
    short_name: str
    kind: str
    region: str | None
    parent: str | None
    head_name: str
    head_phone_masked: str
    contact_name: str
    contact_phone_masked: str
    address: str
    active: bool


class UnitPage(Schema):
    count: int
    items: list[UnitOut]


class UnitIn(Schema):
    code: str
    name: str
    kind: str
    region: str
    short_name: str = ""
    parent: str | None = None
    head_name: str = ""
    head_phone: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    address: str = ""


class UnitPatch(Schema):
    name: str | None = None
    kind: str | None = None
    region: str | None = None
    short_name: str | None = None
    parent: str | None = None
    head_name: str | None = None
    head_phone: str | None = None
    contact_name: str | None = None
    contact_phone: str | None = None
    address: str | None = None
    active: bool | None = None
