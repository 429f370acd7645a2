from tests.conftest import login


def test_overview_counts_only_visible_rows(world) -> None:
    office = login(world.office).get("/")
    assert office.context["point_total"] == 2
    assert office.context["street_count"] == 2
    unit = login(world.user_s1).get("/")
    assert unit.context["point_total"] == 1
    assert unit.context["street_count"] == 1
    assert unit.context["points_by_street"] == [{"name": "东华门街道", "n": 1, "pct": 100}]
    nobody = login(world.nobody).get("/")
    assert nobody.context["point_total"] == 0


def test_overview_query_count_is_constant(world) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import PointFactory

    client = login(world.office)
    client.get("/")  # warm the session
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for i in range(20):
        PointFactory(
            type=world.market if i % 2 else world.alley,
            region=world.c2,
            territorial_unit=world.unit_s2,
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get("/").context["point_total"] == 22
    assert len(many) == len(few)


def test_navigation_marks_the_longest_match(world) -> None:
    response = login(world.office).get("/points/map/")
    active = [i["label"] for i in response.context["nav_items"] if i["active"]]
    assert [str(a) for a in active] == ["地图"]
