"""October 2026 evidence for the page and API tests, with every figure computed by hand.

p1 (多福巷, alley in 东华门街道 s1; units 多福巷社区居委会 C001 and 城管委 L001):
  10-05  1.1.1.1 pass, 1.1.1.2 fail, 2.1.1 pass
  10-12  1.1.1.1 pass, 1.1.1.2 pass, 2.1.1 fail
p2 (景山市场, market in 景山街道 s2; units 景山街道办事处 S002 and 市场监管局 L002):
  10-06  1.1.2.1 fail, 1.1.2.2 pass
  10-20  1.1.2.1 fail, 1.1.2.2 fail

District: 1.1.1 = 3 × 3/4 = 2.25 · 1.1.2.1 = 2 − 0.5 × 2 = 1 · 1.1.2.2 = 1 × 1/2 = 0.5 (field
only measured, coverage 0.7) · 1.2.1.1 未测 · 2.1.1 = 2 × 1/2 = 1.
Total 4.75 of 10; measured 8; 得分率 4.75 / 8 = 59.4 %; coverage (0.7125 × 8 + 2) / 10 = 77 %.
s1: 2.25 + 1 = 3.25 (measured 5) · s2: 1 + 0.5 = 1.5 (measured 3).
"""

from __future__ import annotations

from dataclasses import dataclass

from chuangcheng.inspections.enums import Result
from chuangcheng.inspections.models import Inspection
from tests.conftest import World
from tests.scoring.conftest import Scored, observe

PASS, FAIL = Result.PASS, Result.FAIL
PERIOD = "2026-10"


@dataclass
class October:
    inspections: list[Inspection]


def october(world: World, s: Scored) -> October:
    fw = s.framework
    return October(
        [
            observe(
                fw,
                world.p1,
                "2026-10-05",
                {s.clean_ground: PASS, s.clean_posters: FAIL, s.parking: PASS},
            ),
            observe(
                fw,
                world.p1,
                "2026-10-12",
                {s.clean_ground: PASS, s.clean_posters: PASS, s.parking: FAIL},
            ),
            observe(fw, world.p2, "2026-10-06", {s.market_rows: FAIL, s.market_records: PASS}),
            observe(fw, world.p2, "2026-10-20", {s.market_rows: FAIL, s.market_records: FAIL}),
        ]
    )
