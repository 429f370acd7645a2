"""The network's state changes: sites on the region tree, teams, households — each checked,
audited, and refused outside the actor's region."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from chuangcheng.core.crypto import keyed_hash
from chuangcheng.core.models import AuditEntry
from chuangcheng.practice.domain import network
from chuangcheng.practice.domain.errors import PracticeError
from chuangcheng.practice.enums import SiteKind, TeamLevel
from chuangcheng.practice.models import Household, PracticeSite, Team
from tests.factories import RegionFactory
from tests.practice.conftest import PracticeWorld


def site_data(region: Any, kind: str, name: str = "实践站", **kw: Any) -> dict[str, Any]:
    return {"region": region, "kind": kind, "name": name, "min_redeem_balance": 0, **kw}


def test_an_institute_is_placed_under_the_centre_and_adopts_the_station_below(
    pw: PracticeWorld,
) -> None:
    w = pw.world
    # 景山 (s2) has no institute: its station c2 hangs from the centre.
    assert pw.station_c2.parent == pw.centre
    site = network.create_site(
        actor=w.office, data=site_data(w.s2, SiteKind.INSTITUTE, "景山街道新时代文明实践所")
    )
    assert site.parent == pw.centre
    pw.station_c2.refresh_from_db()
    assert pw.station_c2.parent == site
    pw.station_c1.refresh_from_db()
    assert pw.station_c1.parent == pw.institute  # another street's station stays
    created = AuditEntry.objects.get(object_type="practice.practicesite", object_id=str(site.pk))
    assert created.action == "create"
    moved = AuditEntry.objects.get(
        object_type="practice.practicesite", object_id=str(pw.station_c2.pk)
    )
    assert (moved.before, moved.after) == (
        {"parent_id": pw.centre.pk},
        {"parent_id": site.pk},
    )


def test_a_site_must_sit_on_the_level_of_its_kind(pw: PracticeWorld) -> None:
    with pytest.raises(PracticeError) as exc:
        network.create_site(actor=pw.world.office, data=site_data(pw.world.s2, SiteKind.STATION))
    assert list(exc.value.errors) == ["region"]


def test_one_site_per_region_and_kind(pw: PracticeWorld) -> None:
    with pytest.raises(PracticeError) as exc:
        network.create_site(actor=pw.world.office, data=site_data(pw.world.c1, SiteKind.STATION))
    assert exc.value.errors["region"] == ["该区域已有同类阵地。"]


def test_a_street_office_runs_its_street_only(pw: PracticeWorld) -> None:
    w = pw.world
    c3 = RegionFactory(code="110101001002", name="南池子社区", level="community", parent=w.s1)
    site = network.create_site(actor=w.user_s1, data=site_data(c3, SiteKind.STATION, "南池子站"))
    assert site.parent == pw.institute
    with pytest.raises(PermissionDenied):
        network.update_site(pw.station_c2, actor=w.user_s1, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        network.update_site(pw.station_c1, actor=w.leader, data={"name": "改名"})
    with pytest.raises(PermissionDenied):
        network.update_site(pw.other_station, actor=w.office, data={"name": "改名"})


def test_a_site_phone_and_coordinates_are_checked(pw: PracticeWorld) -> None:
    office = pw.world.office
    with pytest.raises(PracticeError) as exc:
        network.update_site(pw.station_c1, actor=office, data={"contact_phone": "12"})
    assert list(exc.value.errors) == ["contact_phone"]
    with pytest.raises(PracticeError):
        network.update_site(pw.station_c1, actor=office, data={"lat": 39.9, "lng": None})
    site = network.update_site(
        pw.station_c1,
        actor=office,
        data={"contact_phone": "010-65123456", "opening_hours": "9:00-17:00", "active": True},
    )
    assert (site.contact_phone, site.opening_hours) == ("010-65123456", "9:00-17:00")


def team_data(site: PracticeSite, **kw: Any) -> dict[str, Any]:
    return {"name": "新队", "level": TeamLevel.SQUAD, "site": site, **kw}


def test_a_team_hangs_from_a_higher_team_of_its_site_or_above(pw: PracticeWorld) -> None:
    office = pw.world.office
    brigade = network.create_team(
        actor=office,
        data=team_data(pw.institute, name="东华门支队", level=TeamLevel.BRIGADE, parent=pw.corps),
    )
    squad = network.create_team(
        actor=office, data=team_data(pw.station_c1, name="助老小队", parent=brigade)
    )
    assert (squad.parent, brigade.parent) == (brigade, pw.corps)
    with pytest.raises(PracticeError) as exc:
        network.create_team(actor=office, data=team_data(pw.station_c1, parent=squad))
    assert exc.value.errors["parent"] == ["上级队伍的级别必须更高（总队 › 支队 › 小队）。"]
    with pytest.raises(PracticeError) as exc:  # 东华门支队 is not above 吉祥
        network.create_team(actor=office, data=team_data(pw.station_c2, parent=brigade))
    assert exc.value.errors["parent"] == ["上级队伍必须属于本阵地或其上级阵地。"]
    with pytest.raises(PracticeError) as exc:
        network.create_team(actor=office, data=team_data(pw.station_c1, name="多福巷小队"))
    assert list(exc.value.errors) == ["name"]


def test_a_team_leader_is_a_member_and_the_sponsor_a_visible_unit(pw: PracticeWorld) -> None:
    office = pw.world.office
    data = {
        "name": "多福巷小队",
        "level": TeamLevel.SQUAD,
        "parent": pw.corps,
        "unit": pw.world.unit_c1,
    }
    team = network.update_team(pw.squad_c1, actor=office, data={**data, "leader": pw.vol1})
    assert (team.leader, team.unit) == (pw.vol1, pw.world.unit_c1)
    with pytest.raises(PracticeError) as exc:
        network.update_team(pw.squad_c1, actor=office, data={**data, "leader": pw.vol2})
    assert list(exc.value.errors) == ["leader"]
    entry = AuditEntry.objects.filter(object_type="practice.team").latest("id")
    assert entry.after == {"leader_id": pw.vol1.pk, "unit_id": pw.world.unit_c1.pk}


def test_a_unit_cannot_create_a_team_at_another_streets_station(pw: PracticeWorld) -> None:
    with pytest.raises(PermissionDenied):
        network.create_team(actor=pw.world.user_s1, data=team_data(pw.station_c2))
    assert not Team.objects.filter(name="新队").exists()


def household_data(region: Any, **kw: Any) -> dict[str, Any]:
    return {
        "region": region,
        "code": "H-C1-002",
        "address": "多福巷3号",
        "head_name": "刘阿姨",
        "phone": "139 0000 0009",
        "size": 2,
        **kw,
    }


def test_a_household_phone_is_checked_encrypted_and_hashed(pw: PracticeWorld) -> None:
    w = pw.world
    h = network.create_household(actor=w.user_s1, data=household_data(w.c1, members=[pw.res1]))
    h.refresh_from_db()
    assert h.phone == "13900000009"
    assert h.phone_masked == "139****0009"
    assert h.phone_hash == keyed_hash("13900000009", "practice.household.phone")
    assert list(h.members.all()) == [pw.res1]
    entry = AuditEntry.objects.get(object_type="practice.household", object_id=str(h.pk))
    assert entry.after["phone"] == "<set>"
    assert "13900000009" not in str(entry.after)
    with pytest.raises(PracticeError) as exc:
        network.create_household(
            actor=w.office, data=household_data(w.c1, code="H-C1-009", phone="12345")
        )
    assert list(exc.value.errors) == ["phone"]
    with pytest.raises(PracticeError) as exc:
        network.create_household(actor=w.office, data=household_data(w.c2, phone=""))
    assert exc.value.errors["code"] == ["户号已被其他家庭使用。"]


def test_editing_a_household_keeps_the_phone_unless_cleared(pw: PracticeWorld) -> None:
    office = pw.world.office
    data = household_data(pw.world.c1, code="H-C1-001", phone="")
    h = network.update_household(pw.h1, actor=office, data=data)
    assert Household.objects.get(pk=h.pk).phone == "13700000001"
    network.update_household(pw.h1, actor=office, data={**data, "clear_phone": True})
    assert Household.objects.get(pk=h.pk).phone == ""
    with pytest.raises(PermissionDenied):
        network.update_household(pw.other_household, actor=office, data=data)
    with pytest.raises(PermissionDenied):
        network.update_household(pw.h2, actor=pw.world.user_s1, data=data)
