"""The leader's score against target and the unit's score and rank, computed by hand from the
October 2026 evidence of tests/scoring/pages_data.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.command.domain.boards_scores import score_figures, score_trend
from chuangcheng.command.domain.targets import TargetError, parse_rate, set_target
from chuangcheng.command.models import BoardTarget
from chuangcheng.core.models import AuditEntry
from tests.conftest import World, login
from tests.scoring.conftest import Scored, build_scored
from tests.scoring.pages_data import PERIOD, october

OCT = parse_period(PERIOD)


@pytest.fixture
def scored(world: World) -> Scored:
    s = build_scored(world)
    october(world, s)
    return s


def board(client: Any, name: str, **query: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/dashboard/{name}", query)
    assert response.status_code == 200, response.content
    return {p["code"]: p["data"] for p in response.json()["panels"]}


def test_projected_score_against_target(world: World, scored: Scored) -> None:
    set_target(actor=world.office, framework=scored.framework, region=world.district, rate="80")
    found = score_figures(world.district, OCT)
    assert found is not None
    # 4.75 of 10 scored over 8 measured: 59.375 % → 59.38; projected 4.75 / 8 × 10 = 5.9375.
    assert found["score"] == Decimal("4.7500")
    assert found["rate_pct"] == Decimal("59.38")
    assert found["projected"] == Decimal("5.94")
    # (3 + 2 + 0.7 × 1 + 0 × 2 + 2) / 10
    assert found["coverage_pct"] == Decimal("77.00")
    assert (found["target_pct"], found["target_score"]) == (Decimal("80.00"), Decimal("8.00"))
    assert found["gap_pp"] == Decimal("-20.62")
    # Streets lowest first: 景山 1.5 / 3, 东华门 3.25 / 5.
    assert [(s["name"], s["rate_pct"]) for s in found["streets"]] == [
        ("景山街道", Decimal("50.00")),
        ("东华门街道", Decimal("65.00")),
    ]
    assert (
        found["streets"][0]["url"] == f"{reverse('scoring:index')}?period=2026-10&region=110101002"
    )
    # Units: p2's units 1.5 / 3, p1's 3.25 / 5; ties by name.
    assert [(u["name"], u["rate_pct"]) for u in found["units"]] == [
        ("区市场监管局", Decimal("50.00")),
        ("景山街道办事处", Decimal("50.00")),
        ("区城管委", Decimal("65.00")),
        ("多福巷社区居委会", Decimal("65.00")),
    ]
    assert found["units"][0]["url"].endswith("?period=2026-10&unit=L002")


def test_a_street_leader_sees_the_street_without_other_units(world: World, scored: Scored) -> None:
    found = score_figures(world.s1, OCT)
    assert found is not None
    assert found["rate_pct"] == Decimal("65.00")
    assert found["streets"] == [] and found["units"] == []


def test_leader_panel_reads_the_period_asked(world: World, scored: Scored) -> None:
    data = board(login(world.leader), "leader", period=PERIOD)["command.leader_score"]
    assert data["score"]["projected"] == 5.94
    assert data["target_url"] == ""
    office = board(login(world.office), "leader", period=PERIOD)["command.leader_score"]
    assert office["target_url"] == reverse("command:target")


def test_score_trend_by_month(world: World, scored: Scored) -> None:
    points = score_trend(world.district, dt.date(2026, 11, 5))
    assert [p["period"] for p in points][-2:] == ["2026-10", "2026-11"]
    assert points[-2]["rate_pct"] == Decimal("59.38")
    assert points[-1]["rate_pct"] is None  # nothing observed in November: 未测, not 0
    assert len(points) == 12


def test_no_framework_in_force_shows_no_score(world: World) -> None:
    assert score_figures(world.district, OCT) is None
    data = board(login(world.leader), "leader")["command.leader_score"]
    assert data["score"] is None


def test_unit_sees_its_own_score_and_rank(world: World, scored: Scored) -> None:
    standing = board(login(world.user_line), "unit", period=PERIOD)["command.unit_standing"]
    rows = standing["standing"]
    assert [r["unit"] for r in rows] == ["区城管委"]
    assert rows[0]["rate_pct"] == 65.0
    assert rows[0]["score_url"] == f"{reverse('scoring:index')}?period=2026-10&unit=L001"
    assert (
        rows[0]["rank_url"]
        == f"{reverse('appraisal:unit', args=[world.line_cg.pk])}?period=2026-10"
    )
    body = login(world.user_line).get("/", {"period": PERIOD}).content.decode()
    assert "区市场监管局" not in body and "景山街道办事处" not in body


@pytest.mark.parametrize("raw", ["abc", "120", "-1", "85.123", ""])
def test_a_bad_target_is_refused_and_nothing_written(
    world: World, scored: Scored, raw: str
) -> None:
    client = login(world.office)
    response = client.post(reverse("command:target"), {"region": world.district.pk, "rate": raw})
    assert response.status_code == 422
    assert response.context["error"]
    assert not BoardTarget.objects.exists()
    with pytest.raises(TargetError):
        parse_rate(raw)


def test_office_sets_the_target_audited(world: World, scored: Scored) -> None:
    client = login(world.office)
    assert client.get(reverse("command:target")).status_code == 200
    response = client.post(reverse("command:target"), {"region": world.district.pk, "rate": "85"})
    assert response.status_code == 302
    client.post(reverse("command:target"), {"region": world.district.pk, "rate": "87.5"})
    target = BoardTarget.objects.get()
    assert target.rate == Decimal("87.50") and target.updated_by == world.office
    entries = list(AuditEntry.objects.filter(object_type="command.boardtarget").order_by("pk"))
    assert [(e.action, e.before, e.after) for e in entries] == [
        ("create", {"rate": ""}, {"rate": "85.00"}),
        ("update", {"rate": "85.00"}, {"rate": "87.50"}),
    ]


def test_only_the_office_sets_targets(world: World, scored: Scored) -> None:
    assert login(world.leader).get(reverse("command:target")).status_code == 403
    assert login(world.user_s1).post(reverse("command:target"), {"rate": "90"}).status_code == 403
    # A region outside the office's answers 404.
    client = login(world.office)
    other = client.post(reverse("command:target"), {"region": 999999, "rate": "90"})
    assert other.status_code == 404
    assert not BoardTarget.objects.exists()
