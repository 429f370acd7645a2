"""Monthly rounds repeat exactly once, the month after their period ends."""

from __future__ import annotations

import datetime as dt

import pytest

from chuangcheng.core.periodic import discover
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.repeat import next_name, next_period, repeat_due_rounds
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Round
from tests.conftest import World
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import make_round

pytestmark = pytest.mark.django_db

D = dt.date


def test_next_period() -> None:
    assert next_period(D(2026, 11, 1), D(2026, 11, 30)) == (D(2026, 12, 1), D(2026, 12, 31))
    assert next_period(D(2026, 12, 1), D(2026, 12, 31)) == (D(2027, 1, 1), D(2027, 1, 31))
    assert next_period(D(2027, 1, 1), D(2027, 1, 31)) == (D(2027, 2, 1), D(2027, 2, 28))
    assert next_period(D(2026, 1, 10), D(2026, 1, 31)) == (D(2026, 2, 10), D(2026, 2, 28))
    assert next_period(D(2026, 11, 5), D(2026, 11, 20)) == (D(2026, 12, 5), D(2026, 12, 20))


def test_next_name() -> None:
    assert next_name("2026年11月日常督查", D(2026, 12, 1)) == "2026年12月日常督查"
    assert next_name("背街小巷督查", D(2027, 1, 1)) == "背街小巷督查（2027年1月）"


def _monthly(world: World, fw, walker) -> Round:
    round_ = make_round(
        world,
        fw,
        quotas={world.alley.pk: 3, world.market.pk: 1},
        inspectors=[walker],
        repeat_monthly=True,
        stratify_by_street=True,
    )
    return planning.open_round(round_, actor=world.office)


def test_repeats_exactly_once_after_the_period(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    old = _monthly(world, fw, walker)
    assert repeat_due_rounds(D(2026, 11, 30)) == []  # the period has not ended yet
    created = repeat_due_rounds(D(2026, 12, 1))
    assert len(created) == 1
    new = created[0]
    assert new.previous == old and new.status == RoundStatus.OPEN
    assert (new.period_start, new.period_end) == (D(2026, 12, 1), D(2026, 12, 31))
    assert new.name == "2026年12月日常督查"
    assert new.seed != old.seed
    assert new.stratify_by_street and new.repeat_monthly
    assert dict(new.quotas.values_list("point_type__code", "count")) == {"alley": 3, "market": 1}
    assert list(new.inspectors.values_list("username", flat=True)) == ["w1"]
    assert new.round_points.count() == 4
    # Running again (the job runs every hour) creates nothing more.
    assert repeat_due_rounds(D(2026, 12, 1)) == []
    assert repeat_due_rounds(D(2026, 12, 15)) == []
    assert Round.objects.count() == 2
    # The new round repeats in its turn, once.
    assert [r.previous for r in repeat_due_rounds(D(2027, 1, 2))] == [new]
    assert Round.objects.count() == 3


def test_months_missed_are_skipped(world: World, fw, streets: Streets) -> None:
    old = _monthly(world, fw, inspector("w1", world.district))
    (new,) = repeat_due_rounds(D(2027, 2, 14))
    assert new.previous == old
    assert (new.period_start, new.period_end) == (D(2027, 2, 1), D(2027, 2, 28))


def test_drafts_and_one_off_rounds_do_not_repeat(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    make_round(world, fw, inspectors=[walker], repeat_monthly=True)  # still a draft
    once = make_round(world, fw, inspectors=[walker])
    planning.open_round(once, actor=world.office)
    assert repeat_due_rounds(D(2027, 1, 1)) == []


def test_the_job_is_registered(world: World) -> None:
    jobs = discover()
    job = jobs["inspections.repeat_rounds"]
    assert job.every == dt.timedelta(hours=1)
    assert job.func() == 0
