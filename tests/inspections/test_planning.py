"""Planning a round: validation, permissions, redraw, open and finish, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import translation

from chuangcheng.core.models import AuditEntry
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.inspections.domain import planning
from chuangcheng.inspections.domain.errors import InspectionError, InspectionValidationError
from chuangcheng.inspections.enums import RoundStatus
from chuangcheng.inspections.models import Round, RoundPoint
from tests.conftest import World
from tests.inspections.conftest import Streets, inspector
from tests.inspections.helpers import make_round, round_data

pytestmark = pytest.mark.django_db


def test_create_stores_settings_draws_and_audits(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_, report = planning.create_round(
        round_data(world, fw, quotas={world.alley.pk: 3, world.market.pk: 1}, inspectors=[walker]),
        actor=world.office,
    )
    assert round_.status == RoundStatus.DRAFT
    assert report.drawn == 4 and round_.round_points.count() == 4
    assert set(round_.round_points.values_list("inspector__username", flat=True)) == {"w1"}
    entry = AuditEntry.objects.get(object_type="inspections.round", object_id=str(round_.pk))
    assert entry.action == "create" and entry.actor == world.office
    assert entry.after["quotas"] == {"alley": 3, "market": 1}
    assert entry.after["inspectors"] == ["w1"]


def test_every_wrong_field_is_named_and_nothing_written(world: World, fw, streets: Streets) -> None:
    data = round_data(
        world,
        fw,
        name=" ",
        quotas={world.alley.pk: 0},
        inspectors=[],
        period_start=dt.date(2026, 11, 30),
        period_end=dt.date(2026, 11, 1),
    )
    with pytest.raises(InspectionValidationError) as err:
        planning.create_round(data, actor=world.office)
    assert set(err.value.errors) == {"name", "period_end", "quotas", "inspectors"}
    assert Round.objects.count() == 0 and RoundPoint.objects.count() == 0


def test_quota_for_a_type_without_field_clauses_is_refused(
    world: World, fw, streets: Streets
) -> None:
    from tests.factories import PointTypeFactory

    toilet = PointTypeFactory(code="toilet", name="公共卫生间")
    walker = inspector("w1", world.district)
    with pytest.raises(InspectionValidationError) as err:
        planning.create_round(
            round_data(world, fw, quotas={toilet.pk: 2}, inspectors=[walker]), actor=world.office
        )
    assert list(err.value.errors) == ["quotas"]


def test_inactive_framework_and_community_region_are_refused(
    world: World, fw, streets: Streets
) -> None:
    walker = inspector("w1", world.district)
    fw.framework.status = FrameworkStatus.ARCHIVED
    fw.framework.save()
    with pytest.raises(InspectionValidationError) as err:
        planning.create_round(
            round_data(world, fw, region=world.c1, inspectors=[walker]), actor=world.office
        )
    assert set(err.value.errors) == {"framework", "region"}


def test_inspector_whose_grant_does_not_cover_the_region_is_refused(
    world: World, fw, streets: Streets
) -> None:
    # The world's inspector holds street s1 only: not enough for a district round.
    with translation.override("en"), pytest.raises(InspectionValidationError) as err:
        planning.create_round(
            round_data(world, fw, inspectors=[world.inspector]), actor=world.office
        )
    assert err.value.errors["inspectors"] == ["督查员甲 may not inspect in 东城区."]
    # …but enough for a round over s1.
    round_, _report = planning.create_round(
        round_data(world, fw, region=world.s1, inspectors=[world.inspector]), actor=world.office
    )
    assert round_.region == world.s1


def test_eligible_inspectors_cover_the_region(world: World, streets: Streets) -> None:
    district_wide = inspector("dw", world.district)
    in_s2 = inspector("s2w", world.s2)
    assert list(planning.eligible_inspectors(world.district)) == [district_wide]
    assert list(planning.eligible_inspectors(world.s2)) == [district_wide, in_s2]
    assert list(planning.eligible_inspectors(world.s1)) == [district_wide, world.inspector]


def test_only_the_office_over_the_region_plans(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    for user in (world.leader, world.user_s1, world.inspector, world.nobody):
        with pytest.raises(PermissionDenied):
            planning.create_round(round_data(world, fw, inspectors=[walker]), actor=user)
    assert Round.objects.count() == 0


def test_redraw_changes_the_seed_only_while_draft(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, seed=1, quotas={world.alley.pk: 4}, inspectors=[walker])
    again, _report = planning.redraw(round_, actor=world.office)
    assert again.seed != 1
    assert again.round_points.count() == 4
    planning.open_round(again, actor=world.office)
    with pytest.raises(InspectionError):
        planning.redraw(again, actor=world.office)
    entries = AuditEntry.objects.filter(object_type="inspections.round").order_by("id")
    assert [e.action for e in entries] == ["create", "update", "update"]
    assert entries[1].before == {"seed": 1}
    assert entries[2].after == {"status": "open"}


def test_update_draws_again_with_the_same_seed(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, seed=3, quotas={world.alley.pk: 2}, inspectors=[walker])
    round_, report = planning.update_round(
        round_,
        round_data(world, fw, quotas={world.alley.pk: 5}, inspectors=[walker], name="改名"),
        actor=world.office,
    )
    assert round_.seed == 3 and round_.name == "改名" and report.drawn == 5
    entry = AuditEntry.objects.filter(object_type="inspections.round").latest("id")
    assert entry.before["quotas"] == {"alley": 2} and entry.after["quotas"] == {"alley": 5}


def test_open_and_finish_follow_the_states(world: World, fw, streets: Streets) -> None:
    walker = inspector("w1", world.district)
    round_ = make_round(world, fw, inspectors=[walker])
    with pytest.raises(InspectionError):
        planning.finish_round(round_, actor=world.office)
    round_ = planning.open_round(round_, actor=world.office)
    assert round_.status == RoundStatus.OPEN
    with pytest.raises(InspectionError):
        planning.open_round(round_, actor=world.office)
    with pytest.raises(InspectionError):
        planning.update_round(
            round_, round_data(world, fw, inspectors=[walker]), actor=world.office
        )
    with pytest.raises(PermissionDenied):
        planning.finish_round(round_, actor=world.leader)
    round_ = planning.finish_round(round_, actor=world.office)
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.CLOSED


def test_a_round_with_no_points_cannot_open(world: World, fw) -> None:
    walker = inspector("w1", world.district)
    # The world has one alley (p1) and quota asks one: then deactivate it and redraw.
    round_ = make_round(world, fw, quotas={world.alley.pk: 1}, inspectors=[walker])
    world.p1.active = False
    world.p1.save()
    planning.redraw(round_, actor=world.office)
    with translation.override("en"), pytest.raises(InspectionError) as err:
        planning.open_round(round_, actor=world.office)
    assert err.value.message == "No points were drawn: change the quotas first."
    assert Round.objects.get(pk=round_.pk).status == RoundStatus.DRAFT
