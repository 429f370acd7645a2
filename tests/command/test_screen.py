"""The big screen: exact aggregated figures, who may open it, its refresh and the idle clock."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.command.domain.boards_screen import screen_figures
from tests.command.boards_data import NOW, build
from tests.conftest import World, login


def test_screen_figures_of_the_district(world: World) -> None:
    build(world, NOW)
    found = screen_figures(world.district, parse_period("2026-11"), NOW)
    assert found["totals"] == {"open": 8, "overdue": 2, "today": 2, "closed_month": 1}
    days = {d["day"]: d["n"] for d in found["per_day"] if d["n"]}
    assert days == {
        "2026-11-10": 1,
        "2026-11-14": 1,
        "2026-11-15": 1,
        "2026-11-16": 1,
        "2026-11-19": 2,
        "2026-11-20": 2,
    }
    assert len(found["per_day"]) == 30 and found["per_day"][0]["day"] == "2026-10-22"
    months = {m["period"]: m["n"] for m in found["per_month"] if m["n"]}
    assert months == {"2026-10": 1, "2026-11": 8}
    assert found["overdue_units"] == [
        {"unit": "东华门街道办事处", "n": 1},
        {"unit": "景山街道办事处", "n": 1},
    ]
    assert [(s["name"], s["open"], s["overdue"]) for s in found["streets"]] == [
        ("东华门街道", 6, 1),
        ("景山街道", 2, 1),
    ]
    assert found["score"] is None  # no framework in force
    # Aggregated only: no link, case number or place.
    text = json.dumps(found, default=str, ensure_ascii=False)
    assert "url" not in text and "多福巷" not in text and "2026-9" not in text


def test_a_street_screen_counts_its_street_only(world: World) -> None:
    build(world, NOW)
    found = screen_figures(world.s2, parse_period("2026-11"), NOW)
    assert found["totals"] == {"open": 2, "overdue": 1, "today": 1, "closed_month": 1}
    assert [s["name"] for s in found["streets"]] == ["景山街道"]
    assert found["overdue_units"] == [{"unit": "景山街道办事处", "n": 1}]


@pytest.mark.parametrize("who", ["leader", "office"])
def test_leader_and_office_open_the_screen(world: World, who: str) -> None:
    build(world, timezone.now())
    client = login(getattr(world, who))
    page = client.get(reverse("command:screen"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="scr-figures"' in body and "<script>" not in body
    assert 'data-refresh="60"' in body
    data = client.get(reverse("command:screen_data")).json()
    assert (data["totals"]["open"], data["totals"]["overdue"]) == (8, 2)
    assert data["region"] == "东城区"
    street = client.get(reverse("command:screen_data"), {"region": "110101001"}).json()
    assert street["region"] == "东华门街道" and street["totals"]["open"] == 6


@pytest.mark.parametrize("who", ["user_s1", "user_line", "inspector", "nobody"])
def test_others_may_not_open_the_screen(world: World, who: str) -> None:
    client = login(getattr(world, who))
    assert client.get(reverse("command:screen")).status_code == 404
    assert client.get(reverse("command:screen_data")).status_code == 404
    assert client.get("/api/v1/dashboard/screen").status_code == 404


def test_a_region_outside_the_users_is_404(world: World) -> None:
    from chuangcheng.accounts.enums import Role
    from tests.factories import UserFactory, grant

    street_leader = UserFactory(username="street_leader")
    grant(street_leader, Role.LEADER, region=world.s1)
    client = login(street_leader)
    assert client.get(reverse("command:screen_data")).json()["region"] == "东华门街道"
    for code in ("110101002", "110101", "nonsense"):
        assert client.get(reverse("command:screen_data"), {"region": code}).status_code == 404


def test_api_screen_answers_the_same_figures(world: World) -> None:
    build(world, timezone.now())
    client = login(world.leader)
    panels = client.get("/api/v1/dashboard/screen").json()["panels"]
    assert panels[0]["code"] == "command.screen"
    assert panels[0]["data"]["totals"]["open"] == 8


def idle_for(client: Any, seconds: int) -> float:
    """Move the session's last activity ``seconds`` back; the new last-seen time."""
    client.get("/")
    session = client.session
    session["cc_last_seen"] = session["cc_last_seen"] - seconds
    session.save()
    return float(client.session["cc_last_seen"])


def test_the_refresh_never_keeps_a_session_alive(world: World) -> None:
    client = login(world.office)
    seen = idle_for(client, 600)
    passive = client.get(reverse("command:screen_data"), headers={"X-Idle-Passive": "1"})
    assert passive.status_code == 200
    assert client.session["cc_last_seen"] == seen  # not counted as activity
    client.get(reverse("command:screen_data"))  # a person's request is
    assert client.session["cc_last_seen"] > seen


@override_settings(SESSION_IDLE_MINUTES=1)
def test_an_idle_screen_is_logged_out(world: World) -> None:
    client = login(world.office)
    idle_for(client, 120)
    response = client.get(reverse("command:screen_data"), headers={"X-Idle-Passive": "1"})
    assert response.status_code == 302 and "idle=1" in response["Location"]
    assert client.get(reverse("command:screen")).status_code == 302


@override_settings(SCREEN_REFRESH_SECONDS=15)
def test_the_refresh_interval_is_a_setting(world: World) -> None:
    body = login(world.office).get(reverse("command:screen")).content.decode()
    assert 'data-refresh="15"' in body
