"""The role dashboards: who sees which board, exact figures, links and leaks."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.filters import CaseFilters
from chuangcheng.cases.queries import cases_for
from chuangcheng.core import dashboards
from tests.command.boards_data import build
from tests.conftest import World, login


def tabs(client: Any) -> list[str]:
    return [code for code, _label in client.get("/").context["tabs"]]


def panels(client: Any, board: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/dashboard/{board}")
    assert response.status_code == 200, response.content
    return {p["code"]: p["data"] for p in response.json()["panels"]}


def listed(user: Any, url: str) -> int:
    """How many rows the case list shows for a link of the dashboard."""
    query = url.split("?", 1)[1] if "?" in url else ""
    from django.http import QueryDict

    return cases_for(user, CaseFilters.from_query(QueryDict(query))).count()


def test_each_user_sees_the_boards_their_grants_open(world: World) -> None:
    assert tabs(login(world.leader)) == ["leader"]
    assert tabs(login(world.office)) == ["leader", "office"]
    assert tabs(login(world.user_s1)) == ["unit"]
    assert tabs(login(world.user_line)) == ["unit"]
    assert tabs(login(world.inspector)) == []
    assert tabs(login(world.nobody)) == []


def test_home_opens_the_board_the_user_works_in(world: World) -> None:
    assert login(world.office).get("/").context["board"] == "office"
    assert login(world.leader).get("/").context["board"] == "leader"
    assert login(world.user_s1).get("/").context["board"] == "unit"
    nobody = login(world.nobody).get("/")
    assert nobody.status_code == 200 and nobody.context["board"] is None
    assert nobody.context["panels"] == []


@pytest.mark.parametrize(
    ("who", "board"),
    [
        ("leader", "office"),
        ("leader", "unit"),
        ("office", "unit"),
        ("user_s1", "leader"),
        ("user_s1", "office"),
        ("inspector", "leader"),
        ("nobody", "unit"),
        ("user_s1", "screen"),
        ("office", "bogus"),
    ],
)
def test_a_board_the_user_may_not_see_is_404(world: World, who: str, board: str) -> None:
    client = login(getattr(world, who))
    assert client.get(reverse("command:board", args=[board])).status_code == 404
    assert client.get(f"/api/v1/dashboard/{board}").status_code == 404


def test_the_screen_is_no_tab(world: World) -> None:
    # The big screen has a page of its own; /board/screen/ is not one.
    assert login(world.office).get(reverse("command:board", args=["screen"])).status_code == 404


def test_office_queues_count_and_link_exactly(world: World) -> None:
    c = build(world, timezone.now())
    client = login(world.office)
    data = panels(client, "office")
    queues = {q["code"]: q for q in data["command.office_queues"]["queues"]}
    assert {k: q["n"] for k, q in queues.items()} == {
        "intake": 3,
        "overdue": 2,
        "review": 1,
        "extension": 1,
    }
    # Oldest first, each linking to its case.
    assert [r["number"] for r in queues["intake"]["rows"]] == [c.b.number, c.a.number, c.c.number]
    assert [r["number"] for r in queues["overdue"]["rows"]] == [c.e.number, c.d.number]
    assert queues["review"]["rows"][0]["url"] == reverse("cases:detail", args=[c.f.pk])
    assert queues["extension"]["rows"][0]["url"] == reverse("cases:detail", args=[c.g.pk])
    # Every count is the number of rows behind its link.
    for code in ("overdue", "review", "extension"):
        assert listed(world.office, queues[code]["url"]) == queues[code]["n"], code
    intake = client.get(queues["intake"]["url"])
    assert intake.context["page"].paginator.count == 3
    body = client.get("/").content.decode()
    for q in queues.values():
        assert f'href="{q["url"]}"'.replace("&", "&amp;") in body


def test_leader_cases_by_street_link_to_their_rows(world: World) -> None:
    build(world, timezone.now())
    data = panels(login(world.leader), "leader")["command.leader_cases"]
    assert (data["totals"]["open"], data["totals"]["overdue"]) == (8, 2)
    assert [(s["name"], s["open"], s["overdue"]) for s in data["streets"]] == [
        ("东华门街道", 6, 1),
        ("景山街道", 2, 1),
    ]
    assert listed(world.leader, data["totals"]["open_url"]) == 8
    assert listed(world.leader, data["totals"]["overdue_url"]) == 2
    for street in data["streets"]:
        assert listed(world.leader, street["open_url"]) == street["open"]
        assert listed(world.leader, street["overdue_url"]) == street["overdue"]


def test_unit_board_shows_only_the_units_own_cases(world: World) -> None:
    c = build(world, timezone.now())
    client = login(world.user_s1)
    data = panels(client, "unit")["command.unit_cases"]
    assert [(u["unit"], u["open"], u["overdue"]) for u in data["units"]] == [
        ("东华门街道办事处", 1, 1),
        ("多福巷社区居委会", 2, 0),
    ]
    assert [d["number"] for d in data["deadlines"]] == [c.d.number, c.i.number]
    assert data["deadlines"][0]["overdue"] is True
    for u in data["units"]:
        assert listed(world.user_s1, u["open_url"]) == u["open"]
        assert listed(world.user_s1, u["overdue_url"]) == u["overdue"]
    body = client.get("/").content.decode()
    for other in (c.c, c.e, c.h):  # 景山's cases
        assert other.number not in body
    line = panels(login(world.user_line), "unit")["command.unit_cases"]
    assert [(u["unit"], u["open"], u["overdue"]) for u in line["units"]] == [("区城管委", 1, 0)]
    assert [d["number"] for d in line["deadlines"]] == [c.g.number]
    assert line["deadlines"][0]["due_soon"] is True
    other = panels(login(world.user_s2), "unit")["command.unit_cases"]
    assert [(u["unit"], u["open"], u["overdue"]) for u in other["units"]] == [
        ("景山街道办事处", 1, 1)
    ]


def test_board_renders_registered_panels_in_order_and_skips_empty_ones(world: World) -> None:
    @dashboards.register_panel(
        "test.first", boards=("office",), order=-1, template="command/panels/rounds.html"
    )
    def first(request: Any, board: str) -> dict[str, Any]:
        return {"rounds": [], "url": "/inspections/rounds/", "more": False}

    @dashboards.register_panel(
        "test.nothing", boards=("office",), order=-2, template="command/panels/rounds.html"
    )
    def nothing(request: Any, board: str) -> None:
        return None

    try:
        codes = [p["code"] for p in login(world.office).get("/").context["panels"]]
        assert codes[0] == "test.first"
        assert "test.nothing" not in codes
        assert codes.index("command.office_queues") < codes.index("command.basic_data")
    finally:
        dashboards.PANELS.pop("test.first")
        dashboards.PANELS.pop("test.nothing")


def test_basic_data_panel_counts_only_visible_rows(world: World) -> None:
    office = panels(login(world.office), "office")["command.basic_data"]
    assert (office["point_total"], office["street_count"]) == (2, 2)
    assert office["points_by_street"] == [
        {"name": "东华门街道", "n": 1, "pct": 100},
        {"name": "景山街道", "n": 1, "pct": 100},
    ]
