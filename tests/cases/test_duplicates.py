"""Duplicate candidates, the automatic same-day merge at intake, and 屡改屡犯 marking."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from chuangcheng.cases.domain import actions, duplicates
from chuangcheng.cases.domain.errors import CaseValidationError
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, CaseEvent, Photo
from chuangcheng.core.models import AuditEntry
from tests.cases.workflow_helpers import days_ago, report
from tests.conftest import World

# p1 is at (116.405000, 39.925000). 0.0009° of latitude is 100.08 m; 0.00085° is 94.52 m.
NEAR = Decimal("39.925850")  # 94.5 m north of p1
FAR = Decimal("39.925950")  # 105.6 m north of p1
LNG = Decimal("116.405000")


def test_haversine_known_distances() -> None:
    # One degree of latitude on the mean sphere: pi * 6371008.8 / 180.
    assert duplicates.haversine_m(116.4, 39.0, 116.4, 40.0) == pytest.approx(111195.08, abs=0.01)
    assert duplicates.haversine_m(116.405, 39.925, 116.405, 39.92585) == pytest.approx(
        94.52, abs=0.01
    )
    # Beijing (天安门) to Shanghai (人民广场): about 1067 km.
    assert duplicates.haversine_m(116.3975, 39.9087, 121.4737, 31.2304) == pytest.approx(
        1_067_300, rel=0.001
    )


def _at(world: World, categories: dict[str, Any], lat: Decimal, **kw: Any) -> Case:
    return report(world, categories, point=None, lng=LNG, lat=lat, region=world.c1, **kw)


def test_candidates_closest_first_within_distance_days_and_category(
    world: World, categories: dict[str, Any]
) -> None:
    same_point = report(world, categories, at=days_ago(3))  # 0 m
    near = _at(world, categories, NEAR, at=days_ago(2))  # 94.5 m
    _far = _at(world, categories, FAR, at=days_ago(1))  # 105.6 m: too far
    _old = report(
        world, categories, point=None, lng=LNG, lat=NEAR, region=world.c1, at=days_ago(9)
    )  # 8 days before the new one: outside 7 days
    _other_kind = report(world, categories, code="S0103", at=days_ago(1))  # another category
    closed = report(world, categories, at=days_ago(1), text="已结")
    Case.objects.filter(pk=closed.pk).update(status=CaseStatus.CLOSED)
    new = _at(world, categories, Decimal("39.925000"))  # p1's position, without the point
    found = duplicates.candidates(new)
    assert [(c.case.number, round(c.metres, 1)) for c in found] == [
        (same_point.number, 0.0),
        (near.number, 94.5),
    ]


def test_candidates_follow_the_settings(world: World, categories: dict[str, Any], settings):
    near = _at(world, categories, NEAR, at=days_ago(2))
    far = _at(world, categories, FAR, at=days_ago(2))
    new = report(world, categories)  # at p1
    assert [c.case.pk for c in duplicates.candidates(new)] == [near.pk]
    settings.CASE_DUPLICATE_METRES = 110
    assert [c.case.pk for c in duplicates.candidates(new)] == [near.pk, far.pk]
    settings.CASE_DUPLICATE_DAYS = 1
    assert duplicates.candidates(new) == []


def test_candidates_use_the_suggested_category_before_intake(
    world: World, categories: dict[str, Any]
) -> None:
    first = report(world, categories, at=days_ago(1))
    new = report(world, categories, code="", text="巷口有暴露垃圾堆放")
    assert new.category_id is None and new.suggested_category_id == categories["S0101"].pk
    assert [c.case.pk for c in duplicates.candidates(new)] == [first.pk]


def test_candidates_respect_the_visible_scope(world: World, categories: dict[str, Any]) -> None:
    first = report(world, categories, at=days_ago(1))
    new = _at(world, categories, NEAR)
    in_s2 = Case.objects.visible_to(world.user_s2)
    assert duplicates.candidates(new, within=in_s2) == []
    assert [c.case.pk for c in duplicates.candidates(new)] == [first.pk]


def test_same_point_category_and_day_merges_at_intake(
    world: World, categories: dict[str, Any]
) -> None:
    morning = timezone.localtime().replace(hour=8, minute=0, second=0, microsecond=0)
    first = report(world, categories, at=morning)
    second = report(world, categories, at=morning + dt.timedelta(hours=3), reporter=world.nobody)
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == (CaseStatus.MERGED, first.pk)
    assert second.reporter == world.nobody  # the reporter still follows it
    merge = CaseEvent.objects.get(case=second, action="merge")
    assert (merge.actor, merge.from_status, merge.to_status) == (None, "reported", "merged")
    assert first.number in merge.note
    audit = AuditEntry.objects.filter(object_type="cases.case", object_id=str(second.pk))
    assert [(a.action, a.actor_name) for a in audit.order_by("pk")] == [
        ("create", "nobody"),
        ("update", "system"),
    ]
    assert Case.objects.get(pk=first.pk).status == CaseStatus.REPORTED


def test_no_automatic_merge_on_another_day_category_or_point(
    world: World, categories: dict[str, Any]
) -> None:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    report(world, categories, at=today - dt.timedelta(days=1))
    other_category = report(world, categories, code="S0103", at=today)
    other_point = report(world, categories, point="p2", at=today)
    next_day = report(world, categories, at=today)
    for case in (other_category, other_point, next_day):
        case.refresh_from_db()
        assert (case.status, case.duplicate_of_id) == (CaseStatus.REPORTED, None)


def test_no_automatic_merge_into_a_closed_case(world: World, categories: dict[str, Any]) -> None:
    today = timezone.localtime().replace(hour=9, minute=0, second=0, microsecond=0)
    first = report(world, categories, at=today)
    Case.objects.filter(pk=first.pk).update(status=CaseStatus.CLOSED)
    again = report(world, categories, at=today + dt.timedelta(hours=1))
    assert Case.objects.get(pk=again.pk).status == CaseStatus.REPORTED


def test_merge_moves_photos_and_refuses_a_finished_target(
    world: World, categories: dict[str, Any]
) -> None:
    first = report(world, categories, at=days_ago(2))
    second = _at(world, categories, NEAR)
    photo = Photo.objects.create(case=second, sha256="a" * 64, content_type="image/jpeg", size=1)
    Case.objects.filter(pk=first.pk).update(status=CaseStatus.REJECTED)
    first.refresh_from_db()
    with pytest.raises(CaseValidationError) as err:
        actions.merge(second, actor=world.office, into=first)
    assert first.number in err.value.errors["into"][0]
    Case.objects.filter(pk=first.pk).update(status=CaseStatus.REGISTERED)
    first.refresh_from_db()
    actions.merge(second, actor=world.office, into=first)
    photo.refresh_from_db()
    assert photo.case_id == first.pk


def test_third_case_in_ninety_days_marks_all_recurrent(
    world: World, categories: dict[str, Any]
) -> None:
    old = report(world, categories, at=days_ago(200))  # outside every window below
    a = report(world, categories, at=days_ago(80))
    Case.objects.filter(pk=a.pk).update(status=CaseStatus.CLOSED)
    _rejected = report(world, categories, at=days_ago(60))
    Case.objects.filter(pk=_rejected.pk).update(status=CaseStatus.REJECTED)
    b = report(world, categories, at=days_ago(30))
    assert not Case.objects.filter(recurrent=True).exists()  # two that count: a, b
    c = report(world, categories)
    assert c.recurrent is True
    assert set(Case.objects.filter(recurrent=True).values_list("pk", flat=True)) == {
        a.pk,
        b.pk,
        c.pk,
    }
    assert not Case.objects.get(pk=old.pk).recurrent
    entries = AuditEntry.objects.filter(note__startswith="recurrent:")
    assert sorted(int(e.object_id) for e in entries) == sorted([a.pk, b.pk, c.pk])
    assert entries.first().after == {"recurrent": True}
    # A fourth marks only itself: the others are already marked, no second audit entry.
    d = report(world, categories, point="p1", at=timezone.now() + dt.timedelta(days=1))
    assert Case.objects.get(pk=d.pk).recurrent
    assert AuditEntry.objects.filter(note__startswith="recurrent:").count() == 4


def test_recurrence_without_a_point_counts_cases_within_the_distance(
    world: World, categories: dict[str, Any], settings
) -> None:
    settings.CASE_RECURRENCE_COUNT = 2
    _far = _at(world, categories, FAR, at=days_ago(20))
    assert not Case.objects.get(pk=_far.pk).recurrent
    near = report(world, categories, at=days_ago(10))  # at p1, 0 m from the next one's point
    new = _at(world, categories, Decimal("39.925000"))  # p1's position, no point
    assert new.recurrent is True
    assert Case.objects.get(pk=near.pk).recurrent is True
    assert Case.objects.get(pk=_far.pk).recurrent is False
