"""The "live warnings" dashboard panel: registered for four boards, scoped, two queries."""

from __future__ import annotations

from django.db import connection
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from chuangcheng.accounts.scope import scope_of
from chuangcheng.alerts.panels import live_warnings
from chuangcheng.core.dashboards import PANELS, panels_for
from tests.alerts.pages_data import four, warning
from tests.conftest import World


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    scope_of(user)
    return request


def test_registered_for_every_board() -> None:
    panel = PANELS["alerts.live"]
    assert panel.boards == {"leader", "office", "unit", "screen"}
    assert panel in panels_for("unit")


def test_counts_and_latest_in_scope(world: World) -> None:
    data = four(world)
    found = live_warnings(request_for(world.office), "office")
    assert found is not None
    assert [(c["level"], c["n"]) for c in found["counts"]] == [
        ("red", 1),
        ("orange", 2),
        ("yellow", 1),
    ]
    assert found["total"] == 4
    assert [w.key for w in found["latest"]] == ["c1", "s2", "region", "line"]
    mine = live_warnings(request_for(world.user_s1), "unit")
    assert mine is not None
    assert [w.key for w in mine["latest"]] == ["c1"] and mine["total"] == 1
    assert live_warnings(request_for(world.inspector), "office") is None
    html = render_to_string(
        "alerts/panels/warnings.html", {**mine, "panel": PANELS["alerts.live"], "board": "unit"}
    )
    assert f'href="/alerts/{data.w_c1.pk}/"' in html and 'href="/alerts/?level=red"' in html


def test_two_queries_at_any_size(world: World) -> None:
    data = four(world)
    request = request_for(world.office)
    with CaptureQueriesContext(connection) as few:
        live_warnings(request, "office")
    for i in range(15):
        warning(data.rule, f"x{i}", "yellow", world.c2, world.unit_s2)
    with CaptureQueriesContext(connection) as many:
        live_warnings(request, "office")
    assert len(few) == len(many) == 2
