"""Point pages: scoped lists, 404 outside scope, office-only edits, constant query counts."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from chuangcheng.core.models import AuditEntry
from chuangcheng.points.models import Point
from tests.conftest import login
from tests.factories import PointFactory
from tests.points.helpers import square


def test_list_shows_only_visible_points(world):
    body = login(world.user_s1).get(reverse("points:list")).content.decode()
    assert "多福巷" in body
    assert "景山市场" not in body
    body = login(world.office).get(reverse("points:list")).content.decode()
    assert "多福巷" in body and "景山市场" in body


def test_list_filters_by_type_street_and_text(world):
    c = login(world.office)
    body = c.get(reverse("points:list"), {"type": "market"}).content.decode()
    assert "景山市场" in body and "P00001" not in body
    body = c.get(reverse("points:list"), {"street": "110101001"}).content.decode()
    assert "多福巷" in body and "P00002" not in body
    body = c.get(reverse("points:list"), {"q": "P00002"}).content.decode()
    assert "景山市场" in body and "P00001" not in body


def _more_points(world, n):
    for i in range(n):
        PointFactory(
            name=f"点{i}",
            type=world.alley,
            region=world.c1,
            territorial_unit=world.unit_c1,
            line_unit=world.line_cg,
        )


@pytest.mark.parametrize("url_name", ["points:list", "points:map_data", "points:types"])
def test_query_count_does_not_grow_with_rows(world, django_assert_num_queries, url_name):
    c = login(world.office)
    url = reverse(url_name)
    c.get(url)  # warm up the session and caches

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    with_two = count()
    _more_points(world, 18)
    assert Point.objects.count() == 20
    with django_assert_num_queries(with_two):
        c.get(url)


def test_detail_visible_and_404_outside_scope(world):
    c = login(world.user_s1)
    r = c.get(reverse("points:detail", args=["P00001"]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "多福巷社区居委会" in body
    assert "138****1234" in body
    assert "13812341234" not in body
    assert c.get(reverse("points:detail", args=["P00002"])).status_code == 404
    assert c.get(reverse("points:qr", args=["P00002"])).status_code == 404
    assert c.get(reverse("points:print", args=["P00002"])).status_code == 404


def test_qr_svg_encodes_the_report_form_for_the_point(world):
    r = login(world.office).get(reverse("points:qr", args=["P00001"]))
    assert r["Content-Type"] == "image/svg+xml"
    assert "http://testserver/report/?point=P00001" in r.content.decode()


def test_print_card_and_sheet(world):
    c = login(world.user_s1)
    body = c.get(reverse("points:print", args=["P00001"])).content.decode()
    assert "扫码上报此处的问题" in body and "<svg" in body
    body = c.get(reverse("points:print_sheet")).content.decode()
    assert body.count('class="pcard"') == 1
    assert "景山市场" not in body


def test_office_edits_point_and_history_shows_it(world):
    c = login(world.office)
    url = reverse("points:edit", args=["P00001"])
    assert c.get(url).status_code == 200
    data = {
        "name": "多福巷北段",
        "type": world.alley.pk,
        "address": "多福巷 9 号",
        "street": world.s1.pk,
        "lng": "116.4051234",
        "lat": "39.925",
        "crs": "wgs84",
        "territorial_unit": world.unit_c1.pk,
        "line_unit": world.line_cg.pk,
        "note": "",
    }
    r = c.post(url, data)
    assert r.status_code == 302
    p = Point.objects.get(code="P00001")
    # Still in its community: it has no boundary, so nothing places the point elsewhere.
    assert (p.name, p.lng, p.region) == ("多福巷北段", Decimal("116.405123"), world.c1)
    entry = AuditEntry.objects.get(object_type="points.point", object_id=str(p.pk))
    assert entry.before == {
        "address": "北京市东城区",
        "lng": "116.405000",
        "name": "多福巷",
    }
    body = c.get(reverse("points:detail", args=["P00001"])).content.decode()
    assert "office" in body


def test_edit_refuses_point_outside_street(world):
    world.s1.boundary = square(116.40, 39.91, 116.42, 39.93)
    world.s1.save()
    c = login(world.office)
    data = {
        "name": "多福巷",
        "type": world.alley.pk,
        "street": world.s1.pk,
        "lng": "116.50",
        "lat": "39.925",
        "crs": "wgs84",
        "territorial_unit": world.unit_c1.pk,
    }
    r = c.post(reverse("points:edit", args=["P00001"]), data)
    assert r.status_code == 200
    assert "边界可能为示意" in r.content.decode()
    assert Point.objects.get(code="P00001").lng == Decimal("116.405000")


def test_office_creates_point_with_gcj02_coordinates(world):
    c = login(world.office)
    data = {
        "name": "新点位",
        "type": world.market.pk,
        "street": world.s2.pk,
        "lng": "116.41",
        "lat": "39.92",
        "crs": "gcj02",
        "territorial_unit": world.unit_s2.pk,
    }
    r = c.post(reverse("points:create"), data)
    assert r.status_code == 302
    p = Point.objects.get(code="P00003")
    assert (p.lng, p.lat, p.region) == (Decimal("116.403755"), Decimal("39.918596"), world.s2)


@pytest.mark.parametrize("who", ["leader", "user_s1", "inspector"])
def test_non_office_cannot_edit_create_or_import(world, who):
    c = login(getattr(world, who))
    assert c.get(reverse("points:edit", args=["P00001"])).status_code == 403
    assert c.get(reverse("points:create")).status_code == 403
    assert c.get(reverse("points:import")).status_code == 403
    r = c.post(reverse("points:set_active", args=["P00001"]), {"active": "0"})
    assert r.status_code == 403
    assert Point.objects.get(code="P00001").active


def test_office_deactivates_point(world):
    c = login(world.office)
    r = c.post(reverse("points:set_active", args=["P00001"]), {"active": "0"})
    assert r.status_code == 302
    assert not Point.objects.get(code="P00001").active


def test_import_page_shows_error_table_and_writes_nothing(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.points.helpers import csv_bytes

    rows = [["坏点", "无此类型", "", "116.41", "39.92", "东华门街道", "东华门街道办事处", "", ""]]
    f = SimpleUploadedFile("bad.csv", csv_bytes(rows))
    r = login(world.office).post(reverse("points:import"), {"file": f, "crs": "wgs84"})
    assert r.status_code == 200
    assert "未知的点位类型“无此类型”" in r.content.decode()
    assert Point.objects.count() == 2


def test_import_page_refuses_rows_outside_the_users_area(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chuangcheng.accounts.enums import Role
    from tests.factories import UserFactory, grant
    from tests.points.helpers import csv_bytes

    office_s1 = UserFactory(username="office_s1")
    grant(office_s1, Role.OFFICE, region=world.s1)
    rows = [["外区点", "农贸市场", "", "116.39", "39.93", "景山街道", "景山街道办事处", "", ""]]
    f = SimpleUploadedFile("x.csv", csv_bytes(rows))
    r = login(office_s1).post(reverse("points:import"), {"file": f, "crs": "wgs84"})
    assert "未知的街道“景山街道”" in r.content.decode()
    assert Point.objects.count() == 2


def test_export_of_list_is_scoped_and_audited(world):
    r = login(world.user_s1).get(reverse("points:export"), {"format": "csv"})
    body = r.content.decode("utf-8-sig")
    assert "多福巷" in body and "景山市场" not in body
    assert AuditEntry.objects.filter(action="export", actor=world.user_s1).count() == 1


def test_map_page_and_data_are_scoped(world):
    world.s1.boundary = square(116.40, 39.91, 116.42, 39.93)
    world.s1.boundary_approximate = True
    world.s1.save()
    c = login(world.user_s1)
    body = c.get(reverse("points:map")).content.decode()
    assert 'id="map-config"' in body and "街道、社区边界为示意，非测绘成果" in body
    data = json.loads(c.get(reverse("points:map_data")).content)
    assert [p[0] for p in data["points"]] == ["P00001"]
    assert data["points"][0][1:2] == ["多福巷"]
    assert data["approximate"] is True
    assert [f["properties"]["name"] for f in data["regions"]["features"]] == ["东华门街道"]
    data = json.loads(
        login(world.office).get(reverse("points:map_data"), {"type": "market"}).content
    )
    assert [p[0] for p in data["points"]] == ["P00002"]


def test_types_page_counts_visible_points(world):
    body = login(world.user_s1).get(reverse("points:types")).content.decode()
    assert body.count('class="num">1<') == 2  # 背街小巷: 1 point, 1 active
    assert 'class="num">0<' in body  # 农贸市场: the other street's market is not counted


def test_anonymous_is_sent_to_login(db):
    r = Client().get(reverse("points:list"))
    assert r.status_code == 302
