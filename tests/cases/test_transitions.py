"""Every (action, state) pair of the case workflow: the edges of TRANSITIONS move the case to
the mapped state; every other pair is refused with the reason and changes nothing — not the
row, not the timeline, not the audit log."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.errors import TransitionRefusedError
from chuangcheng.cases.domain.workflow import allowed_actions, transition
from chuangcheng.cases.enums import TRANSITIONS, CaseAction, CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, CaseEvent
from chuangcheng.core.models import AuditEntry
from tests.cases.workflow_helpers import report
from tests.conftest import World

PAIRS = list(itertools.product(CaseAction.values, CaseStatus.values))
STEP_ACTIONS = sorted({action for action, _state in TRANSITIONS})


def at_state(world: World, categories: dict[str, Any], status: str) -> Case:
    """A case put straight into ``status``, already dispatched to the 东华门 street office (so
    the steps that need an assignment have one)."""
    case = report(world, categories)
    now = timezone.now()
    Case.objects.filter(pk=case.pk).update(
        status=status, registered_at=now, dispatched_at=now, due_at=now + timezone.timedelta(days=1)
    )
    CaseAssignment.objects.create(case=case, unit=world.unit_s1, lead=True, dispatched_at=now)
    return Case.objects.get(pk=case.pk)


def _state(case: Case) -> tuple[Any, ...]:
    row = Case.objects.get(pk=case.pk)
    return (
        row.status,
        row.version,
        row.category_id,
        row.due_at,
        row.closed_at,
        row.rework_count,
        row.duplicate_of_id,
        CaseEvent.objects.filter(case=case).count(),
        AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk)).count(),
        CaseAssignment.objects.filter(case=case).count(),
    )


def test_the_map_covers_exactly_these_edges() -> None:
    """Hand-written from GB/T 30428: a change to the map must be a deliberate change here."""
    assert {(str(a), str(s)): str(t) for (a, s), t in TRANSITIONS.items()} == {
        ("register", "reported"): "registered",
        ("reject", "reported"): "rejected",
        ("merge", "reported"): "merged",
        ("dispatch", "registered"): "dispatched",
        ("feedback", "dispatched"): "feedback",
        ("feedback", "rework"): "feedback",
        ("pass", "feedback"): "closed",
        ("fail", "feedback"): "rework",
        ("suspend", "registered"): "suspended",
        ("suspend", "dispatched"): "suspended",
        ("suspend", "rework"): "suspended",
        ("resume", "suspended"): "dispatched",
        ("reopen", "closed"): "registered",
        ("reopen", "rejected"): "registered",
    }


@pytest.mark.parametrize(("action", "status"), PAIRS)
def test_transition_every_pair(
    world: World, categories: dict[str, Any], action: str, status: str
) -> None:
    case = at_state(world, categories, status)
    before = _state(case)
    target = TRANSITIONS.get((action, status))
    assert (action in allowed_actions(case)) == (target is not None)
    if target is not None:
        transition(case, action, actor=world.office, note="n")
        after = Case.objects.get(pk=case.pk)
        assert (after.status, after.version) == (target, before[1] + 1)
        event = CaseEvent.objects.filter(case=case).latest("pk")
        assert (event.action, event.from_status, event.to_status) == (action, status, target)
    else:
        with pytest.raises(TransitionRefusedError) as err:
            transition(case, action, actor=world.office, note="n")
        assert str(CaseAction(action).label) in err.value.message
        assert str(CaseStatus(status).label) in err.value.message
        assert _state(case) == before


def _take(action: str, case: Case, world: World, categories: dict[str, Any]) -> None:
    """The public domain function for ``action``, called with valid input."""
    office = world.office
    match action:
        case CaseAction.REGISTER:
            actions.register(case, actor=office, category=categories["S0101"])
        case CaseAction.REJECT:
            actions.reject(case, actor=office, reason="不属于受理范围")
        case CaseAction.MERGE:
            other = report(world, categories, point="p2", code="S0102", text="另一处渣土")
            actions.merge(case, actor=office, into=other)
        case CaseAction.DISPATCH:
            actions.dispatch(case, actor=office, lead=world.unit_s1)
        case CaseAction.FEEDBACK:
            actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已清理")
        case CaseAction.PASS:
            actions.verify(case, actor=office, passed=True)
        case CaseAction.FAIL:
            actions.verify(case, actor=office, passed=False, note="仍有残留")
        case CaseAction.SUSPEND:
            actions.suspend(case, actor=office, reason="待道路改造")
        case CaseAction.RESUME:
            actions.resume(case, actor=office)
        case CaseAction.REOPEN:
            actions.reopen(case, actor=office, reason="群众再次反映")


@pytest.mark.parametrize(
    ("action", "status"), list(itertools.product(STEP_ACTIONS, CaseStatus.values))
)
def test_domain_function_every_pair(
    world: World, categories: dict[str, Any], action: str, status: str
) -> None:
    """The same through the functions pages and API call: a refusal names the state before
    any input is looked at, and leaves everything as it was."""
    case = at_state(world, categories, status)
    before = _state(case)
    target = TRANSITIONS.get((action, status))
    if target is not None:
        _take(action, case, world, categories)
        assert Case.objects.get(pk=case.pk).status == target
    else:
        with pytest.raises(TransitionRefusedError) as err:
            _take(action, case, world, categories)
        assert str(CaseStatus(status).label) in err.value.message
        assert _state(case) == before


@pytest.mark.parametrize("action", STEP_ACTIONS)
def test_unit_user_may_not_take_office_steps(
    world: World, categories: dict[str, Any], action: str
) -> None:
    """Rules come before the state: a unit user is refused every office step, with nothing
    written; the feedback is theirs to give."""
    source = next(s for (a, s) in TRANSITIONS if a == action)
    case = at_state(world, categories, source)
    before = _state(case)
    if action == CaseAction.FEEDBACK:
        actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已清理")
        assert Case.objects.get(pk=case.pk).status == CaseStatus.FEEDBACK
        return
    with pytest.raises(PermissionDenied):
        transition(case, action, actor=world.user_s1)
    assert _state(case) == before
