from chuangcheng.accounts.enums import Role
from tests.conftest import login
from tests.factories import UserFactory, grant


def _basic(client) -> dict:
    panels = client.get("/api/v1/dashboard/office").json()["panels"]
    return next(p["data"] for p in panels if p["code"] == "command.basic_data")


def test_basic_data_counts_only_visible_rows(world) -> None:
    office = _basic(login(world.office))
    assert office["point_total"] == 2
    assert office["street_count"] == 2
    clerk = UserFactory(username="street_office")
    grant(clerk, Role.OFFICE, region=world.s1)
    street = _basic(login(clerk))
    assert street["point_total"] == 1
    assert street["street_count"] == 1
    assert street["points_by_street"] == [{"name": "东华门街道", "n": 1, "pct": 100}]


def test_overview_page_shows_the_basic_data(world) -> None:
    body = login(world.office).get("/").content.decode()
    assert 'data-panel="command.basic_data"' in body
    assert "东华门街道" in body and "景山街道" in body


def test_navigation_marks_the_longest_match(world) -> None:
    response = login(world.office).get("/points/map/")
    active = [i["label"] for i in response.context["nav_items"] if i["active"]]
    assert [str(a) for a in active] == ["地图"]


def test_big_screen_in_the_menu_for_leader_and_office_only(world) -> None:
    def urls(user) -> list[str]:
        return [i["url"] for i in login(user).get("/").context["nav_items"]]

    assert "/command/screen/" in urls(world.leader)
    assert "/command/screen/" in urls(world.office)
    assert "/command/screen/" not in urls(world.user_s1)
    assert "/command/screen/" not in urls(world.inspector)
