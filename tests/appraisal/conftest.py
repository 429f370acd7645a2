"""A month (2026-10) scored by hand for the appraisal tests, and the September before it.

Clauses (district rows of the live run, October):
- 城管委 leads 1.1.1 道路街巷整洁 (3 points): 3 of 4 observations pass → 2.25; and 2.1.1 无乱停车
  (2 points): 1 of 2 → 1.00. 得分率 = 3.25 / 5 = 0.65.
- 市场监管局 leads 1.1.2.1 划行归市 (2, deduct 0.5): one failure → 1.50; and 1.1.2.2 消毒记录
  (1, field 0.7 + survey 0.3, survey 未测): pass → 1.00. 得分率 = 2.5 / 3 = 5/6.

Cases due in October, read on 5 November (scheme closure-30, maximum 100):
- 东华门街道办事处: 4 due — closed on time; closed late; closed on time after one rework;
  overdue. 结案率 3/4 ×30 = 22.5, 按期 2/4 ×30 = 15, (1 − 1/4) ×30 = 22.5, band 2 → 62.
- 景山街道办事处: 3 closed on time → 30 + 30 + 30 + 2 = 92.
- 区城管委: 3 closed on time + 1 overdue → 22.5 + 22.5 + 30 + 2 = 77.
- 区市场监管局: 1 closed on time → 92, but 1 case due is below the minimum of 3.

September: 东华门 3 closed on time (92); 景山 2 closed on time + 1 overdue (72).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from chuangcheng.cases.enums import CaseStatus
from chuangcheng.orgs.models import Unit
from tests.cases.figures_fixtures import TZ, at, make_case
from tests.conftest import World
from tests.scoring.conftest import Scored, build_scored, observe

NOW = dt.datetime(2026, 11, 5, 12, 0, tzinfo=TZ)
S = CaseStatus


@dataclass
class Month:
    world: World
    scored: Scored


def closed(region: Any, unit: Unit, month: int, day: int, *, late: bool = False, **kw: Any) -> Any:
    due = at(month, day)
    feedback = due + dt.timedelta(days=1) if late else due - dt.timedelta(days=1)
    return make_case(
        region,
        unit,
        status=S.CLOSED,
        due=due,
        feedback=feedback,
        closed=feedback + dt.timedelta(hours=3),
        **kw,
    )


def overdue(region: Any, unit: Unit, month: int, day: int) -> Any:
    return make_case(region, unit, status=S.DISPATCHED, due=at(month, day))


def build_cases(w: World) -> None:
    closed(w.c1, w.unit_s1, 10, 6)
    closed(w.c1, w.unit_s1, 10, 8, late=True)
    closed(w.c1, w.unit_s1, 10, 12, rework=1)
    overdue(w.c1, w.unit_s1, 10, 20)
    for day in (5, 9, 15):
        closed(w.c2, w.unit_s2, 10, day)
    for day in (7, 11, 21):
        closed(w.c1, w.line_cg, 10, day)
    overdue(w.c2, w.line_cg, 10, 25)
    closed(w.c2, w.line_sj, 10, 14)
    # September
    for day in (3, 10, 17):
        closed(w.c1, w.unit_s1, 9, day)
    closed(w.c2, w.unit_s2, 9, 4)
    closed(w.c2, w.unit_s2, 9, 11)
    overdue(w.c2, w.unit_s2, 9, 18)


def build_observations(w: World, sc: Scored) -> None:
    fw = sc.framework
    observe(
        fw,
        w.p1,
        "2026-10-10",
        {sc.clean_ground: "pass", sc.clean_posters: "fail", sc.parking: "fail"},
    )
    observe(
        fw,
        w.p1,
        "2026-10-20",
        {sc.clean_ground: "pass", sc.clean_posters: "pass", sc.parking: "pass"},
    )
    observe(fw, w.p2, "2026-10-12", {sc.market_rows: "fail", sc.market_records: "pass"})


@pytest.fixture
def month(world: World) -> Month:
    sc = build_scored(world)
    build_cases(world)
    build_observations(world, sc)
    return Month(world, sc)
