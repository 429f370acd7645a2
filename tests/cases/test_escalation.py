"""督办 of overdue cases and reminders before the deadline: once, to exactly the right people."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangcheng.accounts.enums import Role
from chuangcheng.cases.domain import actions, escalation
from chuangcheng.cases.domain.intake import CaseData, create_case
from chuangcheng.cases.enums import CaseAction, CaseSource, CaseStatus
from chuangcheng.cases.models import Case, CaseEvent
from chuangcheng.core.models import AuditEntry
from chuangcheng.core.models_messages import Channel, Level, Notification, OutboundMessage
from chuangcheng.orgs.models import Unit
from tests.conftest import World
from tests.factories import UserFactory, grant

H = dt.timedelta(hours=1)


@pytest.fixture
def people(world: World) -> dict[str, Any]:
    """Distinct numbers for the units' heads and contacts, and a user of the community."""
    Unit.objects.filter(pk=world.unit_c1.pk).update(
        head_name="刘主任",
        head_phone="13900000001",
        contact_name="陈联络",
        contact_phone="13900000002",
    )
    Unit.objects.filter(pk=world.line_cg.pk).update(
        head_name="张局长",
        head_phone="13900000003",
        contact_name="赵联络",
        contact_phone="13900000004",
    )
    user_c1 = UserFactory(username="unit_c1", display_name="多福巷联络员")
    grant(user_c1, Role.UNIT, unit=world.unit_c1)
    world.unit_c1.refresh_from_db()
    world.line_cg.refresh_from_db()
    return {"user_c1": user_c1}


_DAYS_BACK = itertools.count()


def dispatched(world: World, categories: dict[str, Any], code: str = "S0101", **kw: Any) -> Case:
    """A case at 多福巷 (community c1) dispatched to its 居委会 with 城管委 as partner. Each is
    reported a day before the last, so intake does not merge them as same-day repeats."""
    case = create_case(
        CaseData(
            source=CaseSource.INSPECTION,
            description="多福巷口暴露垃圾",
            category=categories[code],
            point=world.p1,
            reported_at=timezone.now() - dt.timedelta(days=next(_DAYS_BACK)),
        ),
        actor=world.office,
    )
    actions.register_and_dispatch(
        case, actor=world.office, lead=world.unit_c1, partners=[world.line_cg], **kw
    )
    return case


def test_overdue_case_is_escalated_and_notified_once(world, categories, people) -> None:
    case = dispatched(world, categories)
    assert case.due_at is not None
    now = case.due_at + dt.timedelta(minutes=3)
    assert escalation.escalate_overdue(now=now - dt.timedelta(minutes=4)) == []

    flagged = escalation.escalate_overdue(now=now)
    assert [c.pk for c in flagged] == [case.pk]
    case.refresh_from_db()
    assert case.escalated_at == now and case.status == CaseStatus.DISPATCHED
    event = CaseEvent.objects.get(case=case, action=CaseAction.ESCALATE)
    assert (event.at, event.actor, event.unit_id, event.from_status, event.to_status) == (
        now,
        None,
        world.unit_c1.pk,
        "dispatched",
        "dispatched",
    )
    assert event.data == {"due_at": case.due_at.isoformat()}
    audit = AuditEntry.objects.filter(object_type="cases.case", note="escalate").get()
    assert (audit.before, audit.after) == (
        {"escalated_at": None},
        {"escalated_at": now.isoformat()},
    )

    # In-app: the users over the assigned units — the community's own account, the street
    # office's (the community's unit is under it) and the line department's. Nobody else.
    got = Notification.objects.filter(key=f"case:{case.pk}:overdue")
    assert sorted(got.values_list("recipient__username", flat=True)) == [
        "unit_c1",
        "unit_line",
        "unit_s1",
    ]
    note = got.first()
    assert note is not None and note.level == Level.DANGER and note.link == f"/cases/{case.pk}/"
    assert case.number in note.title
    # SMS: the lead unit's head and contact; not the partner's.
    texts = OutboundMessage.objects.filter(channel=Channel.SMS).order_by("key")
    assert [(m.to, m.to_name, m.unit_id, m.key) for m in texts] == [
        ("13900000002", "陈联络", world.unit_c1.pk, f"case:{case.pk}:overdue:contact"),
        ("13900000001", "刘主任", world.unit_c1.pk, f"case:{case.pk}:overdue:head"),
    ]
    assert all(m.template == "CC_OVERDUE" and m.params["number"] == case.number for m in texts)
    assert all(m.text.startswith("【创城】") and case.number in m.text for m in texts)
    assert {m.scope_path for m in texts} == {world.c1.path}

    # A second run (and a third, later) changes nothing.
    assert escalation.escalate_overdue(now=now + dt.timedelta(minutes=5)) == []
    assert escalation.escalate_overdue(now=now + 48 * H) == []
    assert CaseEvent.objects.filter(case=case, action=CaseAction.ESCALATE).count() == 1
    assert Notification.objects.count() == 3
    assert OutboundMessage.objects.count() == 2
    case.refresh_from_db()
    assert case.escalated_at == now


def test_escalation_bumps_the_version_so_a_stale_form_loses(world, categories, people) -> None:
    case = dispatched(world, categories)
    stale = Case.objects.get(pk=case.pk)
    assert case.due_at is not None
    escalation.escalate_overdue(now=case.due_at + H)
    from chuangcheng.cases.domain.errors import StaleCaseError

    with pytest.raises(StaleCaseError):
        actions.feedback(stale, actor=world.user_s1, unit=world.unit_c1, text="已清理")
    fresh = Case.objects.get(pk=case.pk)
    actions.feedback(fresh, actor=world.user_s1, unit=world.unit_c1, text="已清理")
    assert fresh.status == CaseStatus.FEEDBACK


def test_only_cases_at_units_past_their_deadline(world, categories, people) -> None:
    late = dispatched(world, categories)
    handled = dispatched(world, categories)
    actions.feedback(handled, actor=world.user_s1, unit=world.unit_c1, text="已清理")
    rework = dispatched(world, categories)
    actions.feedback(rework, actor=world.user_s1, unit=world.unit_c1, text="已清理")
    actions.verify(rework, actor=world.office, passed=False, note="仍有残留")
    suspended = dispatched(world, categories)
    actions.suspend(suspended, actor=world.office, reason="待项目实施")
    already = dispatched(world, categories)
    assert already.due_at is not None
    escalation.escalate_overdue(now=already.due_at + H, cases=Case.objects.filter(pk=already.pk))
    Notification.objects.filter(key=f"case:{already.pk}:overdue").delete()
    assert late.due_at is not None
    flagged = escalation.escalate_overdue(now=late.due_at + 2 * H)
    assert sorted(c.pk for c in flagged) == sorted([late.pk, rework.pk])
    assert not Notification.objects.filter(key=f"case:{already.pk}:overdue").exists()


def test_one_text_when_head_and_contact_share_a_number(world, categories, people) -> None:
    Unit.objects.filter(pk=world.unit_c1.pk).update(contact_phone="13900000001", head_phone="")
    case = dispatched(world, categories)
    assert case.due_at is not None
    escalation.escalate_overdue(now=case.due_at + H)
    assert list(OutboundMessage.objects.values_list("to", flat=True)) == ["13900000001"]


def test_escalation_statements_do_not_grow_with_cases(world, categories, people) -> None:
    def run(n: int) -> int:
        cases = [dispatched(world, categories) for _ in range(n)]
        due = max(c.due_at for c in cases if c.due_at)
        with CaptureQueriesContext(connection) as ctx:
            flagged = escalation.escalate_overdue(now=due + H, send=False)
        assert len(flagged) == n
        return len(ctx)

    assert run(2) == run(7)


def test_other_units_cases_notify_other_users(world, categories, people) -> None:
    case = create_case(
        CaseData(
            source=CaseSource.RESIDENT,
            description="景山市场门口占道经营",
            category=categories["S0501"],
            point=world.p2,
        ),
        actor=world.office,
    )
    actions.register_and_dispatch(case, actor=world.office, lead=world.unit_s2)
    assert case.due_at is not None
    escalation.escalate_overdue(now=case.due_at + H)
    assert list(Notification.objects.values_list("recipient__username", flat=True)) == ["unit_s2"]


def test_reminder_before_the_deadline_once(world, categories, people) -> None:
    case = dispatched(world, categories, code="B0102")  # 路灯: 48 h to handle
    assert case.due_at is not None
    assert escalation.remind_due_soon(now=case.due_at - 25 * H, hours=24) == []
    reminded = escalation.remind_due_soon(now=case.due_at - 23 * H, hours=24)
    assert [c.pk for c in reminded] == [case.pk]
    got = Notification.objects.filter(key=f"case:{case.pk}:due_soon")
    assert sorted(got.values_list("recipient__username", flat=True)) == [
        "unit_c1",
        "unit_line",
        "unit_s1",
    ]
    assert {n.level for n in got} == {Level.WARNING}
    assert "23" in got.first().title  # about 23 hours left
    assert escalation.remind_due_soon(now=case.due_at - 22 * H, hours=24) == []
    assert escalation.remind_due_soon(now=case.due_at - H, hours=24) == []
    assert got.count() == 3
    assert not OutboundMessage.objects.exists()  # reminders are in-app only


def test_short_cases_are_reminded_at_half_time(world, categories, people) -> None:
    case = dispatched(world, categories, code="B0101")  # 井盖: 4 h
    assert case.due_at is not None
    assert escalation.remind_due_soon(now=case.due_at - 3 * H, hours=24) == []
    assert len(escalation.remind_due_soon(now=case.due_at - 2 * H, hours=24)) == 1


def test_reminders_can_be_switched_off(world, categories, people, settings) -> None:
    case = dispatched(world, categories)
    assert case.due_at is not None
    settings.CASE_REMINDER_HOURS = 0
    assert escalation.remind_due_soon(now=case.due_at - H) == []
    settings.CASE_REMINDER_HOURS = 24
    assert len(escalation.remind_due_soon(now=case.due_at - H)) == 1


def test_the_scheduler_runs_the_escalation_job(world, categories, people) -> None:
    case = dispatched(world, categories)
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - H)
    call_command("scheduler", "--once", "--inline", stdout=StringIO())
    case.refresh_from_db()
    assert case.escalated_at is not None
    assert Notification.objects.filter(key=f"case:{case.pk}:overdue").count() == 3
    # The texts were delivered by the delivery job of the same pass (outbox: kept, not sent).
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {"stored"}
