"""A month of inspections on the ``scored`` framework with cases, for the analysis tests.

October 2026 (every figure below is computed by hand in the tests):

- p1 (alley, street s1): 路面整洁 F (case A, open), 无小广告 P, 无乱停车 F (case D, open)
- p1b (alley, street s1): 路面整洁 F (case B, open), 无小广告 F (case C, closed), 无乱停车 P
- p2 (market, street s2): 划行归市 F (case E, open), 消毒记录 F (no case)
- p3 (alley, street s2): 路面整洁 P, 无小广告 P
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from chuangcheng.cases.enums import CaseSource, CaseStatus
from chuangcheng.cases.models import Case
from chuangcheng.inspections.models import Inspection, Observation
from chuangcheng.points.models import Point
from tests.conftest import World
from tests.factories import PointFactory
from tests.scoring.conftest import Scored, at, observe

_numbers = itertools.count(1)


@dataclass
class Month:
    p1b: Point
    p3: Point
    a: Case
    b: Case
    c: Case
    d: Case
    e: Case


def case_for(inspection: Inspection, clause: object, status: str = CaseStatus.DISPATCHED) -> Case:
    """A case produced by the failed observation of ``clause`` in ``inspection``."""
    obs = Observation.objects.get(inspection=inspection, clause=clause)
    point = inspection.round_point.point
    case = Case.objects.create(
        number=f"T{next(_numbers):06d}",
        source=CaseSource.INSPECTION,
        status=status,
        description="督查发现问题",
        point=point,
        clause=obs.clause,
        region=point.region,
        territorial_unit=point.territorial_unit,
        line_unit=point.line_unit,
        reported_at=inspection.observed_at,
    )
    obs.case = case
    obs.save(update_fields=["case"])
    return case


def october(world: World, s: Scored) -> Month:
    fw = s.framework
    p1b = PointFactory(
        code="P00011",
        name="多福巷东口",
        type=world.alley,
        region=world.c1,
        territorial_unit=world.unit_c1,
        line_unit=world.line_cg,
    )
    p3 = PointFactory(
        code="P00013",
        name="吉祥胡同",
        type=world.alley,
        region=world.c2,
        territorial_unit=world.unit_s2,
        line_unit=world.line_cg,
    )
    i1 = observe(
        fw,
        world.p1,
        "2026-10-05",
        {s.clean_ground: "fail", s.clean_posters: "pass", s.parking: "fail"},
    )
    i1b = observe(
        fw, p1b, "2026-10-06", {s.clean_ground: "fail", s.clean_posters: "fail", s.parking: "pass"}
    )
    i2 = observe(fw, world.p2, "2026-10-07", {s.market_rows: "fail", s.market_records: "fail"})
    observe(fw, p3, "2026-10-08", {s.clean_ground: "pass", s.clean_posters: "pass"})
    return Month(
        p1b=p1b,
        p3=p3,
        a=case_for(i1, s.clean_ground),
        b=case_for(i1b, s.clean_ground),
        c=case_for(i1b, s.clean_posters, CaseStatus.CLOSED),
        d=case_for(i1, s.parking),
        e=case_for(i2, s.market_rows),
    )


__all__ = ["Month", "at", "case_for", "october"]
