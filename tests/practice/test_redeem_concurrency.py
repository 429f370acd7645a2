"""Two redemptions racing (issue 8's integrity rule): for the last item in stock, or for the
same balance, never both succeed. Each thread sends its request through its own client and its
own database connection, released together by a barrier. On PostgreSQL the account lock and the
conditional stock UPDATE decide; on SQLite writers are serialized (BEGIN IMMEDIATE with a busy
timeout), so the same assertions hold and nothing half-happens.

Run against PostgreSQL with ``DATABASE_URL=postgres://…`` (CI does both)."""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client

from chuangcheng.practice.domain import ledger
from chuangcheng.practice.domain.points import award_points, owner_account
from chuangcheng.practice.domain.points_convention import save_item
from chuangcheng.practice.domain.points_shop import save_goods
from chuangcheng.practice.enums import Book, TxnKind
from chuangcheng.practice.models import Goods, LedgerTransaction, Redemption
from tests.practice.conftest import PracticeWorld

pytestmark = pytest.mark.django_db(transaction=True)
D = Decimal
URL = "/api/v1/practice/bank/redemptions"


def race(user: object, bodies: list[dict]) -> list[int]:
    """POST each body from its own thread at the same moment; the status codes, in order."""
    barrier = threading.Barrier(len(bodies))
    statuses: list[int] = [0] * len(bodies)
    clients = []
    for _b in bodies:
        c = Client()
        c.force_login(user)  # type: ignore[arg-type]
        clients.append(c)

    def run(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            response = clients[i].post(URL, json.dumps(bodies[i]), content_type="application/json")
            statuses[i] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(bodies))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return statuses


def fund(pw: PracticeWorld, owner: object, points: int) -> None:
    item = save_item(
        actor=pw.world.office,
        region=pw.world.district,
        data={"code": f"f{type(owner).__name__}{owner.pk}", "title": "志愿服务", "points": points},  # type: ignore[attr-defined]
    )
    award_points(actor=pw.world.office, item=item, owner=owner)  # type: ignore[arg-type]


def books_balance() -> None:
    assert ledger.book_total(Book.POINTS) == D("0")
    assert ledger.book_total(Book.TIME) == D("0")


def test_two_households_racing_for_the_last_item(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 50)
    fund(pw, pw.vol1, 50)
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "大米", "price": 30, "stock": 1}
    )
    statuses = race(
        pw.world.user_s1,
        [
            {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "race-h1"},
            {"goods": goods.pk, "volunteer": pw.vol1.pk, "client_ref": "race-v1"},
        ],
    )
    assert sorted(statuses) == [201, 409], statuses
    assert Goods.objects.get(pk=goods.pk).stock == 0
    assert Redemption.objects.count() == 1
    assert LedgerTransaction.objects.filter(kind=TxnKind.REDEMPTION).count() == 1
    spent = [ledger.balance(owner_account(o)) for o in (pw.h1, pw.vol1)]
    assert sorted(spent) == [D("20"), D("50")]
    books_balance()


def test_two_redemptions_racing_for_the_same_balance(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 40)
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "食用油", "price": 30, "stock": 5}
    )
    statuses = race(
        pw.world.user_s1,
        [
            {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "bal-1"},
            {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "bal-2"},
        ],
    )
    assert sorted(statuses) == [201, 409], statuses
    assert Goods.objects.get(pk=goods.pk).stock == 4
    assert ledger.balance(owner_account(pw.h1)) == D("10")
    assert Redemption.objects.count() == 1
    books_balance()


def test_one_form_sent_twice_at_once_redeems_once(pw: PracticeWorld) -> None:
    fund(pw, pw.h1, 100)
    goods = save_goods(
        actor=pw.world.office, site=pw.station_c1, data={"name": "毛巾", "price": 15, "stock": 5}
    )
    body = {"goods": goods.pk, "household": pw.h1.pk, "client_ref": "double-tap"}
    statuses = race(pw.world.user_s1, [body, body])
    assert sorted(statuses) == [200, 201], statuses
    assert Goods.objects.get(pk=goods.pk).stock == 4
    assert ledger.balance(owner_account(pw.h1)) == D("85")
    books_balance()


def test_the_database_in_use_is_reported() -> None:
    # Which backend ran the races above, for the CI log.
    assert connection.vendor in ("postgresql", "sqlite")
