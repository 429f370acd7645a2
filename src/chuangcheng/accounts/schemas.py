"""Input and output schemas of the users API. Phones only ever leave masked."""

from __future__ import annotations

from ninja import Schema


class GrantOut(Schema):
    id: int
    role: str
    region: str | None
    region_name: str | None
    unit: str | None
    unit_name: str | None


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    phone_masked: str
    is_active: bool
    must_change_password: bool
    grants: list[GrantOut]


class UserPage(Schema):
    count: int
    items: list[UserOut]
