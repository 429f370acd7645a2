"""The network pages: who may read and run them, what leaks (nothing: another district's rows
answer 404), masked personal data, and constant query counts for the lists."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangcheng.practice.domain.network_volunteers import id_hash
from chuangcheng.practice.models import Household, PracticeSite, Team, Volunteer
from tests.conftest import login
from tests.practice.conftest import PracticeWorld

ID_A = "110101199003076632"


def get(user: Any, name: str, *args: Any, **query: str) -> Any:
    return login(user).get(reverse(f"practice:{name}", args=args), query)


def test_the_overview_shows_the_site_tree_with_counts(pw: PracticeWorld) -> None:
    r = get(pw.world.office, "home")
    assert r.status_code == 200
    roots = r.context["roots"]
    assert [n.site for n in roots] == [pw.centre]
    centre = roots[0]
    assert [c.site for c in centre.children] == [pw.institute, pw.station_c2]
    assert [c.site for c in centre.children[0].children] == [pw.station_c1]
    assert (centre.teams, centre.volunteers, centre.households, centre.waiting) == (2, 2, 2, 0)
    station_c1 = centre.children[0].children[0]
    assert (station_c1.teams, station_c1.volunteers, station_c1.households) == (1, 1, 1)
    assert r.context["totals"] == {
        "sites": 4,
        "teams": 2,
        "volunteers": 2,
        "households": 2,
        "waiting": 0,
    }
    assert "西长安街" not in r.content.decode()


@pytest.mark.parametrize("who", ["leader", "auditor", "user_s1"])
def test_readers_see_the_overview(pw: PracticeWorld, who: str) -> None:
    assert get(getattr(pw.world, who), "home").status_code == 200


def test_a_street_office_sees_its_street_only(pw: PracticeWorld) -> None:
    r = get(pw.world.user_s1, "home")
    assert [n.site for n in r.context["roots"]] == [pw.institute]
    assert r.context["totals"]["volunteers"] == 1


@pytest.mark.parametrize("who", ["vol1_user", "res1"])
def test_volunteers_and_residents_do_not_read_the_network(pw: PracticeWorld, who: str) -> None:
    user = getattr(pw, who)
    for name in ("home", "site_list", "team_list", "volunteer_list", "household_list"):
        assert get(user, name).status_code == 403
    assert get(user, "volunteer_detail", pw.vol1.pk).status_code == 404


def test_another_districts_rows_answer_404(pw: PracticeWorld) -> None:
    office = pw.world.office
    other_team = Team.objects.create(name="西城小队", level="squad", site=pw.other_station)
    assert get(office, "site_detail", pw.other_station.pk).status_code == 404
    assert get(office, "site_edit", pw.other_station.pk).status_code == 404
    assert get(office, "team_detail", other_team.pk).status_code == 404
    assert get(office, "volunteer_detail", pw.other_vol.pk).status_code == 404
    assert get(office, "volunteer_edit", pw.other_vol.pk).status_code == 404
    assert get(office, "household_edit", pw.other_household.pk).status_code == 404
    assert get(pw.world.user_s1, "site_detail", pw.station_c2.pk).status_code == 404
    assert get(pw.other_office, "volunteer_detail", pw.vol1.pk).status_code == 404
    lists = [get(office, n) for n in ("site_list", "team_list", "volunteer_list", "household_list")]
    for r in lists:
        page = r.content.decode()
        assert "西城" not in page and "西长安街" not in page


def test_readers_may_not_change_anything(pw: PracticeWorld) -> None:
    leader = pw.world.leader
    for name in ("site_new", "team_new", "volunteer_new", "volunteer_import", "household_new"):
        assert get(leader, name).status_code == 403
    assert get(leader, "site_edit", pw.station_c1.pk).status_code == 403
    assert get(leader, "volunteer_edit", pw.vol1.pk).status_code == 403


def test_site_and_team_pages(pw: PracticeWorld) -> None:
    office = pw.world.office
    r = get(office, "site_detail", pw.station_c1.pk)
    assert r.status_code == 200
    assert list(r.context["teams"]) == [pw.squad_c1]
    assert r.context["counts"] == {"volunteers": 1, "households": 1, "waiting": 0}
    r = get(office, "team_detail", pw.corps.pk)
    assert [t.name for t in r.context["children"]] == ["多福巷小队"]
    r = get(office, "team_list", site=str(pw.station_c1.pk))
    assert [t.name for t in r.context["page"]] == ["多福巷小队"]


def test_creating_a_site_and_a_team_through_the_pages(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    r = client.post(
        reverse("practice:site_new"),
        {
            "kind": "institute",
            "region": pw.world.s2.pk,
            "name": "景山街道新时代文明实践所",
            "min_redeem_balance": "0",
            "active": "on",
        },
    )
    site = PracticeSite.objects.get(name="景山街道新时代文明实践所")
    assert r.status_code == 302 and r["Location"] == reverse("practice:site_detail", args=[site.pk])
    r = client.post(
        reverse("practice:site_new"),
        {"kind": "station", "region": pw.world.s2.pk, "name": "错", "min_redeem_balance": "0"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors["region"]
    r = client.post(
        reverse("practice:team_new"),
        {"name": "景山支队", "level": "brigade", "site": site.pk, "parent": pw.corps.pk},
    )
    team = Team.objects.get(name="景山支队")
    assert (r.status_code, team.parent, team.site) == (302, pw.corps, site)


def volunteer_post(pw: PracticeWorld, **kw: Any) -> dict[str, Any]:
    return {
        "name": "张晓明",
        "id_number": ID_A,
        "phone": "13800138000",
        "region": pw.world.c1.pk,
        "skills": [pw.meal.pk],
        "availability": ["weekend_am"],
        "teams": [pw.squad_c1.pk],
        "active": "on",
        **kw,
    }


def test_registering_a_volunteer_and_seeing_them_masked(pw: PracticeWorld) -> None:
    client = login(pw.world.user_s1)
    r = client.post(reverse("practice:volunteer_new"), volunteer_post(pw))
    v = Volunteer.objects.get(id_hash=id_hash(ID_A))
    assert r.status_code == 302
    page = client.get(reverse("practice:volunteer_detail", args=[v.pk])).content.decode()
    assert "110101********6632" in page and "138****8000" in page
    assert ID_A not in page and "13800138000" not in page
    listing = client.get(reverse("practice:volunteer_list")).content.decode()
    assert "138****8000" in listing and "13800138000" not in listing
    again = client.post(reverse("practice:volunteer_new"), volunteer_post(pw, name="重复"))
    assert again.status_code == 200
    assert again.context["form"].errors["id_number"] == ["该身份证号已注册为志愿者。"]
    bad = client.post(
        reverse("practice:volunteer_new"), volunteer_post(pw, id_number="110101199003076633")
    )
    assert bad.context["form"].errors["id_number"]
    unknown = client.post(reverse("practice:volunteer_new"), volunteer_post(pw, account="ghost"))
    assert unknown.context["form"].errors["account"] == ["没有此用户名的账号。"]


def test_the_edit_form_never_shows_the_id_number_in_clear(pw: PracticeWorld) -> None:
    page = get(pw.world.office, "volunteer_edit", pw.vol1.pk).content.decode()
    assert "110101199001011234" not in page and "13900000001" not in page
    assert "110101********1234" in page


def test_the_volunteer_list_filters(pw: PracticeWorld) -> None:
    office = pw.world.office
    Volunteer.objects.filter(pk=pw.vol2.pk).update(availability=["weekend_am"])

    def names(**query: str) -> list[str]:
        return [v.name for v in get(office, "volunteer_list", **query).context["page"]]

    assert names() == ["志愿者甲", "志愿者乙"]
    assert names(region=str(pw.world.s2.pk)) == ["志愿者乙"]
    assert names(team=str(pw.squad_c1.pk)) == ["志愿者甲"]
    assert names(skill=str(pw.clean.pk)) == ["志愿者甲"]
    assert names(slot="weekend_am") == ["志愿者乙"]
    assert names(q="乙") == ["志愿者乙"]
    assert names(region=str(pw.other_district.pk)) == []


def add_volunteers(pw: PracticeWorld, n: int, start: int = 0) -> None:
    import datetime as dt

    for i in range(start, start + n):
        v = Volunteer.objects.create(
            name=f"批量{i:02d}",
            region=pw.world.c2,
            phone="13800000000",
            registered_at=dt.date(2026, 1, 1),
        )
        v.skills.set([pw.meal, pw.escort])
        v.teams.set([pw.corps])
        Household.objects.create(
            region=pw.world.c2,
            code=f"H-B-{i}",
            address="批量",
            head_name="户主",
            phone="13700000000",
        )


def count(user: Any, name: str) -> int:
    client = login(user)
    client.get(reverse(f"practice:{name}"))  # warm the session
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(f"practice:{name}")).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(
    "name", ["home", "site_list", "team_list", "volunteer_list", "household_list"]
)
def test_lists_take_a_constant_number_of_queries(pw: PracticeWorld, name: str) -> None:
    add_volunteers(pw, 2)
    small = count(pw.world.office, name)
    add_volunteers(pw, 18, start=2)
    for i in range(5):
        Team.objects.create(name=f"批量小队{i}", level="squad", site=pw.station_c2, parent=pw.corps)
    assert count(pw.world.office, name) == small


def test_households_list_masks_the_phone(pw: PracticeWorld) -> None:
    r = get(pw.world.office, "household_list")
    page = r.content.decode()
    assert [h.code for h in r.context["page"]] == ["H-C1-001", "H-C2-001"]
    assert "137****0001" in page and "13700000001" not in page
    assert [h.code for h in get(pw.world.user_s1, "household_list").context["page"]] == ["H-C1-001"]


def test_creating_and_editing_a_household(pw: PracticeWorld) -> None:
    client = login(pw.world.office)
    data = {
        "region": pw.world.c1.pk,
        "code": "H-C1-002",
        "address": "多福巷3号",
        "head_name": "刘阿姨",
        "phone": "13900000009",
        "size": "2",
        "members": "res1",
        "active": "on",
    }
    assert client.post(reverse("practice:household_new"), data).status_code == 302
    h = Household.objects.get(code="H-C1-002")
    assert list(h.members.all()) == [pw.res1]
    r = client.post(
        reverse("practice:household_edit", args=[h.pk]),
        {**data, "phone": "", "members": "nobody-here"},
    )
    assert r.context["form"].errors["members"] == ["未知用户名：nobody-here。"]
    r = client.post(
        reverse("practice:household_edit", args=[h.pk]), {**data, "phone": "", "size": "3"}
    )
    h.refresh_from_db()
    assert (r.status_code, h.size, h.phone) == (302, 3, "13900000009")


def test_navigation_offers_the_practice_pages_by_permission(pw: PracticeWorld) -> None:
    office_page = login(pw.world.office).get(reverse("practice:home")).content.decode()
    assert reverse("practice:figures") in office_page
    auditor_page = login(pw.world.auditor).get(reverse("practice:home")).content.decode()
    assert reverse("practice:figures") not in auditor_page  # auditors read the network only
