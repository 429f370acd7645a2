"""What every API router shares: the error shape.

Errors always look like
``{"detail": "...", "code": "...", "errors": [{"loc": [...], "msg": "..."}]}``.
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field, Schema

# The largest page offset or size a list accepts: a number past the database's integers (SQLite
# and PostgreSQL store 64-bit ones) would fail in the query, a 500; a bound makes it a 422.
MAX_PAGE_NUMBER = 2**31 - 1
PageOffset = Annotated[int, Field(ge=0, le=MAX_PAGE_NUMBER)]
PageLimit = Annotated[int, Field(le=MAX_PAGE_NUMBER)]


class ErrorItem(Schema):
    loc: list[str | int] = []
    msg: str


class Error(Schema):
    detail: str
    code: str
    errors: list[ErrorItem] = []
