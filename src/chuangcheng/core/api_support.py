"""What every API router shares: the error shape.

Errors always look like
``{"detail": "...", "code": "...", "errors": [{"loc": [...], "msg": "..."}]}``.
"""

from __future__ import annotations

from ninja import Schema


class ErrorItem(Schema):
    loc: list[str | int] = []
    msg: str


class Error(Schema):
    detail: str
    code: str
    errors: list[ErrorItem] = []
