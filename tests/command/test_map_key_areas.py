"""Key areas (重点区域): the office draws them (pasted GeoJSON or a region's boundary), every change
is audited, bad outlines are refused with a message saying why and nothing is saved."""

from __future__ import annotations

import json
from typing import Any

import pytest

from chuangcheng.command.domain.map_geometry import OutlineError, parse_outline
from chuangcheng.command.models import KeyArea
from chuangcheng.core.models import AuditEntry
from tests.command.map_data import square
from tests.conftest import World, login

NEW = "/command/map/key-areas/new/"


def _post(world: World, outline: Any, **extra: Any) -> Any:
    data = {
        "name": "多福巷片区",
        "region": world.s1.pk,
        "outline": outline if isinstance(outline, str) else json.dumps(outline),
        "crs": "wgs84",
        "note": "夜市",
        **extra,
    }
    return login(world.office).post(NEW, data)


def test_office_creates_an_area_from_pasted_geojson_audited(world: World) -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": square(116.405, 39.925)}
    r = _post(world, feature)
    assert r.status_code == 302
    area = KeyArea.objects.get()
    assert (area.name, area.region, area.note) == ("多福巷片区", world.s1, "夜市")
    assert area.geometry == square(116.405, 39.925)
    entry = AuditEntry.objects.get(object_type="command.keyarea")
    assert (entry.action, entry.actor, entry.after["name"]) == (
        "create",
        world.office,
        "多福巷片区",
    )


def test_an_area_can_be_the_regions_own_boundary(world: World) -> None:
    world.s1.boundary = square(116.405, 39.925, 0.01)
    world.s1.save()
    r = _post(world, "", use_boundary="on")
    assert r.status_code == 302
    assert KeyArea.objects.get().geometry == world.s1.boundary


def _polygon(ring: list[list[float]]) -> str:
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


BAD = [
    ("{not json", "这不是有效的 JSON（第 1 行，第 2 列）。"),
    ("[1, 2]", "范围必须是一个 GeoJSON 对象，不能是列表或单个值。"),
    (
        '{"type": "Point", "coordinates": [116.4, 39.9]}',
        "范围必须是 Polygon 或 MultiPolygon，不能是“Point”。",
    ),
    (
        _polygon([[39.9, 116.4], [39.91, 116.4], [39.91, 116.41], [39.9, 116.4]]),
        "坐标 [39.9, 116.4] 不在中国境内：坐标顺序为 [经度, 纬度]，经度在前。",
    ),
    (
        '{"type": "Polygon", "coordinates": [[[116.4, 39.9], [116.41, 39.9]]]}',
        "一个环至少需要三个不同的顶点。",
    ),
    (
        _polygon([[116.40, 39.90], [116.41, 39.91], [116.41, 39.90], [116.40, 39.91]]),
        "范围自相交或重叠（Self-intersection",
    ),
    (
        '{"type": "FeatureCollection", "features": []}',
        "FeatureCollection 中必须恰好有一个要素。",
    ),
    ("", "请粘贴 GeoJSON 范围，或选择使用区域边界。"),
]


@pytest.mark.parametrize(("text", "message"), BAD)
def test_bad_outlines_are_refused_with_a_clear_message_nothing_saved(
    world: World, text: str, message: str
) -> None:
    r = _post(world, text)
    assert r.status_code == 200
    errors = r.context["form"].errors["outline"]
    assert any(e.startswith(message) for e in errors), errors
    assert not KeyArea.objects.exists()
    assert not AuditEntry.objects.filter(object_type="command.keyarea").exists()


def test_a_region_without_boundary_cannot_be_used(world: World) -> None:
    r = _post(world, "", use_boundary="on")
    assert r.context["form"].errors["use_boundary"] == ["该区域没有边界，请粘贴范围。"]
    assert not KeyArea.objects.exists()


def test_gcj02_outlines_are_converted_to_wgs84() -> None:
    found = parse_outline(json.dumps(square(116.41, 39.92)), crs="gcj02")
    lng, lat = found["coordinates"][0][0]
    # GCJ-02 lies about 0.006° east and 0.001° north of WGS-84 in Beijing.
    assert 116.401 < lng < 116.405 and 39.916 < lat < 39.918
    with pytest.raises(OutlineError):
        parse_outline(
            '{"type": "Polygon", "coordinates": [[[116.4, "x"], [1, 2], [3, 4], [116.4, "x"]]]}'
        )


def test_only_the_office_manages_and_edits_are_audited(world: World) -> None:
    area = KeyArea.objects.create(name="旧名", region=world.s1, geometry=square(116.405, 39.925))
    other = KeyArea.objects.create(
        name="景山片区", region=world.s2, geometry=square(116.396, 39.928)
    )
    unit = login(world.user_s1)
    assert unit.get(NEW).status_code == 403
    assert unit.get(f"/command/map/key-areas/{area.pk}/").status_code == 403
    assert unit.get(f"/command/map/key-areas/{other.pk}/").status_code == 404  # not visible
    assert unit.post(f"/command/map/key-areas/{area.pk}/delete/").status_code == 403
    listing = unit.get("/command/map/key-areas/")
    assert [a.name for a in listing.context["areas"]] == ["旧名"]
    office = login(world.office)
    r = office.post(
        f"/command/map/key-areas/{area.pk}/",
        {
            "name": "新名",
            "region": world.s1.pk,
            "outline": json.dumps(area.geometry),
            "crs": "wgs84",
        },
    )
    assert r.status_code == 302
    entry = AuditEntry.objects.get(object_type="command.keyarea", action="update")
    assert (entry.before, entry.after) == ({"name": "旧名"}, {"name": "新名"})
    assert office.post(f"/command/map/key-areas/{area.pk}/delete/").status_code == 302
    assert not KeyArea.objects.filter(pk=area.pk).exists()
    assert AuditEntry.objects.filter(object_type="command.keyarea", action="delete").count() == 1
