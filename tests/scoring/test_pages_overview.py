"""/scoring/: the score overview — hand-computed figures, who sees which scope, snapshots and
a constant number of queries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuangcheng.orgs.models import Region, Unit
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.enums import RunKind
from chuangcheng.scoring.models import ScoreRun
from tests.conftest import World, login
from tests.factories import PointFactory, RegionFactory, UnitFactory
from tests.scoring.conftest import Scored, observe
from tests.scoring.pages_data import FAIL, PASS, PERIOD, October, october

URL = "/scoring/"


@pytest.fixture
def oct_data(world: World, scored: Scored) -> October:
    return october(world, scored)


def _tree_rows(response: Any) -> dict[str, Any]:
    return {n.code: n.cell for n, _d, _p in response.context["rows"]}


def test_office_sees_hand_computed_district_tree(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.office).get(URL, {"period": PERIOD})
    assert r.status_code == 200
    root = r.context["root"]
    assert root.cell.score == Decimal("4.75")
    assert root.cell.max_score == Decimal(10)
    assert root.cell.measured_max == Decimal(8)
    assert root.cell.coverage == Decimal("0.77")
    cells = _tree_rows(r)
    assert cells["1.1.1"].score == Decimal("2.25")
    assert cells["1.1.2.1"].score == Decimal("1")
    assert cells["1.1.2.2"].score == Decimal("0.5")
    assert cells["1.1.2.2"].coverage == Decimal("0.7")
    assert cells["1.1.2"].coverage == Decimal("0.9")
    assert cells["1.2.1.1"].score is None  # 未测, never 0
    assert cells["1.2"].score is None
    assert cells["2"].score == Decimal("1")
    html = r.content.decode()
    assert "4.75" in html and "59.4%" in html and "77%" in html
    assert 'class="badge sc-untested"' in html
    assert r.context["run"].kind == RunKind.LIVE
    assert r.context["can_compute"] is True


def test_streets_and_units_tables(world: World, scored: Scored, oct_data: October) -> None:
    r = login(world.leader).get(URL, {"period": PERIOD})
    streets = {row.name: row for row in r.context["streets"]}
    assert streets["东华门街道"].total.score == Decimal("3.25")
    assert streets["东华门街道"].total.measured_max == Decimal(5)
    assert streets["景山街道"].total.score == Decimal("1.5")
    assert streets["景山街道"].total.measured_max == Decimal(3)
    assert [c.score for _p, c in streets["景山街道"].projects] == [Decimal("1.5"), None]
    units = {row.code: row.total.score for row in r.context["units"]}
    assert units == {
        "C001": Decimal("3.25"),
        "L001": Decimal("3.25"),
        "L002": Decimal("1.5"),
        "S002": Decimal("1.5"),
    }
    assert r.context["can_compute"] is False  # a leader reads, never recomputes
    html = r.content.decode()
    assert "region=110101002" in html and "unit=S002" in html


def test_street_scope_shows_its_own_tree(world: World, scored: Scored, oct_data: October) -> None:
    r = login(world.office).get(URL, {"period": PERIOD, "region": world.s2.code})
    assert r.status_code == 200
    assert r.context["root"].cell.score == Decimal("1.5")
    assert r.context["streets"] == []  # the comparison belongs to the district's page
    r = login(world.office).get(URL, {"period": PERIOD, "scope": "unit:L001"})
    assert r.context["root"].cell.score == Decimal("3.25")


def test_unit_sees_own_tree_and_no_other_unit(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.user_s2).get(URL, {"period": PERIOD})
    assert r.status_code == 200
    assert r.context["found"].unit == world.unit_s2
    assert r.context["root"].cell.score == Decimal("1.5")
    assert r.context["streets"] == [] and r.context["units"] == []
    assert r.context["snapshots"] == []
    html = r.content.decode()
    assert "多福巷" not in html and "东华门街道" not in html and "C001" not in html
    assert [o["code"] for o in r.context["scopes"]] == ["S002"]


def test_unit_sees_clauses_it_leads_with_district_figures(
    world: World, scored: Scored, oct_data: October
) -> None:
    r = login(world.user_line).get(URL, {"period": PERIOD})
    assert r.context["found"].unit == world.line_cg
    led = {row.node.code: row.cell.score for row in r.context["led"]}
    assert led == {"1.1.1": Decimal("2.25"), "2.1.1": Decimal("1")}
    # unit_s1 leads nothing: its own tree only (nothing observed at its own points: 未测).
    r = login(world.user_s1).get(URL, {"period": PERIOD})
    assert r.context["found"].unit == world.unit_s1
    assert r.context["led"] == []
    assert r.context["root"].cell.score is None


@pytest.mark.parametrize(
    "query",
    [{"unit": "S002"}, {"region": "110101001"}, {"region": "110101"}, {"scope": "unit:L002"}],
)
def test_unit_gets_404_outside_its_scope(
    world: World, scored: Scored, oct_data: October, query: dict[str, str]
) -> None:
    r = login(world.user_s1).get(URL, {"period": PERIOD, **query})
    assert r.status_code == 404


def test_unknown_codes_and_runs_are_404(world: World, scored: Scored) -> None:
    client = login(world.office)
    assert client.get(URL, {"region": "999"}).status_code == 404
    assert client.get(URL, {"unit": "NOPE"}).status_code == 404
    assert client.get(URL, {"run": "999999"}).status_code == 404
    assert client.get(URL, {"run": "x"}).status_code == 404


def test_nobody_is_refused(world: World, scored: Scored) -> None:
    assert login(world.nobody).get(URL).status_code == 403
    assert login(world.inspector).get(URL).status_code == 403
    assert ScoreRun.objects.count() == 0  # nothing computed for a refused question


def test_bad_period_says_so_and_shows_this_month(world: World, scored: Scored) -> None:
    r = login(world.office).get(URL, {"period": "2026-13"})
    assert r.status_code == 200
    assert r.context["error"]


def test_previous_months_are_linked(world: World, scored: Scored) -> None:
    r = login(world.office).get(URL, {"period": PERIOD})
    assert [k for k, _l in r.context["previous"]] == ["2026-09", "2026-08", "2026-07"]


def test_snapshot_view_never_changes(world: World, scored: Scored, oct_data: October) -> None:
    client = login(world.office)
    r = client.post(f"{URL}snapshot/?period={PERIOD}", {"note": "11月通报"})
    assert r.status_code == 302
    snap = ScoreRun.objects.get(kind=RunKind.SNAPSHOT)
    assert snap.note == "11月通报" and snap.created_by == world.office
    assert f"run={snap.pk}" in r["Location"]
    observe(scored.framework, world.p1, "2026-10-25", {scored.parking: PASS})
    live = ScoreRun.objects.get(kind=RunKind.LIVE)
    compute_run(framework=scored.framework, region=world.district, period=_oct(), kind="live")
    r = client.get(URL, {"run": snap.pk})
    assert r.context["run"] == snap
    assert r.context["root"].cell.score == Decimal("4.75")
    assert [s.pk for s in r.context["snapshots"]] == [snap.pk]
    r = client.get(URL, {"period": PERIOD})
    assert r.context["run"] == live
    # 2.1.1 now 2 passed of 3: 2 × 2/3 = 1.3333; total 3.75 + 1.3333.
    assert r.context["root"].cell.score == Decimal("5.0833")


def _oct() -> Any:
    from chuangcheng.cases.domain.periods import parse_period

    return parse_period(PERIOD)


def test_recompute_and_snapshot_are_for_the_office(
    world: World, scored: Scored, oct_data: October
) -> None:
    login(world.office).get(URL, {"period": PERIOD})
    live = ScoreRun.objects.get(kind=RunKind.LIVE)
    assert login(world.leader).post(f"{URL}recompute/?period={PERIOD}").status_code == 403
    assert (
        login(world.leader).post(f"{URL}snapshot/?period={PERIOD}", {"note": "x"}).status_code
        == 403
    )
    assert login(world.user_s1).post(f"{URL}recompute/?period={PERIOD}").status_code == 403
    assert (
        login(world.user_s1).post(f"{URL}recompute/?period={PERIOD}&unit=S002").status_code == 404
    )
    observe(scored.framework, world.p1, "2026-10-25", {scored.parking: PASS})
    r = login(world.office).post(f"{URL}recompute/?period={PERIOD}")
    assert r.status_code == 302
    live.refresh_from_db()
    assert live.rows.get(node=scored.parking, region=world.district).score == Decimal("1.3333")
    assert ScoreRun.objects.filter(kind=RunKind.SNAPSHOT).count() == 0
    r = login(world.office).post(f"{URL}snapshot/?period={PERIOD}", {"note": ""})
    assert r.status_code == 302
    assert ScoreRun.objects.filter(kind=RunKind.SNAPSHOT).count() == 0


def _grow(world: World, scored: Scored, n: int) -> None:
    """n more streets, each with a point, two units and an inspection."""
    for i in range(n):
        street = RegionFactory(code=f"1101010{50 + i}", name=f"新街道{i}", parent=world.district)
        terr = UnitFactory(code=f"T{100 + i}", name=f"街道办{i}", region=street)
        line = UnitFactory(code=f"X{100 + i}", name=f"委办局{i}", region=world.district)
        point = PointFactory(
            code=f"P9{i:04d}",
            type=world.alley,
            region=street,
            territorial_unit=terr,
            line_unit=line,
        )
        observe(scored.framework, point, "2026-10-08", {scored.clean_ground: FAIL})


def _count(client: Any, query: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(URL, query).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_data(
    world: World, scored: Scored, oct_data: October
) -> None:
    client = login(world.office)
    query = {"period": PERIOD}
    unit_client = login(world.user_line)
    client.get(URL, query)  # computes the live run once
    unit_client.get(URL, query)
    small = _count(client, query)
    unit_small = _count(unit_client, query)
    _grow(world, scored, 12)
    compute_run(framework=scored.framework, region=world.district, period=_oct(), kind="live")
    assert Region.objects.count() > 15 and Unit.objects.count() > 25
    assert len(login(world.office).get(URL, query).context["units"]) == 4 + 24
    assert _count(client, query) == small
    assert _count(unit_client, query) == unit_small
