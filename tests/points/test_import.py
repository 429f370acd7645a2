"""``chuangcheng points import/export``: good files, every bad cell named, round trips."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from chuangcheng.core import geo
from chuangcheng.core.models import AuditEntry
from chuangcheng.points.interfaces.importer import run_import
from chuangcheng.points.models import Point
from tests.points.helpers import csv_bytes, geojson_bytes, square, xlsx_bytes

GOOD = [
    [
        "东华门小巷",
        "背街小巷",
        "东华门大街 1 号",
        "116.41",
        "39.92",
        "东华门街道",
        "东华门街道办事处",
        "区城管委",
        "",
    ],
    [
        "景山菜市场",
        "农贸市场",
        "",
        "116.397",
        "39.929",
        "景山街道",
        "景山街道办事处",
        "区市场监管局",
        "",
    ],
]


def run(tmp_path: Path, name: str, data: bytes, *args: str) -> tuple[str, str]:
    path = tmp_path / name
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    call_command("points", "import", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_csv_creates_points_with_next_codes(world, tmp_path):
    out, _err = run(tmp_path, "p.csv", csv_bytes(GOOD))
    assert "2" in out
    assert Point.objects.count() == 4
    a = Point.objects.get(code="P00003")
    assert (a.name, a.type, a.region, a.territorial_unit, a.line_unit) == (
        "东华门小巷",
        world.alley,
        world.s1,
        world.unit_s1,
        world.line_cg,
    )
    assert (a.lng, a.lat) == (Decimal("116.410000"), Decimal("39.920000"))
    b = Point.objects.get(code="P00004")
    assert (b.region, b.line_unit) == (world.s2, world.line_sj)
    assert AuditEntry.objects.filter(object_type="points.point", action="create").count() == 2
    assert AuditEntry.objects.filter(object_type="points.point", action="import").count() == 1


def test_import_gb18030_csv_and_short_unit_names(world, tmp_path):
    world.line_cg.short_name = "城管委"
    world.line_cg.save()
    rows = [[*GOOD[0][:7], "城管委", ""]]
    run(tmp_path, "gbk.csv", csv_bytes(rows, encoding="gb18030"))
    assert Point.objects.get(code="P00003").line_unit == world.line_cg


def test_import_gcj02_row_is_stored_as_wgs84(world, tmp_path):
    run(tmp_path, "p.csv", csv_bytes(GOOD[:1]), "--crs", "gcj02")
    p = Point.objects.get(code="P00003")
    # 高德 116.41, 39.92 is WGS-84 116.403755, 39.918596 (about 560 m west, 150 m south).
    assert (p.lng, p.lat) == (Decimal("116.403755"), Decimal("39.918596"))
    back = geo.wgs84_to_gcj02(float(p.lng), float(p.lat))
    assert abs(back[0] - 116.41) < 1e-6
    assert abs(back[1] - 39.92) < 1e-6


def test_import_xlsx_with_numeric_cells(world, tmp_path):
    rows = [[r[0], r[1], r[2], float(r[3]), float(r[4]), *r[5:]] for r in GOOD]
    run(tmp_path, "p.xlsx", xlsx_bytes(rows))
    assert sorted(Point.objects.values_list("name", flat=True)) == sorted(
        ["多福巷", "景山市场", "东华门小巷", "景山菜市场"]
    )


def test_import_geojson(world, tmp_path):
    rows = [[r[0], r[1], r[2], float(r[3]), float(r[4]), *r[5:]] for r in GOOD]
    run(tmp_path, "p.geojson", geojson_bytes(rows))
    assert Point.objects.get(name="景山菜市场").lat == Decimal("39.929000")


def test_code_column_updates_existing_point(world, tmp_path):
    row = [
        "多福巷（改）",
        "背街小巷",
        "新地址",
        "116.406",
        "39.926",
        "东华门街道",
        "多福巷社区居委会",
        "",
        "P00001",
    ]
    run(tmp_path, "u.csv", csv_bytes([row]))
    p = Point.objects.get(code="P00001")
    # The community has no drawn boundary, so nothing places the point elsewhere: it stays.
    assert (p.name, p.address, p.line_unit, p.region) == ("多福巷（改）", "新地址", None, world.c1)
    assert Point.objects.count() == 2
    entry = AuditEntry.objects.get(object_type="points.point", action="update")
    assert entry.before["name"] == "多福巷"
    assert entry.after["name"] == "多福巷（改）"


def test_bad_file_names_every_bad_cell_and_writes_nothing(world, tmp_path):
    rows = [
        GOOD[0],
        ["", "无此类型", "", "abc", "99", "无此街道", "无此单位", "无此部门", ""],
        ["远点", "背街小巷", "", "200", "39.9", "东华门街道", "东华门街道办事处", "", ""],
        ["东华门小巷", "背街小巷", "", "116.41", "39.92", "东华门街道", "东华门街道办事处", "", ""],
    ]
    entries = AuditEntry.objects.count()
    with pytest.raises(CommandError):
        run(tmp_path, "bad.csv", csv_bytes(rows))
    assert Point.objects.count() == 2
    assert AuditEntry.objects.count() == entries
    report = run_import("bad.csv", csv_bytes(rows), actor=None)
    assert [str(p) for p in report.problems] == [
        "行 3，列 A（名称）：必须填写。",
        "行 3，列 B（类型）：未知的点位类型“无此类型”。",
        "行 3，列 D（经度）：“abc”不是数字。",
        "行 3，列 E（纬度）：99 超出范围（3–54）。",
        "行 3，列 F（街道）：未知的街道“无此街道”。",
        "行 3，列 G（属地单位）：未知的单位“无此单位”。",
        "行 3，列 H（行业单位）：未知的单位“无此部门”。",
        "行 4，列 D（经度）：200 超出范围（73–136）。",
        "行 5，列 A（名称）：名称和坐标与第 2 行相同。",
    ]


def test_point_outside_its_street_is_an_error(world, tmp_path):
    world.s1.boundary = square(116.40, 39.91, 116.42, 39.93)
    world.s1.save()
    rows = [[*GOOD[0][:3], "116.45", "39.92", *GOOD[0][5:]]]
    report = run_import("o.csv", csv_bytes(rows), actor=None)
    assert [str(p) for p in report.problems] == [
        "行 2，列 D（经度）：点位不在东华门街道的边界内。边界可能为示意：请核对坐标和街道。"
    ]
    assert not report.written
    assert Point.objects.count() == 2


def test_point_inside_a_community_boundary_gets_the_community(world, tmp_path):
    world.s1.boundary = square(116.40, 39.91, 116.42, 39.93)
    world.s1.save()
    world.c1.boundary = square(116.405, 39.915, 116.415, 39.925)
    world.c1.save()
    rows = [GOOD[0], [*GOOD[0][:3], "116.401", "39.911", *GOOD[0][5:]]]
    rows[1][0] = "街道边上"
    run(tmp_path, "c.csv", csv_bytes(rows))
    assert Point.objects.get(name="东华门小巷").region == world.c1
    assert Point.objects.get(name="街道边上").region == world.s1


def test_missing_header_is_reported(world):
    report = run_import("h.csv", csv_bytes([["x"]], header=["名称"]), actor=None)
    assert "行 1，列 -（类型）：表头行缺少此列。" in [str(p) for p in report.problems]


def test_dry_run_writes_nothing(world, tmp_path):
    run(tmp_path, "p.csv", csv_bytes(GOOD), "--dry-run")
    assert Point.objects.count() == 2


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "geojson"])
def test_export_then_import_round_trips_without_duplicates(world, tmp_path, fmt):
    out = tmp_path / f"all.{fmt}"
    call_command("points", "export", "--format", fmt, "--output", str(out), stderr=io.StringIO())
    before = list(Point.objects.order_by("code").values_list("code", "name", "lng", "lat"))
    stdout = io.StringIO()
    call_command("points", "import", str(out), stdout=stdout)
    after = list(Point.objects.order_by("code").values_list("code", "name", "lng", "lat"))
    assert after == before
    assert AuditEntry.objects.filter(object_type="points.point", action="create").count() == 0


def test_export_csv_to_stdout(world):
    out = io.StringIO()
    call_command("points", "export", "--format", "csv", stdout=out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == "名称,类型,地址,经度,纬度,街道,属地单位,行业单位,编码"
    assert (
        lines[1]
        == "多福巷,背街小巷,北京市东城区,116.405,39.925,东华门街道,多福巷社区居委会,区城管委,P00001"
    )
    assert len(lines) == 3


def test_geojson_problems_name_feature_and_property(world):
    rows = [[*GOOD[0][:3], 116.41, 39.92, *GOOD[0][5:]]]
    rows[0][1] = "无此类型"
    report = run_import("bad.geojson", geojson_bytes(rows), actor=None)
    assert [str(p) for p in report.problems] == [
        "第 1 个要素，属性 类型：未知的点位类型“无此类型”。"
    ]


def test_update_moves_point_into_the_community_whose_boundary_holds_it(world, tmp_path):
    square = {
        "type": "Polygon",
        "coordinates": [
            [[116.39, 39.92], [116.40, 39.92], [116.40, 39.93], [116.39, 39.93], [116.39, 39.92]]
        ],
    }
    world.c2.boundary = square
    world.c2.save()
    row = [
        "景山市场",
        "农贸市场",
        "",
        "116.395",
        "39.925",
        "景山街道",
        "景山街道办事处",
        "",
        "P00002",
    ]
    run(tmp_path, "u.csv", csv_bytes([row]))
    assert Point.objects.get(code="P00002").region == world.c2
