"""The demo's case history, loaded once for this module: consistent timelines, the open work
of each demo unit, escalations as the job makes them, and a second load changing nothing.

Exact figures come from the fixed seeds; the times are relative to the moment of loading, so
the figures do not depend on when the test runs.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from chuangcheng.accounts.models import User
from chuangcheng.accounts.scope import scope_of
from chuangcheng.cases.enums import OPEN_AT_UNIT, CaseAction, CaseStatus
from chuangcheng.cases.models import Case, CaseAssignment, CaseEvent, Photo
from chuangcheng.core.models_messages import Delivery, Notification, OutboundMessage
from chuangcheng.demo import cases as demo_cases
from chuangcheng.demo.case_plan import OPEN_CASES
from chuangcheng.demo.loader import LoadResult, load_demo
from tests.module_data import module_data

UNIT_ACCOUNTS = (
    "unit_donghuamen",
    "unit_jingshan",
    "unit_qianmen",
    "unit_cgw",
    "unit_scjg",
    "unit_duofuxiang",
)


@pytest.fixture(scope="module")
def demo(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LoadResult]:
    """One load (district, framework and cases) for the module, rolled back at the end."""

    def load() -> LoadResult:
        before = timezone.now()
        result = load_demo(stdout=StringIO())
        result.loaded_between = (before, timezone.now())  # type: ignore[attr-defined]
        return result

    media = str(tmp_path_factory.mktemp("media"))
    with module_data(django_db_blocker, load, media_root=media) as result:
        yield result


pytestmark = pytest.mark.usefixtures("demo", "db")


def test_exact_figures(demo: LoadResult) -> None:
    assert demo.created is True and demo.cases == 535
    assert dict(Case.objects.values_list("status").annotate(n=Count("id"))) == {
        "closed": 500,
        "dispatched": 6,
        "feedback": 3,
        "registered": 1,
        "rejected": 15,
        "reported": 2,
        "rework": 2,
        "suspended": 6,
    }
    assert dict(Case.objects.values_list("source").annotate(n=Count("id"))) == {
        "hotline": 88,
        "inspection": 180,
        "resident": 131,
        "supervisor": 136,
    }
    assert Case.objects.exclude(escalated_at=None).count() == 89
    assert Case.objects.filter(closed_on_time=False).count() == 81
    assert Case.objects.filter(rework_count__gt=0).count() == 45
    assert Case.objects.filter(extension_count__gt=0).count() == 28
    assert Case.objects.filter(was_suspended=True).count() == 13
    assert dict(Photo.objects.values_list("stage").annotate(n=Count("id"))) == {
        "after": 205,
        "report": 242,
    }
    assert not Photo.objects.filter(case=None).exists()


def test_six_months_of_cases_in_every_street(demo: LoadResult) -> None:
    start, _end = demo.loaded_between  # type: ignore[attr-defined]
    first = Case.objects.order_by("reported_at").first()
    assert first is not None
    assert dt.timedelta(days=170) < start - first.reported_at < dt.timedelta(days=184)
    streets = Case.objects.values("region__path").annotate(n=Count("id"))
    assert len({row["region__path"].split("/")[1] for row in streets}) == 17


def test_timelines_are_consistent(demo: LoadResult) -> None:
    _start, end = demo.loaded_between  # type: ignore[attr-defined]
    for case in Case.objects.all():
        times = [
            t
            for t in (
                case.reported_at,
                case.registered_at,
                case.dispatched_at,
                case.feedback_at,
                case.closed_at,
            )
            if t is not None
        ]
        assert times == sorted(times), case.number
        assert times[-1] <= end, case.number
        if case.status == CaseStatus.CLOSED:
            assert case.closed_on_time == (case.feedback_at <= case.due_at), case.number
    events = CaseEvent.objects.order_by("case", "id").values_list("case", "at", "action")
    for _case, rows in itertools.groupby(events, key=lambda r: r[0]):
        steps = list(rows)
        assert steps[0][2] == CaseAction.REPORT
        assert [at for _c, at, _a in steps] == sorted(at for _c, at, _a in steps)
    first_events = CaseEvent.objects.filter(action=CaseAction.REPORT).select_related("case")
    assert all(e.at == e.case.reported_at for e in first_events)


def test_escalated_as_the_job_would(demo: LoadResult) -> None:
    _start, end = demo.loaded_between  # type: ignore[attr-defined]
    flagged = Case.objects.exclude(escalated_at=None)
    for case in flagged:
        assert case.due_at is not None and case.escalated_at is not None
        event = CaseEvent.objects.get(case=case, action=CaseAction.ESCALATE)
        assert event.at == case.escalated_at
        # Past the deadline of that moment (an extension may have moved it since).
        assert case.escalated_at > dt.datetime.fromisoformat(event.data["due_at"]), case.number
    # Every case sitting at a unit past its deadline is flagged; none before its deadline.
    at_units = Case.objects.filter(status__in=OPEN_AT_UNIT)
    assert all((c.escalated_at is not None) == (c.due_at < end) for c in at_units)
    assert CaseEvent.objects.filter(action=CaseAction.ESCALATE).count() == flagged.count()
    # The escalations reached the units: notifications and the heads' and contacts' texts.
    assert Notification.objects.filter(key__endswith=":overdue").exists()
    assert OutboundMessage.objects.count() == 178
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {Delivery.STORED}


def test_every_demo_unit_has_open_work(demo: LoadResult) -> None:
    for username in UNIT_ACCOUNTS:
        user = User.objects.get(username=username)
        units = scope_of(user).unit_ids
        todo = (
            Case.objects.visible_to(user)
            .filter(status__in=OPEN_AT_UNIT, assignments__unit_id__in=units)
            .distinct()
        )
        assert todo.exists(), username
    open_at_units = Case.objects.filter(status__in=OPEN_AT_UNIT).count()
    assert open_at_units == sum(1 for o in OPEN_CASES if o.state in ("dispatched", "rework"))
    overdue = Case.objects.filter(status__in=OPEN_AT_UNIT).exclude(escalated_at=None).count()
    assert overdue == 4


def test_due_soon_cases_were_reminded(demo: LoadResult) -> None:
    reminded = Notification.objects.filter(key__endswith=":due_soon").values("key").distinct()
    assert reminded.count() == 2
    assert Notification.objects.filter(read_at=None).exists()


def test_hotline_callers_phones_are_encrypted_and_masked(demo: LoadResult) -> None:
    call = Case.objects.filter(source="hotline").exclude(reporter_phone="").first()
    assert call is not None and call.external_id.startswith("12345-")
    assert call.reporter_phone.startswith("1381100")
    assert call.reporter_phone_masked == call.reporter_phone[:3] + "****" + call.reporter_phone[-4:]


def test_feedback_by_units_without_accounts_names_their_contact(demo: LoadResult) -> None:
    anonymous = CaseEvent.objects.filter(action=CaseAction.FEEDBACK, actor=None)
    assert anonymous.exists()
    assert all(e.actor_name == e.unit.contact_name for e in anonymous.select_related("unit"))


def test_assignments_follow_the_category(demo: LoadResult) -> None:
    food = CaseAssignment.objects.filter(case__category__code="S0602", lead=True)
    assert set(food.values_list("unit__short_name", flat=True)) == {"区市场监管局"}
    garbage = CaseAssignment.objects.filter(case__category__code="S0101", lead=True)
    assert set(garbage.values_list("unit__kind", flat=True)) == {"territorial"}


def test_loading_again_changes_nothing(demo: LoadResult) -> None:
    counts = (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count())
    again = load_demo(stdout=StringIO())
    assert (again.created, again.cases) == (False, 0)
    assert demo_cases.load_demo_cases() == 0
    out = StringIO()
    call_command("demo", "cases", stdout=out)
    assert "No cases were added" in out.getvalue() or "未添加" in out.getvalue()
    assert (Case.objects.count(), CaseEvent.objects.count(), Notification.objects.count()) == counts
