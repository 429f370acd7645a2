"""Two clerks acting on the same case at the same moment, each on their own database
connection: exactly one succeeds, the other is told someone else changed the case; the case
has one timeline event and one audit entry for the step. PostgreSQL only — SQLite serialises
writers on the whole file, so it cannot show the race."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.errors import StaleCaseError
from chuangcheng.cases.domain.workflow import stale_message
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, CaseEvent
from chuangcheng.core.models import AuditEntry
from tests.cases.workflow_helpers import report
from tests.conftest import World

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks"),
    pytest.mark.django_db(transaction=True),
]


def _race(case_pk: int, steps: list[Callable[[Case], Any]]) -> list[str]:
    """Each step in its own thread (own connection), all starting from the same version."""
    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []
    lock = threading.Lock()

    def run(step: Callable[[Case], Any]) -> None:
        try:
            case = Case.objects.get(pk=case_pk)
            barrier.wait(timeout=10)
            try:
                step(case)
                result = "ok"
            except StaleCaseError as exc:
                result = exc.message
            with lock:
                outcomes.append(result)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(s,)) for s in steps]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _audit(case: Case, prefix: str) -> int:
    return AuditEntry.objects.filter(
        object_type="cases.case", object_id=str(case.pk), note__startswith=prefix
    ).count()


def test_two_clerks_dispatch_at_once(world: World, categories: dict[str, Any]) -> None:
    case = report(world, categories)
    actions.register(case, actor=world.office)
    scope_of(world.office)  # computed once, before the threads share the user
    outcomes = _race(
        case.pk,
        [
            lambda c: actions.dispatch(c, actor=world.office, lead=world.unit_s1),
            lambda c: actions.dispatch(c, actor=world.office, lead=world.line_cg),
        ],
    )
    assert sorted(outcomes) == sorted(["ok", stale_message()])
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.DISPATCHED, 2)
    assert CaseEvent.objects.filter(case=case, action="dispatch").count() == 1
    assert _audit(case, "dispatch") == 1
    winner = CaseEvent.objects.get(case=case, action="dispatch").unit
    assert [a.unit for a in CaseAssignment.objects.filter(case=case)] == [winner]


@pytest.fixture
def handled(world: World, categories: dict[str, Any]) -> Case:
    """A case the unit reported handled: waiting for the office's re-check (version 3)."""
    case = report(world, categories)
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已清理")
    scope_of(world.office)
    return case


def test_two_clerks_close_at_once(world: World, handled: Case) -> None:
    case = handled
    outcomes = _race(
        case.pk,
        [
            lambda c: actions.verify(c, actor=world.office, passed=True, note="甲核查"),
            lambda c: actions.verify(c, actor=world.office, passed=True, note="乙核查"),
        ],
    )
    assert sorted(outcomes) == sorted(["ok", stale_message()])
    case.refresh_from_db()
    assert (case.status, case.version) == (CaseStatus.CLOSED, 4)
    assert CaseEvent.objects.filter(case=case, action="pass").count() == 1
    assert _audit(case, "pass") == 1


def test_close_and_rework_at_once_one_wins(world: World, handled: Case) -> None:
    case = handled
    outcomes = _race(
        case.pk,
        [
            lambda c: actions.verify(c, actor=world.office, passed=True),
            lambda c: actions.verify(c, actor=world.office, passed=False, note="仍有残留"),
        ],
    )
    assert sorted(outcomes) == sorted(["ok", stale_message()])
    case.refresh_from_db()
    assert case.status in (CaseStatus.CLOSED, CaseStatus.REWORK)
    assert case.rework_count == (1 if case.status == CaseStatus.REWORK else 0)
    assert CaseEvent.objects.filter(case=case, action__in=["pass", "fail"]).count() == 1
