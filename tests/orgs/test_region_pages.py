"""Region tree, detail and edit pages: allowed, denied and constant queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chuangcheng.core.models import AuditAction, AuditEntry
from chuangcheng.orgs.enums import RegionLevel
from chuangcheng.orgs.models import Region
from tests.conftest import login
from tests.factories import RegionFactory
from tests.orgs.helpers import login_en

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[116.40, 39.92], [116.41, 39.92], [116.41, 39.93], [116.40, 39.92]]],
}


def test_office_tree_shows_whole_district_with_counts(world) -> None:
    resp = login_en(world.office).get(reverse("orgs:region_tree"))
    assert resp.status_code == 200
    roots = resp.context["roots"]
    assert [n.region.name for n in roots] == ["东城区"]
    district = roots[0]
    assert district.child_count == 2
    assert district.units == 5
    assert district.points == 2
    s1 = district.children[0]
    assert (s1.region.name, s1.child_count, s1.units, s1.points) == ("东华门街道", 1, 2, 1)


def test_unit_tree_hides_other_street(world) -> None:
    resp = login(world.user_s1).get(reverse("orgs:region_tree"))
    body = resp.content.decode()
    assert "东华门街道" in body and "多福巷社区" in body
    assert "景山街道" not in body and "吉祥社区" not in body
    district = resp.context["roots"][0]
    # The district is context only: its totals count what unit_s1 may see.
    assert district.in_scope is False
    assert district.points == 1


def test_tree_search_keeps_branch(world) -> None:
    resp = login_en(world.office).get(reverse("orgs:region_tree"), {"q": "吉祥"})
    district = resp.context["roots"][0]
    assert [c.region.name for c in district.children] == ["景山街道"]
    assert [c.region.name for c in district.children[0].children] == ["吉祥社区"]


@pytest.mark.parametrize("extra", [0, 20])
def test_tree_constant_queries(world, django_assert_num_queries, extra) -> None:
    for i in range(extra):
        RegionFactory(
            code=f"110101001{i + 100:03d}",
            name=f"社区{i}",
            level=RegionLevel.COMMUNITY,
            parent=world.s1,
        )
    client = login_en(world.office)
    # session, user, grants, regions, unit counts, 2 permission tables, session save (3)
    with django_assert_num_queries(10):
        client.get(reverse("orgs:region_tree"))


def test_region_detail_allowed_and_denied(world) -> None:
    Region.objects.filter(pk=world.s1.pk).update(boundary=SQUARE, boundary_approximate=True)
    resp = login(world.user_s1).get(reverse("orgs:region_detail", args=["110101001"]))
    assert resp.status_code == 200
    body = resp.content.decode()
    assert "多福巷社区" in body and "东华门街道办事处" in body
    assert resp.context["has_map"] is True
    assert [r.name for r in resp.context["crumbs"]] == ["东城区"]
    assert (
        login(world.user_s1).get(reverse("orgs:region_detail", args=["110101002"])).status_code
        == 404
    )
    assert (
        login(world.user_line).get(reverse("orgs:region_detail", args=["110101001001"])).status_code
        == 404
    )


def test_region_edit_office_only(world) -> None:
    url = reverse("orgs:region_edit", args=["110101001"])
    assert login(world.user_s1).get(url).status_code == 404
    assert login(world.leader).get(url).status_code == 404
    client = login_en(world.office)
    assert client.get(url).status_code == 200
    resp = client.post(url, {"name": "东华门街道（新）", "boundary": '{"type": "Point"}'})
    assert resp.status_code == 200
    assert "GeoJSON Polygon" in resp.content.decode()
    assert Region.objects.get(pk=world.s1.pk).name == "东华门街道"
    import json

    resp = client.post(url, {"name": "东华门街道（新）", "boundary": json.dumps(SQUARE)})
    assert resp.status_code == 302
    s1 = Region.objects.get(pk=world.s1.pk)
    assert (s1.name, s1.code, s1.boundary["type"]) == ("东华门街道（新）", "110101001", "Polygon")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE, object_type="orgs.region")
    assert entry.before == {"boundary": None, "name": "东华门街道"}


def test_region_create_checks_code_and_level(world) -> None:
    url = reverse("orgs:region_create", args=["110101001"])
    client = login_en(world.office)
    resp = client.post(url, {"code": "110101002009", "name": "新社区", "level": "community"})
    assert "extend the parent" in resp.content.decode()
    resp = client.post(url, {"code": "110101001001", "name": "重复", "level": "community"})
    assert "already exists" in resp.content.decode()
    resp = client.post(url, {"code": "110101001002", "name": "新社区", "level": "street"})
    assert resp.status_code == 200
    assert Region.objects.count() == 5
    resp = client.post(url, {"code": "110101001002", "name": "新社区", "level": "community"})
    assert resp.status_code == 302
    new = Region.objects.get(code="110101001002")
    assert new.path == "110101/110101001/110101001002/"
    assert login(world.user_s1).get(url).status_code == 404


def test_tree_counts_grid_cells_but_lists_them_only_when_searched(world):
    RegionFactory(
        code="11010100100101", name="多福巷社区第1网格", level=RegionLevel.GRID, parent=world.c1
    )
    client = login(world.office)
    tree = client.get("/regions/")
    assert "多福巷社区第1网格" not in tree.content.decode()
    community = next(
        c for s in tree.context["roots"][0].children for c in s.children if c.region == world.c1
    )
    assert (community.child_count, community.grid_cells, community.children) == (1, 1, [])
    searched = client.get("/regions/?q=第1网格").content.decode()
    assert "多福巷社区第1网格" in searched
