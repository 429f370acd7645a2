"""The gap list, what-if and trends pages: who sees what, what they show, constant queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from chuangcheng.cases.domain.periods import parse_period
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.scoring.domain.compute import compute_run
from tests.conftest import World, login
from tests.factories import PointFactory
from tests.scoring.analysis_data import case_for, october
from tests.scoring.conftest import Scored, observe

GAPS = reverse("scoring_analysis:gaps")
WHAT_IF = reverse("scoring_analysis:what_if")
TRENDS = reverse("scoring_analysis:trends")
OCT = parse_period("2026-10")


@pytest.fixture
def november(monkeypatch: pytest.MonkeyPatch) -> None:
    """Today is 22 November 2026 for the trends (their periods end with the current one)."""
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: dt.date(2026, 11, 22))


def text(response) -> str:
    return response.content.decode()


def test_office_gap_list_shows_rows_cases_and_recoverable(world: World, scored: Scored) -> None:
    month = october(world, scored)
    page = text(login(world.office).get(GAPS, {"period": "2026-10"}))
    assert "无乱停车" in page and "东华门街道" in page and "景山街道" in page
    assert month.a.number in page and month.d.number in page
    assert reverse("cases:detail", args=[month.a.pk]) in page
    assert month.c.number not in page  # closed
    assert "+2.50" in page  # the district's recoverable total
    assert "−2.25" in page  # 道路街巷整洁 in 东华门街道


def test_unit_sees_only_its_own_gaps(world: World, scored: Scored) -> None:
    month = october(world, scored)
    client = login(world.user_s1)
    assert client.get(GAPS, {"period": "2026-10", "region": world.s2.pk}).status_code == 404
    assert client.get(GAPS, {"period": "2026-10", "region": world.s1.pk}).status_code == 404
    assert client.get(GAPS, {"period": "2026-10", "unit": world.unit_s2.pk}).status_code == 404
    page = text(client.get(GAPS, {"period": "2026-10"}))
    assert month.e.number not in page and "景山街道" not in page
    # 多福巷社区居委会 is under 东华门街道办事处: its own scores are the unit's to see.
    page = text(client.get(GAPS, {"period": "2026-10", "unit": world.unit_c1.pk}))
    assert month.a.number in page and month.e.number not in page


def test_users_without_score_rights_are_refused(world: World, scored: Scored) -> None:
    for url in (GAPS, WHAT_IF, TRENDS):
        assert login(world.nobody).get(url).status_code == 403
        assert login(world.inspector).get(url).status_code == 403


def test_what_if_page_projects_the_ticked_cases(world: World, scored: Scored) -> None:
    month = october(world, scored)
    response = login(world.office).get(
        WHAT_IF, {"period": "2026-10", "case": [month.a.pk, month.d.pk], "point": world.p2.pk}
    )
    page = text(response)
    assert response.status_code == 200
    assert 'id="sa-projected">7.00<' in page and 'id="sa-delta">+3.00<' in page


def test_what_if_refuses_a_case_the_user_may_not_see(world: World, scored: Scored) -> None:
    month = october(world, scored)
    client = login(world.user_s1)
    assert client.get(WHAT_IF, {"period": "2026-10", "case": month.e.pk}).status_code == 404
    assert client.get(WHAT_IF, {"period": "2026-10", "case": 987654}).status_code == 404
    bad = text(client.get(WHAT_IF, {"period": "2026-10", "case": "x"}))
    assert "msg-error" in bad


def test_trends_page_draws_the_chart_and_the_average(
    world: World, scored: Scored, november: None
) -> None:
    october(world, scored)
    page = text(login(world.office).get(TRENDS, {"grain": "month"}))
    assert "<polyline" in page or "<circle" in page
    assert 'id="sa-renormalised"' in page  # 2024 and 2025 were not measured
    assert "50.00%" in page


def test_unit_cannot_see_another_units_trend(world: World, scored: Scored) -> None:
    october(world, scored)
    client = login(world.user_s1)
    assert client.get(TRENDS, {"unit": world.unit_s2.pk}).status_code == 404
    assert client.get(TRENDS, {"region": world.district.pk}).status_code == 404
    assert client.get(TRENDS, {"node": 987654}).status_code == 404
    assert client.get(TRENDS, {"unit": world.unit_s1.pk}).status_code == 200
    assert login(world.user_s2).get(TRENDS, {"unit": world.unit_s2.pk}).status_code == 200


def _more(world: World, scored: Scored, n: int) -> None:
    """``n`` more alley points in s1 failing 路面整洁 on an October day, each with an open case."""
    for i in range(n):
        point = PointFactory(
            code=f"P09{i:03d}",
            name=f"胡同{i}",
            type=world.alley,
            region=world.c1,
            territorial_unit=world.unit_c1,
            line_unit=world.line_cg,
        )
        inspection = observe(
            scored.framework, point, f"2026-10-{10 + i:02d}", {scored.clean_ground: "fail"}
        )
        case_for(inspection, scored.clean_ground, CaseStatus.REWORK)


@pytest.mark.parametrize("url", [GAPS, WHAT_IF])
def test_gap_and_what_if_queries_do_not_grow_with_data(
    world: World, scored: Scored, django_assert_max_num_queries, url: str
) -> None:
    october(world, scored)
    client = login(world.office)
    client.get(url, {"period": "2026-10"})  # computes the live run once
    with django_assert_max_num_queries(30) as few:
        client.get(url, {"period": "2026-10"})
    _more(world, scored, 12)
    # The live run follows the new inspections (as the task does after each commit).
    compute_run(framework=scored.framework, region=world.district, period=OCT, kind="live")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, {"period": "2026-10"})
    assert response.status_code == 200
    assert text(response).count("胡同") >= 12


def test_trends_queries_do_not_grow_with_data(
    world: World, scored: Scored, django_assert_max_num_queries
) -> None:
    october(world, scored)
    client = login(world.office)
    client.get(TRENDS, {"grain": "month"})  # stores every period's live run
    with django_assert_max_num_queries(30) as few:
        client.get(TRENDS, {"grain": "month"})
    _more(world, scored, 12)
    for day in ("2026-06-03", "2026-07-03", "2026-08-03"):
        observe(scored.framework, world.p1, day, {scored.parking: "pass"})
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(TRENDS, {"grain": "month"}).status_code == 200


API = "/api/v1/score-analysis"


def test_api_gaps_give_exact_figures(world: World, scored: Scored) -> None:
    month = october(world, scored)
    data = login(world.office).get(f"{API}/gaps", {"period": "2026-10"}).json()
    assert (data["score"], data["measured_max"], data["recoverable"]) == (
        "4.0000",
        "8.0000",
        "2.5000",
    )
    first = data["rows"][0]
    assert (first["code"], first["scope"]["name"], first["lost"], first["per_case"]) == (
        "2.1.1",
        "东华门街道",
        "1.0000",
        "1.0000",
    )
    assert [c["id"] for c in first["open_cases"]] == [month.d.pk]


def test_api_what_if_projects_and_refuses_unseen_cases(world: World, scored: Scored) -> None:
    month = october(world, scored)
    body = {"period": "2026-10", "cases": [month.a.pk, month.d.pk], "points": [world.p2.pk]}
    data = login(world.office).post(f"{API}/what-if", body, content_type="application/json").json()
    assert (data["total"]["now"], data["total"]["projected"], data["total"]["delta"]) == (
        "4.0000",
        "7.0000",
        "3.0000",
    )
    client = login(world.user_s1)
    hidden = client.post(
        f"{API}/what-if",
        {"period": "2026-10", "cases": [month.e.pk]},
        content_type="application/json",
    )
    missing = client.post(
        f"{API}/what-if", {"period": "2026-10", "cases": [987654]}, content_type="application/json"
    )
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["detail"] == f"Case {month.e.pk} was not found."
    other = client.post(
        f"{API}/what-if",
        {"period": "2026-10", "region": world.s2.pk},
        content_type="application/json",
    )
    assert other.status_code == 404


def test_api_trends_scoped_to_the_user(world: World, scored: Scored, november: None) -> None:
    october(world, scored)
    client = login(world.user_s1)
    assert client.get(f"{API}/trends", {"unit": world.unit_s2.pk}).status_code == 404
    assert client.get(f"{API}/gaps", {"region": world.s2.pk}).status_code == 404
    assert client.get(f"{API}/trends", {"grain": "week"}).status_code == 422
    data = login(world.office).get(f"{API}/trends", {"grain": "quarter"}).json()
    assert [(p["period"], p["rate_pct"]) for p in data["points"][-2:]] == [
        ("2026-Q3", None),
        ("2026-Q4", "50.00"),
    ]
    assert data["renormalised"] is True
    assert login(world.nobody).get(f"{API}/trends").status_code == 403
