"""Input and output schemas of the banks' API (``api_bank``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Field, Schema

from chuangcheng.core.api_support import MAX_PAGE_NUMBER
from chuangcheng.practice.enums import Book

MAX_LIMIT = 200


class BankAccountOut(Schema):
    id: int
    book: str = Field(..., description="time | points")
    kind: str = Field(..., description="household | volunteer | system")
    owner: str
    household: int | None
    volunteer: int | None
    community: str
    balance: Decimal


class BankAccountPageOut(Schema):
    count: int
    items: list[BankAccountOut]


class BankAccountFilter(Schema):
    book: str = Field(Book.POINTS, description="time | points")
    kind: str = Field("", description='household | volunteer | system; "" for owners')
    region: str = Field("", description="Region path prefix, e.g. 110101/110101001/")
    q: str = ""
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=MAX_PAGE_NUMBER)


class BankLineOut(Schema):
    txn: int
    at: dt.datetime
    kind: str
    memo: str
    counterparty: str
    amount: Decimal
    balance: Decimal
    reverses: int | None
    reversed_by: int | None


class BankStatementOut(Schema):
    account: BankAccountOut
    start: dt.date
    end: dt.date
    opening: Decimal
    credits: Decimal
    debits: Decimal
    closing: Decimal
    lines: list[BankLineOut]


class BankConventionItemOut(Schema):
    id: int
    region: str
    code: str
    title: str
    description: str
    points: int
    monthly_cap: int = Field(..., description="0 = no limit")
    active: bool


class BankAwardIn(Schema):
    item: int
    household: int | None = None
    volunteer: int | None = None
    note: str = Field("", max_length=300)
    client_ref: str = Field("", max_length=64, description="Sent again, nothing more is done")


class BankAwardOut(Schema):
    id: int
    item: int
    account: int
    points: int
    txn: int
    balance: Decimal
    awarded_at: dt.datetime


class BankGoodsOut(Schema):
    id: int
    site: int
    site_name: str
    name: str
    description: str
    price: int
    stock: int
    active: bool


class BankRedeemIn(Schema):
    goods: int
    household: int | None = None
    volunteer: int | None = None
    quantity: int = Field(1, ge=1, le=99)
    client_ref: str = Field("", max_length=64, description="Sent again, nothing more is done")


class BankRedemptionOut(Schema):
    id: int
    goods: int
    account: int
    quantity: int
    points: int
    status: str = Field(..., description="done | reversed")
    txn: int
    balance: Decimal
    stock: int
    at: dt.datetime


class BankReasonIn(Schema):
    reason: str = Field(..., min_length=1, max_length=200)
