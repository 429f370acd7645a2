"""Two claimers tapping "claim" on the same wish at the same moment, each on their own database
connection: exactly one wins, the other is told someone else claimed it; the wish has one
"claimed" event and one audit entry for it. Runs on SQLite (writers take turns) and on
PostgreSQL (the conditional UPDATE waits for the first transaction, then matches no row)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connections

from chuangcheng.accounts.scope import scope_of
from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import wishes
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import WishStatus
from chuangcheng.practice.models import Wish, WishEvent
from tests.practice.conftest import PracticeWorld
from tests.practice.wish_helpers import make_wish

pytestmark = pytest.mark.django_db(transaction=True)


def _race(pk: int, claims: list[Callable[[Wish], Any]]) -> list[str]:
    barrier = threading.Barrier(len(claims))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(claim: Callable[[Wish], Any]) -> None:
        try:
            wish = Wish.objects.select_related("region").get(pk=pk)
            barrier.wait(timeout=10)
            try:
                claim(wish)
                result = "ok"
            except PracticeError as exc:
                result = str(exc)
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(c,)) for c in claims]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def test_two_claimers_at_once_one_wins(pw: PracticeWorld) -> None:
    wish = make_wish(pw, WishStatus.PUBLISHED)
    volunteer, unit = pw.vol1_user, pw.world.user_line
    for user in (volunteer, unit):
        scope_of(user)  # computed once, before the threads share the user
    outcomes = _race(
        wish.pk,
        [
            lambda w: wishes.claim_wish(w, actor=volunteer),
            lambda w: wishes.claim_wish(w, actor=unit),
        ],
    )
    assert sorted(outcomes) == sorted(["ok", "这个心愿刚刚已被他人认领。"])
    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    winner = volunteer if wish.claimed_by == volunteer else unit
    assert (wish.claimed_unit is None) == (winner == volunteer)
    claimed = WishEvent.objects.filter(wish=wish, to_status=WishStatus.CLAIMED)
    assert [e.actor for e in claimed] == [winner]
    audits = AuditEntry.objects.filter(
        object_type="practice.wish", object_id=str(wish.pk), note="wish claimed"
    )
    assert audits.count() == 1
