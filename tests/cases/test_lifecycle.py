"""A case from report to closing through the domain functions, with exact figures."""

from __future__ import annotations

from typing import Any

import pytest

from chuangcheng.cases.domain import actions
from chuangcheng.cases.domain.errors import StaleCaseError, TransitionRefusedError
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case, CaseEvent
from tests.conftest import World


def _report(world: World, categories: dict[str, Any]) -> Case:
    return create_case(
        CaseData(
            source=CaseSource.RESIDENT,
            description="多福巷口垃圾堆放",
            category=categories["S0101"],
            point=world.p1,
        ),
        actor=world.office,
    )


def test_report_dispatch_rework_close(world: World, categories: dict[str, Any]) -> None:
    case = _report(world, categories)
    assert case.number.endswith("-000001")
    assert case.region == world.c1
    assert case.territorial_unit == world.unit_c1 and case.line_unit == world.line_cg
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s1)
    assert case.status == CaseStatus.DISPATCHED
    assert case.due_at is not None and case.dispatched_at is not None
    assert (case.due_at - case.dispatched_at).total_seconds() == 24 * 3600
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已清理")
    actions.verify(case, actor=world.office, passed=False, note="仍有残留")
    assert case.status == CaseStatus.REWORK and case.rework_count == 1
    actions.feedback(case, actor=world.user_s1, unit=world.unit_s1, text="已彻底清理")
    actions.verify(case, actor=world.office, passed=True)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED and case.closed_on_time is True
    assert list(CaseEvent.objects.filter(case=case).values_list("action", flat=True)) == [
        "report",
        "register",
        "dispatch",
        "feedback",
        "fail",
        "feedback",
        "pass",
    ]


def test_stale_copy_loses(world: World, categories: dict[str, Any]) -> None:
    case = _report(world, categories)
    other = Case.objects.get(pk=case.pk)
    actions.register(case, actor=world.office)
    with pytest.raises(StaleCaseError):
        actions.register(other, actor=world.office)


def test_refused_edge_names_state(world: World, categories: dict[str, Any]) -> None:
    case = _report(world, categories)
    with pytest.raises(TransitionRefusedError) as err:
        actions.verify(case, actor=world.office, passed=True)
    assert "待受理" in err.value.message or "Awaiting intake" in err.value.message
