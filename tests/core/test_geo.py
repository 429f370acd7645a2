from chuangcheng.core.geo import contains, gcj02_to_wgs84, wgs84_to_gcj02


def test_gcj02_offset_in_beijing_is_a_few_hundred_metres() -> None:
    lng, lat = wgs84_to_gcj02(116.397128, 39.916527)  # 故宫 in WGS-84
    assert round(lng - 116.397128, 4) == 0.0062
    assert round(lat - 39.916527, 4) == 0.0014


def test_round_trip_is_exact_to_a_centimetre() -> None:
    g = wgs84_to_gcj02(116.4175, 39.9289)
    w = gcj02_to_wgs84(*g)
    assert abs(w[0] - 116.4175) < 1e-7 and abs(w[1] - 39.9289) < 1e-7


def test_outside_china_unchanged() -> None:
    assert wgs84_to_gcj02(2.35, 48.85) == (2.35, 48.85)


def test_contains() -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    assert contains(square, 0.5, 0.5)
    assert contains(square, 1, 0.5)
    assert not contains(square, 1.5, 0.5)
    assert not contains(None, 0.5, 0.5)
