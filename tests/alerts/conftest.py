"""A month of data whose warnings are worked out by hand (read on 2026-11-20 12:00, Beijing).

Field results (the last 30 days: from 2026-10-21 12:00):
- p1 (alley in c1 under 东华门): 11-10 路面整洁 pass, 无小广告 fail, 无乱停车 fail; 11-15 路面
  整洁 pass, 无小广告 pass, 无乱停车 fail; 10-01 (too old) all pass. → 东华门 3 of 6 = 50 %.
- p2 (market in 景山): 11-12 划行归市 pass, 消毒记录 pass. → 景山 2 of 2 = 100 %.
Live run of November over the district: 1.1.1 道路街巷整洁 (城管委) 3 of 4 → 75 %; 2.1.1 无乱停车
(城管委) 0 of 2 → 0 %; 1.1.2.1 划行归市 and 1.1.2.2 消毒记录 (市场监管局) → 100 %.

Cases due in November (unit figures, read at NOW):
- 东华门街道办事处: closed on time (11-05), closed late (11-08), closed on time (11-10), overdue
  (due 11-15, 5 days ago) → due 4, on time 2 → 50 %.
- 景山街道办事处: three closed on time → 100 %.
- 区城管委: closed late (11-04) and two overdue (due 11-19, 1 day ago) → due 3, on time 0 → 0 %.
Overdue now: 东华门 1 case, oldest 5 days; 城管委 2 cases, oldest 1 day.

Recurring (30 days, 3 reports, 2 failed re-checks):
- 暴露垃圾 (S0101) at p2 reported on 11-01, 11-08, 11-15 → 3 times (景山街道办事处).
- 暴露垃圾 at p1 twice only.
- 积存垃圾渣土 (S0102) at the address 景山前街12号 in c2 (no point), three times.
- case with two failed re-checks, in rework, led by 多福巷社区居委会.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from chuangcheng.alerts.domain.kinds import KINDS, Finding, Param, register_kind
from chuangcheng.alerts.models import WarningRule
from chuangcheng.cases.enums import CaseStatus
from chuangcheng.cases.models import Case, Category
from tests.appraisal.conftest import closed
from tests.cases.figures_fixtures import TZ, at, make_case
from tests.conftest import World
from tests.scoring.conftest import Scored, build_scored, observe

NOW = dt.datetime(2026, 11, 20, 12, 0, tzinfo=TZ)
S = CaseStatus


@dataclass
class Month:
    world: World
    scored: Scored
    categories: dict[str, Category]
    reworked: Case


def _closed(region: Any, unit: Any, day: int, *, late: bool = False) -> Case:
    return closed(region, unit, 11, day, late=late)


def build_month(w: World, categories: dict[str, Category]) -> Month:
    sc = build_scored(w)
    fw = sc.framework
    observe(
        fw,
        w.p1,
        "2026-11-10",
        {sc.clean_ground: "pass", sc.clean_posters: "fail", sc.parking: "fail"},
    )
    observe(
        fw,
        w.p1,
        "2026-11-15",
        {sc.clean_ground: "pass", sc.clean_posters: "pass", sc.parking: "fail"},
    )
    observe(
        fw,
        w.p1,
        "2026-10-01",
        {sc.clean_ground: "pass", sc.clean_posters: "pass", sc.parking: "pass"},
    )
    observe(fw, w.p2, "2026-11-12", {sc.market_rows: "pass", sc.market_records: "pass"})

    _closed(w.c1, w.unit_s1, 5)
    _closed(w.c1, w.unit_s1, 8, late=True)
    _closed(w.c1, w.unit_s1, 10)
    make_case(w.c1, w.unit_s1, due=at(11, 15))
    for day in (3, 6, 9):
        _closed(w.c2, w.unit_s2, day)
    _closed(w.c1, w.line_cg, 4, late=True)
    make_case(w.c1, w.line_cg, due=at(11, 19))
    make_case(w.c2, w.line_cg, due=at(11, 19))

    garbage, heaps = categories["S0101"], categories["S0102"]
    for day in (1, 8, 15):
        make_case(
            w.s2, None, status=S.REGISTERED, category=garbage, point=w.p2, reported=at(11, day)
        )
        make_case(
            w.c2,
            None,
            status=S.REGISTERED,
            category=heaps,
            address="景山前街12号",
            reported=at(11, day, 9),
        )
    for day in (2, 9):
        make_case(
            w.c1, None, status=S.REGISTERED, category=garbage, point=w.p1, reported=at(11, day)
        )
    reworked = make_case(
        w.c1,
        w.unit_c1,
        status=S.REWORK,
        due=at(12, 5),
        dispatched=at(11, 10),
        rework=2,
        category=garbage,
    )
    return Month(w, sc, categories, reworked)


@pytest.fixture
def month(world: World, categories: dict[str, Category]) -> Month:
    return build_month(world, categories)


# A kind the engine tests steer by hand: it finds whatever FOUND holds.
FOUND: list[Finding] = []


@pytest.fixture
def steered() -> Any:
    if "test.steered" not in KINDS:

        @register_kind(
            "test.steered",
            label="Steered",
            params={"limit": Param("Limit", float, 5, minimum=0, maximum=10)},
        )
        def _steered(params: dict[str, Any], now: dt.datetime) -> list[Finding]:
            return list(FOUND)

    FOUND.clear()
    yield FOUND
    FOUND.clear()


def rule_for(kind: str, **kw: Any) -> WarningRule:
    """A rule watching ``kind`` with its defaults (in-app only unless told)."""
    values: dict[str, Any] = {"name": kind, "kind": kind, "params": {}, "level": "orange"}
    values.update(kw)
    return WarningRule.objects.create(**values)


@pytest.fixture(autouse=True)
def _presets_off(db: None) -> None:
    """The migration's preset rules are switched off, so each test evaluates only its own."""
    WarningRule.objects.update(enabled=False)
