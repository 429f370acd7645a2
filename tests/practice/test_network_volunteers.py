"""Real-name registration of volunteers: GB 11643 ID numbers, mobile phones, one registration
per person, masked display, teams within reach, an account linked once; all audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.domain.network_volunteers import (
    id_number_problem,
    register_volunteer,
    update_volunteer,
)
from chuangcheng.practice.enums import Slot
from chuangcheng.practice.models import Volunteer
from tests.factories import UserFactory
from tests.practice.conftest import PracticeWorld

# Valid GB 11643 numbers (check characters computed by hand: Σ digit × weight mod 11).
ID_A = "110101199003076632"
ID_B = "110101198506120020"
ID_X = "11010119900307109X"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (ID_A, ""),
        (ID_X, ""),
        (
            "110101199003076633",
            "身份证号校验位不正确，请核对号码。",
        ),
        ("11010119900307663", "身份证号为 18 位：17 位数字加 1 位数字或 X。"),
        ("11010119900230663X", "身份证号中的出生日期不存在。"),
        ("110101209901016637", "身份证号中的出生日期不存在。"),
    ],
)
def test_id_numbers_are_checked_against_gb_11643(value: str, problem: str) -> None:
    assert id_number_problem(value, today=dt.date(2026, 6, 1)) == problem


def data(pw: PracticeWorld, **kw: Any) -> dict[str, Any]:
    return {
        "name": "张晓明",
        "id_number": ID_A,
        "phone": "13800138000",
        "region": pw.world.c1,
        "skills": [pw.meal, pw.escort],
        "availability": [Slot.WEEKEND_AM, Slot.WEEKDAY_EVE],
        "availability_note": "周三不便",
        "teams": [pw.squad_c1, pw.corps],
        "registered_at": dt.date(2026, 3, 1),
        **kw,
    }


def test_registering_stores_the_id_and_phone_encrypted_and_hashed(pw: PracticeWorld) -> None:
    v = register_volunteer(actor=pw.world.office, data=data(pw, id_number="11010119900307109x"))
    v = Volunteer.objects.get(pk=v.pk)
    assert v.id_number == ID_X  # upper-cased
    assert v.id_hash == keyed_hash(ID_X, "practice.volunteer.id")
    assert v.phone_hash == keyed_hash("13800138000", "practice.volunteer.phone")
    assert (v.id_number_masked, v.phone_masked) == ("110101********109X", "138****8000")
    assert v.availability == ["weekday_eve", "weekend_am"]  # in the enum's order
    assert sorted(c.code for c in v.skills.all()) == ["escort", "meal"]
    assert {t.name for t in v.teams.all()} == {"多福巷小队", "东城区志愿服务总队"}
    entry = AuditEntry.objects.get(object_type="practice.volunteer", object_id=str(v.pk))
    assert entry.after["id_number"] == entry.after["phone"] == "<set>"
    assert "id_hash" not in entry.after
    assert ID_X not in str(entry.after) and "13800138000" not in str(entry.after)


def test_the_same_id_number_cannot_register_twice(pw: PracticeWorld) -> None:
    register_volunteer(actor=pw.world.office, data=data(pw))
    with pytest.raises(PracticeError) as exc:
        register_volunteer(
            actor=pw.world.office,
            data=data(pw, name="另一人", phone="13800138001", region=pw.world.c2, teams=[]),
        )
    assert exc.value.errors == {"id_number": ["该身份证号已注册为志愿者。"]}
    assert Volunteer.objects.filter(name="另一人").count() == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"id_number": "110101199003076633"}, "id_number"),
        ({"phone": "23800138000"}, "phone"),
        ({"region": "s1"}, "region"),
        ({"availability": ["sunday"]}, "availability"),
    ],
)
def test_bad_input_is_refused_on_its_field(
    pw: PracticeWorld, change: dict[str, Any], field: str
) -> None:
    if change.get("region") == "s1":
        change = {"region": pw.world.s1, "teams": []}
    with pytest.raises(PracticeError) as exc:
        register_volunteer(actor=pw.world.office, data=data(pw, **change))
    assert list(exc.value.errors) == [field]


def test_a_team_must_serve_the_volunteers_community(pw: PracticeWorld) -> None:
    with pytest.raises(PracticeError) as exc:
        register_volunteer(actor=pw.world.office, data=data(pw, region=pw.world.c2))
    assert exc.value.errors["teams"] == ["“多福巷小队”不是本社区或其所在街道、区的队伍。"]


def test_a_unit_registers_in_its_own_street_only(pw: PracticeWorld) -> None:
    with pytest.raises(PermissionDenied):
        register_volunteer(actor=pw.world.user_s1, data=data(pw, region=pw.world.c2, teams=[]))
    with pytest.raises(PermissionDenied):
        register_volunteer(actor=pw.world.leader, data=data(pw))
    with pytest.raises(PermissionDenied):
        register_volunteer(actor=pw.other_office, data=data(pw))


def test_an_account_is_linked_to_one_volunteer_only(pw: PracticeWorld) -> None:
    user = UserFactory(username="zhang")
    v = register_volunteer(actor=pw.world.office, data=data(pw, user=user))
    assert v.user == user
    with pytest.raises(PracticeError) as exc:
        register_volunteer(actor=pw.world.office, data=data(pw, id_number=ID_B, user=pw.vol1_user))
    assert list(exc.value.errors) == ["user"]


def test_editing_keeps_id_and_phone_when_left_blank(pw: PracticeWorld) -> None:
    v = register_volunteer(actor=pw.world.office, data=data(pw))
    update_volunteer(
        v,
        actor=pw.world.office,
        data=data(pw, id_number="", phone="", name="张晓明（改）", teams=[]),
    )
    v = Volunteer.objects.get(pk=v.pk)
    assert (v.name, v.id_number, v.phone) == ("张晓明（改）", ID_A, "13800138000")
    assert list(v.teams.all()) == []
    entry = AuditEntry.objects.filter(object_id=str(v.pk), action="update").get()
    teams_before = sorted([pw.squad_c1.pk, pw.corps.pk])
    assert entry.before == {"name": "张晓明", "teams": teams_before}
    assert entry.after == {"name": "张晓明（改）", "teams": []}
    # A new ID number that belongs to someone else is refused.
    other = register_volunteer(
        actor=pw.world.office, data=data(pw, id_number=ID_B, phone="13800138002", teams=[])
    )
    with pytest.raises(PracticeError):
        update_volunteer(other, actor=pw.world.office, data=data(pw, teams=[]))


def test_a_changed_phone_is_named_in_the_audit_note(pw: PracticeWorld) -> None:
    v = register_volunteer(actor=pw.world.office, data=data(pw, teams=[]))
    update_volunteer(
        v, actor=pw.world.office, data=data(pw, id_number=ID_A, phone="13911112222", teams=[])
    )
    entry = AuditEntry.objects.filter(object_id=str(v.pk), action="update").get()
    assert entry.note == "phone changed"
    assert Volunteer.objects.get(pk=v.pk).phone_hash == keyed_hash(
        "13911112222", "practice.volunteer.phone"
    )
