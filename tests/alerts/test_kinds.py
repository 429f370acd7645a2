"""Each built-in kind's findings on the month of conftest.py, with values worked out by hand."""

from __future__ import annotations

import hashlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from chuangcheng.alerts.domain.kinds import KINDS, Finding
from chuangcheng.alerts.domain.params import clean_params
from tests.alerts.conftest import NOW, Month


def run(code: str, **params: object) -> list[Finding]:
    kind = KINDS[code]
    return list(kind.evaluate(clean_params(kind, params), NOW))


def test_every_builtin_kind_is_registered() -> None:
    assert {
        "inspections.street_compliance",
        "cases.on_time_rate",
        "cases.overdue",
        "scoring.clause_below_pass",
        "cases.recurring",
    } <= set(KINDS)


def test_street_compliance_below_threshold(month: Month) -> None:
    w = month.world
    [found] = run("inspections.street_compliance", threshold=80, days=30, min_items=5)
    assert found.key == "street:110101001"
    assert found.value == 50.0
    assert found.unit_id == w.unit_s1.pk
    assert found.region_id == w.s1.pk
    assert found.url == "/scoring/?region=110101001"
    with translation.override("en"):
        [found] = run("inspections.street_compliance", threshold=80, days=30, min_items=5)
    assert found.title == "东华门街道: compliance 50.0% over the last 30 days"
    assert found.detail == (
        "3 of 6 items judged at inspected points were compliant; the threshold is 80%."
    )


def test_street_compliance_needs_enough_items_and_a_low_rate(month: Month) -> None:
    assert run("inspections.street_compliance", threshold=80, min_items=7) == []
    assert run("inspections.street_compliance", threshold=50, min_items=1) == []
    # 90 days reach the all-pass visit of 10-01: 6 of 9 = 66.7 %.
    [found] = run("inspections.street_compliance", threshold=80, days=90, min_items=1)
    assert found.value == 66.7


def test_on_time_rate_reads_the_unit_figures(month: Month) -> None:
    w = month.world
    found = {f.key: f for f in run("cases.on_time_rate", threshold=80, min_due=3)}
    assert set(found) == {"unit:S001:2026-11", "unit:L001:2026-11"}
    assert found["unit:S001:2026-11"].value == 50.0
    assert found["unit:S001:2026-11"].unit_id == w.unit_s1.pk
    assert found["unit:S001:2026-11"].region_id == w.s1.pk
    assert found["unit:L001:2026-11"].value == 0.0
    assert found["unit:S001:2026-11"].url == (
        f"/cases/figures/cases/?figure=due&unit={w.unit_s1.pk}&period=2026-11"
    )
    # 城管委 has 3 cases due: with 4 needed only 东华门 (4 due) is left.
    assert [f.key for f in run("cases.on_time_rate", threshold=80, min_due=4)] == [
        "unit:S001:2026-11"
    ]
    assert run("cases.on_time_rate", threshold=0) == []


def test_overdue_level_grows_with_count_and_age(month: Month) -> None:
    w = month.world
    found = {f.key: f for f in run("cases.overdue")}
    assert set(found) == {"unit:S001", "unit:L001"}
    s1, cg = found["unit:S001"], found["unit:L001"]
    assert (s1.value, s1.level) == (1.0, "orange")  # 5 days ≥ 2
    assert (cg.value, cg.level) == (2.0, "yellow")  # 2 cases, 1 day
    assert s1.url == f"/cases/?unit={w.unit_s1.pk}&overdue=1"
    assert cg.unit_id == w.line_cg.pk
    found = {f.key: f for f in run("cases.overdue", red_days=5, orange_count=2)}
    assert found["unit:S001"].level == "red"
    assert found["unit:L001"].level == "orange"
    assert [f.key for f in run("cases.overdue", min_count=2)] == ["unit:L001"]


def test_clause_below_pass_line_in_the_live_run(month: Month) -> None:
    sc, w = month.scored, month.world
    [parking] = run("scoring.clause_below_pass", pass_line=60)
    assert parking.key == f"clause:{sc.parking.pk}:2026-11"
    assert parking.value == 0.0
    assert parking.unit_id == w.line_cg.pk
    assert parking.region_id == w.district.pk
    assert parking.url == f"/scoring/node/{sc.parking.pk}/?period=2026-11"
    found = {f.key: f.value for f in run("scoring.clause_below_pass", pass_line=80)}
    assert found == {
        f"clause:{sc.parking.pk}:2026-11": 0.0,
        f"clause:{sc.clean.pk}:2026-11": 75.0,
    }


def test_recurring_problems(month: Month) -> None:
    w, c = month.world, month.categories
    found = {f.key: f for f in run("cases.recurring", count=3, days=30, rework_count=2)}
    digest = hashlib.sha256("景山前街12号".encode()).hexdigest()[:12]
    assert set(found) == {
        "point:P00002:S0101",
        f"place:110101002001:S0102:{digest}",
        f"case:{month.reworked.number}:rework",
    }
    at_point = found["point:P00002:S0101"]
    assert (at_point.value, at_point.unit_id, at_point.region_id) == (3.0, w.unit_s2.pk, w.s2.pk)
    assert at_point.url == f"/cases/?category={c['S0101'].pk}&street={w.s2.pk}&from=2026-10-21"
    reworked = found[f"case:{month.reworked.number}:rework"]
    assert (reworked.value, reworked.unit_id) == (2.0, w.unit_c1.pk)
    assert reworked.url == f"/cases/{month.reworked.pk}/"
    # Two reports at p1 count with a threshold of 2; three failed re-checks are not reached.
    keys = {f.key for f in run("cases.recurring", count=2, rework_count=3)}
    assert "point:P00001:S0101" in keys
    assert f"case:{month.reworked.number}:rework" not in keys


@pytest.mark.parametrize(
    "code",
    [
        "inspections.street_compliance",
        "cases.on_time_rate",
        "cases.overdue",
        "cases.recurring",
    ],
)
def test_kinds_answer_in_a_fixed_number_of_queries(month: Month, code: str) -> None:
    kind = KINDS[code]
    params = clean_params(kind, {})
    with CaptureQueriesContext(connection) as small:
        list(kind.evaluate(params, NOW))
    build_more(month)
    with CaptureQueriesContext(connection) as big:
        list(kind.evaluate(params, NOW))
    assert len(big) == len(small)


def build_more(month: Month) -> None:
    """Double the cases and observations with more units."""
    from tests.alerts.conftest import _closed, at, make_case
    from tests.factories import UnitFactory

    w = month.world
    for i in range(4):
        unit = UnitFactory(code=f"X{i}", region=w.s2)
        _closed(w.c2, unit, 6, late=True)
        make_case(w.c2, unit, due=at(11, 18))
        make_case(w.c2, unit, due=at(11, 17))
        make_case(w.c2, unit, due=at(11, 16))
