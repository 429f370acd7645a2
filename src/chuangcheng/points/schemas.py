"""Input and output schemas of the points API. Phones only ever leave masked."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class PointUnitRef(Schema):
    code: str
    name: str
    short_name: str
    contact_name: str
    contact_phone_masked: str


class PointTypeOut(Schema):
    code: str
    name: str
    seq: int


class PointOut(Schema):
    code: str
    name: str
    type: str
    type_name: str
    address: str
    lng: float
    lat: float
    street: str
    street_name: str
    region: str
    region_name: str
    territorial_unit: PointUnitRef
    line_unit: PointUnitRef | None
    active: bool
    note: str


class PointPage(Schema):
    count: int
    items: list[PointOut]


class PointIn(Schema):
    """A new point. ``type`` is a point-type code, ``street`` a street's region code, units by
    code; ``crs`` says which datum the coordinates are in (stored as WGS-84)."""

    name: str
    type: str
    street: str
    territorial_unit: str
    line_unit: str | None = None
    lng: Decimal
    lat: Decimal
    address: str = ""
    note: str = ""
    crs: str = "wgs84"


class PointPatch(Schema):
    name: str | None = None
    type: str | None = None
    street: str | None = None
    territorial_unit: str | None = None
    line_unit: str | None = None
    lng: Decimal | None = None
    lat: Decimal | None = None
    address: str | None = None
    note: str | None = None
    active: bool | None = None
    crs: str = "wgs84"
