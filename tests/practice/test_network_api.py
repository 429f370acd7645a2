"""The network and figures API: the same scope as the pages, masked personal data, 404 for
another district's rows, constant query counts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.practice.models import Volunteer
from tests.conftest import login
from tests.practice.conftest import PracticeWorld
from tests.practice.figures_data import build_month

API = "/api/v1/practice"


def api(user: Any, path: str, **query: Any) -> Any:
    return login(user).get(f"{API}{path}", query)


def test_sites_and_teams(pw: PracticeWorld) -> None:
    r = api(pw.world.office, "/sites")
    assert r.status_code == 200
    assert [s["name"] for s in r.json()] == [
        "东城区新时代文明实践中心",
        "东华门街道新时代文明实践所",
        "多福巷社区新时代文明实践站",
        "吉祥社区新时代文明实践站",
    ]
    station = api(pw.world.office, f"/sites/{pw.station_c1.pk}").json()
    assert (station["kind"], station["parent_id"], station["region"]["code"]) == (
        "station",
        pw.institute.pk,
        "110101001001",
    )
    teams = api(pw.world.office, "/teams").json()
    assert [(t["name"], t["members"]) for t in teams] == [
        ("东城区志愿服务总队", 0),
        ("多福巷小队", 1),
    ]
    assert api(pw.world.office, f"/teams/{pw.squad_c1.pk}").json()["parent_id"] == pw.corps.pk


def test_volunteers_are_masked_and_paged(pw: PracticeWorld) -> None:
    r = api(pw.world.office, "/volunteers", limit=1)
    body = r.json()
    assert body["count"] == 2
    assert body["items"] == [
        {
            "id": pw.vol1.pk,
            "name": "志愿者甲",
            "id_number": "110101********1234",
            "phone": "139****0001",
            "region": {"id": pw.world.c1.pk, "code": "110101001001", "name": "多福巷社区"},
            "skills": ["meal", "clean"],
            "availability": [],
            "teams": [pw.squad_c1.pk],
            "registered_at": "2026-01-05",
            "active": True,
            "has_account": True,
        }
    ]
    assert [v["name"] for v in api(pw.world.office, "/volunteers", offset=1).json()["items"]] == [
        "志愿者乙"
    ]
    assert api(pw.world.office, "/volunteers", skill=str(pw.escort.pk)).json()["count"] == 0
    one = api(pw.world.user_s1, f"/volunteers/{pw.vol1.pk}").json()
    assert one["phone"] == "139****0001"


def test_households_are_masked(pw: PracticeWorld) -> None:
    body = api(pw.world.office, "/households").json()
    assert body["count"] == 2
    assert body["items"][0]["phone"] == "137****0001"
    assert "13700000001" not in str(body)


def test_out_of_scope_answers_404_and_lists_leave_it_out(pw: PracticeWorld) -> None:
    office = pw.world.office
    assert api(office, f"/sites/{pw.other_station.pk}").status_code == 404
    assert api(office, f"/volunteers/{pw.other_vol.pk}").status_code == 404
    assert api(pw.world.user_s1, f"/volunteers/{pw.vol2.pk}").status_code == 404
    assert api(pw.world.user_s1, f"/sites/{pw.station_c2.pk}").status_code == 404
    for path in ("/sites", "/teams", "/volunteers", "/households"):
        assert "西" not in api(office, path).content.decode()
    assert api(pw.other_office, "/volunteers").json()["count"] == 1


def test_volunteers_and_residents_are_refused(pw: PracticeWorld) -> None:
    for path in ("/sites", "/teams", "/volunteers", "/households", "/figures"):
        assert api(pw.vol1_user, path).status_code == 403
    assert api(pw.vol1_user, f"/volunteers/{pw.vol1.pk}").status_code == 404


def test_the_volunteer_list_takes_constant_queries(pw: PracticeWorld) -> None:
    def measure() -> int:
        client = login(pw.world.office)
        client.get(f"{API}/volunteers")
        with CaptureQueriesContext(connection) as ctx:
            client.get(f"{API}/volunteers")
        return len(ctx.captured_queries)

    small = measure()
    for i in range(15):
        v = Volunteer.objects.create(
            name=f"批量{i}", region=pw.world.c2, registered_at=dt.date(2026, 1, 1)
        )
        v.skills.set([pw.meal])
        v.teams.set([pw.corps])
    assert measure() == small


def test_figures(pw: PracticeWorld) -> None:
    build_month(pw)
    body = api(pw.world.office, "/figures", period="2026-05").json()
    assert body["period"] == {"key": "2026-05", "start": "2026-05-01", "end": "2026-06-01"}
    region = body["region"]
    assert (region["name"], region["orders"]["total"], region["orders"]["hours"]) == (
        "东城区",
        8,
        "7.5",
    )
    assert region["orders"]["fulfilment_rate"] == "0.5714"
    assert region["orders"]["satisfaction_rate"] == "0.6667"
    assert region["orders"]["mean_rating"] == "4.00"
    assert region["wishes"] == {
        "published": 6,
        "claimed": 4,
        "fulfilled": 3,
        "fulfilment_rate": "0.5000",
    }
    assert (region["points_awarded"], region["points_redeemed"]) == (28, 10)
    assert region["volunteers"] == {"registered": 3, "new": 1, "active": 3}
    assert [s["name"] for s in body["streets"]] == ["东华门街道", "景山街道"]
    assert [t["name"] for t in body["teams"]] == ["东城区志愿服务总队", "多福巷小队", ""]
    street = api(pw.world.user_s1, "/figures", period="2026-05").json()
    assert street["region"]["name"] == "东华门街道" and street["region"]["orders"]["total"] == 5
    assert api(pw.world.user_s1, "/figures", region=pw.world.s2.pk).status_code == 404
    assert api(pw.world.office, "/figures", region=pw.other_district.pk).status_code == 404
    assert api(pw.world.office, "/figures", period="2026-13").status_code == 422
    assert api(pw.world.auditor, "/figures").status_code == 403
