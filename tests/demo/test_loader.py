"""The demo district, loaded once for this module (inside a transaction rolled back at the end).

Exact figures below come from the fixed seeds: a change to them means the demo changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count, Max
from django.test import Client
from shapely.geometry import shape

from chuangcheng.accounts.enums import Role
from chuangcheng.accounts.models import Grant, User
from chuangcheng.core.geo import contains, gcj02_to_wgs84
from chuangcheng.core.models import AuditEntry
from chuangcheng.demo import catalog
from chuangcheng.demo.accounts import ACCOUNTS
from chuangcheng.demo.loader import DATA, LoadResult, load_demo
from chuangcheng.orgs.enums import RegionLevel, UnitKind
from chuangcheng.orgs.models import Region, Unit
from chuangcheng.points.models import Point, PointType
from tests.module_data import module_data

USERNAMES = [
    "leader",
    "office",
    "inspector",
    "supervisor",
    "volunteer",
    "resident",
    "auditor",
    "sysadmin",
    "secadmin",
    "unit_donghuamen",
    "unit_jingshan",
    "unit_qianmen",
    "unit_cgw",
    "unit_scjg",
    "unit_duofuxiang",
]


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[LoadResult]:
    """One load for the whole module; each test runs in a savepoint inside it."""
    with module_data(
        django_db_blocker, lambda: load_demo(include_framework=False, include_cases=False)
    ) as result:
        yield result


pytestmark = pytest.mark.usefixtures("demo", "db")


def test_load_reports_exact_counts(demo: LoadResult) -> None:
    assert demo.created is True
    assert demo.counts == {
        "districts": 1,
        "streets": 17,
        "communities": 169,
        "grid_cells": 507,
        "units": 46,
        "point_types": 29,
        "points": 728,
        "accounts": 15,
    }
    assert Region.objects.filter(level=RegionLevel.DISTRICT).count() == 1
    assert Region.objects.filter(level=RegionLevel.STREET).count() == 17
    assert Region.objects.filter(level=RegionLevel.COMMUNITY).count() == 169
    assert Region.objects.filter(level=RegionLevel.GRID).count() == 507
    assert Unit.objects.filter(kind=UnitKind.TERRITORIAL, region__level="street").count() == 17
    assert Unit.objects.filter(kind=UnitKind.TERRITORIAL, region__level="community").count() == 6
    assert Unit.objects.filter(kind=UnitKind.LINE).count() == 23
    assert Point.objects.count() >= 600
    assert Point.objects.values("type").distinct().count() == 27


def test_region_tree_codes_names_and_paths() -> None:
    district = Region.objects.get(code="110101")
    assert (district.name, district.level, district.path, district.parent) == (
        "东城区",
        RegionLevel.DISTRICT,
        "110101/",
        None,
    )
    assert district.boundary_approximate is False
    street = Region.objects.get(code="110101001")
    assert (street.name, street.path, street.parent_id) == (
        "东华门街道",
        "110101/110101001/",
        district.pk,
    )
    community = Region.objects.get(code="110101001001")
    assert community.name == "多福巷社区"
    assert community.path == "110101/110101001/110101001001/"
    grids = list(Region.objects.filter(parent=community).order_by("code"))
    assert [(g.code, g.name) for g in grids] == [
        ("11010100100101", "多福巷社区第1网格"),
        ("11010100100102", "多福巷社区第2网格"),
    ]
    assert grids[0].path == "110101/110101001/110101001001/11010100100101/"
    assert (grids[0].center_lng, grids[0].center_lat) == (
        Decimal("116.407414"),
        Decimal("39.911168"),
    )
    assert not Region.objects.filter(name__endswith="居委会").exists()
    assert not Region.objects.filter(parent__isnull=False, boundary_approximate=False).exists()
    per_community = (
        Region.objects.filter(level=RegionLevel.GRID).values("parent").annotate(n=Count("id"))
    )
    assert {row["n"] for row in per_community} == {2, 3, 4}
    assert len(per_community) == 169


def test_every_region_has_a_valid_boundary_and_its_centre_inside() -> None:
    for region in Region.objects.all():
        geom = shape(region.boundary)
        assert geom.is_valid, region.code
        assert geom.geom_type in {"Polygon", "MultiPolygon"}
        assert contains(region.boundary, float(region.center_lng), float(region.center_lat))
        text = json.dumps(region.boundary)
        assert not re.search(r"\d+\.\d{7,}", text), region.code  # at most 6 decimals


def test_children_lie_inside_their_parent_and_cover_it() -> None:
    regions = {r.pk: r for r in Region.objects.all()}
    shapes = {pk: shape(r.boundary) for pk, r in regions.items()}
    for pk, region in regions.items():
        if region.parent_id is None:
            continue
        parent = shapes[region.parent_id]
        # Rounding to 6 decimals may move a shared edge by a micro-degree (about 0.1 m).
        assert shapes[pk].within(parent.buffer(2e-6)), region.code
    district = Region.objects.get(code="110101")
    streets_area = sum(shapes[r.pk].area for r in Region.objects.filter(level="street"))
    assert streets_area == pytest.approx(shapes[district.pk].area, rel=1e-4)


def test_district_outline_is_the_source_converted_to_wgs84() -> None:
    source = json.loads((DATA / "dongcheng-outline.geojson").read_text(encoding="utf-8"))
    lng, lat = source["features"][0]["geometry"]["coordinates"][0][0]  # 116.3876953125, 39.9609
    want = gcj02_to_wgs84(lng, lat)
    ring = Region.objects.get(code="110101").boundary["coordinates"][0]
    assert any(abs(x - want[0]) < 2e-6 and abs(y - want[1]) < 2e-6 for x, y in ring)
    assert want[0] < lng  # the GCJ-02 offset in Beijing is to the east


def test_points_lie_in_their_street_and_community() -> None:
    points = Point.objects.select_related("region__parent", "territorial_unit", "type__line_unit")
    community_units = {u.region_id: u for u in Unit.objects.filter(region__level="community")}
    street_units = {u.region_id: u for u in Unit.objects.filter(region__level="street")}
    for p in points:
        lng, lat = float(p.lng), float(p.lat)
        assert p.region.level == RegionLevel.COMMUNITY
        assert contains(p.region.boundary, lng, lat), p.code
        assert contains(p.region.parent.boundary, lng, lat), p.code
        expected = community_units.get(p.region_id) or street_units[p.region.parent_id]
        assert p.territorial_unit_id == expected.pk, p.code
        assert p.line_unit_id == p.type.line_unit_id
    repeated = (
        Point.objects.values("region__parent", "name").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert list(repeated) == []


def test_points_have_codes_names_and_addresses() -> None:
    first = Point.objects.select_related("type", "region", "territorial_unit").get(code="P00001")
    assert (first.name, first.type.code, first.lng, first.lat, first.region.code) == (
        "东华门街道办事处",
        "street_office",
        Decimal("116.417119"),
        Decimal("39.915376"),
        "110101001006",
    )
    assert first.address == "北京市东城区东华门街道多福巷8号"
    assert first.territorial_unit.name == "东华门街道办事处"
    codes = list(Point.objects.order_by("code").values_list("code", flat=True))
    assert codes == [f"P{n:05d}" for n in range(1, 729)]
    names = set(Point.objects.values_list("name", flat=True))
    assert {"王府井大街", "南锣鼓巷历史文化街区", "天坛公园", "北京协和医院", "史家小学"} <= names
    assert {"东方广场", "地坛公园", "雍和宫", "前门大街", "东城区政务服务中心"} <= names
    by_type = dict(Point.objects.values_list("type__code").annotate(n=Count("id")))
    assert by_type["back_alley"] == 120
    assert by_type["cinema"] == 5
    assert by_type["river"] == 4
    assert "urban_fringe" not in by_type
    assert all(
        a.startswith("北京市东城区") for a in Point.objects.values_list("address", flat=True)
    )


def test_point_types_follow_the_catalogue() -> None:
    types = list(PointType.objects.select_related("line_unit").order_by("seq"))
    assert [
        (t.seq, t.code, t.name, t.line_unit.short_name if t.line_unit else "") for t in types
    ] == [(i, s.code, s.name, s.line_unit) for i, s in enumerate(catalog.POINT_TYPES, 1)]


def test_units_names_parents_and_contacts() -> None:
    office = Unit.objects.get(name="东华门街道办事处")
    assert (office.short_name, office.kind, office.region.code, office.path) == (
        "东华门街道",
        UnitKind.TERRITORIAL,
        "110101001",
        "110101001/",
    )
    duofu = Unit.objects.get(name="多福巷社区居委会")
    assert (duofu.parent_id, duofu.region.code, duofu.path) == (
        office.pk,
        "110101001001",
        "110101001/110101001001/",
    )
    cgw = Unit.objects.get(short_name="区城管委")
    assert (cgw.name, cgw.kind, cgw.region.code, cgw.path) == (
        "东城区城市管理委员会",
        UnitKind.LINE,
        "110101",
        "cgw/",
    )
    for unit in Unit.objects.all():
        assert unit.head_name and unit.contact_name and unit.head_name != unit.contact_name
        assert re.fullmatch(r"1391000\d{4}", unit.head_phone)
        assert re.fullmatch(r"1391000\d{4}", unit.contact_phone)
        assert unit.address.startswith("北京市东城区")


def test_phones_are_encrypted_at_rest() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT head_phone, contact_phone FROM orgs_unit")
        unit_rows = cursor.fetchall()
        cursor.execute("SELECT phone FROM accounts_user WHERE username = 'office'")
        user_rows = cursor.fetchall()
    assert len(unit_rows) == 46
    for value in [v for row in unit_rows + user_rows for v in row]:
        assert value.startswith("gAAAA")  # a Fernet token
        assert not re.search(r"1[38]91?000\d{3,4}", value)
        assert not re.search(r"\d{11}", value)  # no phone number in clear


def test_every_account_has_its_grant_and_logs_in() -> None:
    expected = {
        "leader": (Role.LEADER, "110101", None),
        "office": (Role.OFFICE, "110101", None),
        "inspector": (Role.INSPECTOR, "110101", None),
        "supervisor": (Role.SUPERVISOR, "110101001", None),
        "volunteer": (Role.VOLUNTEER, "110101001001", None),
        "resident": (Role.RESIDENT, "110101001001", None),
        "auditor": (Role.AUDITOR, "110101", None),
        "sysadmin": (Role.SYSADMIN, "110101", None),
        "secadmin": (Role.SECADMIN, "110101", None),
        "unit_donghuamen": (Role.UNIT, None, "东华门街道办事处"),
        "unit_jingshan": (Role.UNIT, None, "景山街道办事处"),
        "unit_qianmen": (Role.UNIT, None, "前门街道办事处"),
        "unit_cgw": (Role.UNIT, None, "东城区城市管理委员会"),
        "unit_scjg": (Role.UNIT, None, "东城区市场监督管理局"),
        "unit_duofuxiang": (Role.UNIT, None, "多福巷社区居委会"),
    }
    grants = Grant.objects.select_related("user", "region", "unit")
    got = {
        g.user.username: (
            g.role,
            g.region.code if g.region else None,
            g.unit.name if g.unit else None,
        )
        for g in grants
    }
    assert got == expected
    assert Grant.objects.count() == 15
    for username in USERNAMES:
        user = User.objects.get(username=username)
        assert user.must_change_password is False
        assert user.password_changed_at is not None
        assert user.display_name and re.fullmatch(r"1381000\d{4}", user.phone)
        assert Client().login(username=username, password=settings.DEMO_PASSWORD), username
    assert not Client().login(username="office", password="wrong-Password#1")
    # One hash for all: hashed once, reused.
    assert User.objects.filter(username__in=USERNAMES).values("password").distinct().count() == 1


def test_one_import_entry_audits_the_load() -> None:
    entries = AuditEntry.objects.filter(action="import", actor_name="demo")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.object_type == "orgs.region"
    assert entry.after["points"] == 728
    assert entry.after["streets"] == 17


def test_second_load_changes_nothing() -> None:
    def state() -> dict[str, Any]:
        return {
            model.__name__: (model.objects.count(), model.objects.aggregate(m=Max("id"))["m"])
            for model in (Region, Unit, PointType, Point, User, Grant, AuditEntry)
        }

    before = state()
    again = load_demo(include_framework=False)
    assert again.created is False
    assert again.counts["points"] == 728
    assert state() == before


def test_command_prints_already_loaded_and_every_account() -> None:
    out = StringIO()
    with transaction.atomic():
        call_command("demo", "load", stdout=out)
    text = out.getvalue()
    assert "已加载" in text or "already loaded" in text
    for username in USERNAMES:
        assert re.search(rf"\b{username}\b", text), username
    out = StringIO()
    call_command("demo", "accounts", stdout=out)
    table = out.getvalue()
    assert [a.username for a in ACCOUNTS] == USERNAMES
    for account in ACCOUNTS:
        line = next(li for li in table.splitlines() if re.search(rf"\b{account.username}\b", li))
        assert account.scope_name in line
        assert settings.DEMO_PASSWORD in line
    assert "区指挥部领导 / District leader" in table
    assert "责任单位 / Responsible unit" in table
