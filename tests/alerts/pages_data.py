"""Four warnings in the two-street world, one rule; who sees which is worked out by hand.

- w_c1: red, 多福巷社区居委会 (under 东华门街道办事处), in the community c1.
- w_s2: orange, 景山街道办事处, in 景山.
- w_line: yellow, 区城管委 (a line department), in the district.
- w_region: orange, no unit, in 东华门 (the office is told).
Office and leader (district) see all four; 东华门's account sees w_c1; 景山's sees w_s2; 城管委's
sees w_line; inspectors and users without a grant see none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from chuangcheng.alerts.models import Warning, WarningRule
from tests.alerts.conftest import NOW
from tests.conftest import World


@dataclass
class Four:
    rule: WarningRule
    w_c1: Warning
    w_s2: Warning
    w_line: Warning
    w_region: Warning


def warning(
    rule: WarningRule, key: str, level: str, region: Any, unit: Any = None, **kw: Any
) -> Warning:
    return Warning.objects.create(
        rule=rule,
        key=key,
        level=level,
        title=f"预警 {key}",
        detail="详情",
        value=1.0,
        unit=unit,
        region=region,
        url="/cases/?overdue=1",
        raised_at=kw.pop("raised_at", NOW),
        last_seen_at=NOW,
        last_notified_at=NOW,
        notify_count=1,
        **kw,
    )


def four(world: World) -> Four:
    rule = WarningRule.objects.create(name="测试规则", kind="cases.overdue", level="orange")
    w = world
    return Four(
        rule,
        warning(rule, "c1", "red", w.c1, w.unit_c1),
        warning(rule, "s2", "orange", w.s2, w.unit_s2, raised_at=NOW - dt.timedelta(hours=1)),
        warning(
            rule, "line", "yellow", w.district, w.line_cg, raised_at=NOW - dt.timedelta(hours=2)
        ),
        warning(rule, "region", "orange", w.s1, raised_at=NOW - dt.timedelta(hours=3)),
    )
