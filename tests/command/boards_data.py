"""Cases for the dashboard tests, placed relative to a moment ``now`` so every figure can be
counted by hand (see :func:`build`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chuangcheng.cases.enums import CaseStatus, ExtensionStatus
from chuangcheng.cases.models import Case, ExtensionRequest
from tests.cases.figures_fixtures import TZ, make_case
from tests.conftest import World

S = CaseStatus
# A fixed moment for the domain tests: Friday 20 November 2026, 15:00 in Beijing.
NOW = dt.datetime(2026, 11, 20, 15, 0, tzinfo=TZ)
H = dt.timedelta(hours=1)
D = dt.timedelta(days=1)


@dataclass
class Cases:
    """In 东华门 (c1): A, B reported (intake); D overdue at 东华门街道办事处; F awaiting re-check
    at 多福巷社区; G at 城管委 due in 10 h with an extension asked; I sent back to 多福巷社区.
    In 景山 (c2): C reported; E overdue at 景山街道办事处; H closed yesterday.

    Open 8 (all but H), overdue 2 (D, E), intake 3, re-check 1, extension 1.
    东华门: open 6, overdue 1 · 景山: open 2, overdue 1.
    """

    a: Case
    b: Case
    c: Case
    d: Case
    e: Case
    f: Case
    g: Case
    h: Case
    i: Case


def build(w: World, now: dt.datetime) -> Cases:
    a = make_case(w.c1, None, status=S.REPORTED, reported=now - 3 * H)
    b = make_case(w.c1, None, status=S.REPORTED, reported=now - D)
    c = make_case(w.c2, None, status=S.REPORTED, reported=now - 2 * H)
    d = make_case(w.c1, w.unit_s1, due=now - D, reported=now - 5 * D)
    e = make_case(w.c2, w.unit_s2, due=now - 2 * D, reported=now - 6 * D)
    f = make_case(
        w.c1, w.unit_c1, status=S.FEEDBACK, due=now + D, feedback=now - H, reported=now - 4 * D
    )
    g = make_case(w.c1, w.line_cg, due=now + 10 * H, reported=now - D - H)
    h = make_case(
        w.c2,
        w.unit_s2,
        status=S.CLOSED,
        due=now - 3 * D,
        feedback=now - 4 * D,
        closed=now - D,
        reported=now - 40 * D,
    )
    i = make_case(w.c1, w.unit_c1, status=S.REWORK, due=now + 3 * D, reported=now - 10 * D)
    ExtensionRequest.objects.create(
        case=g,
        unit=w.line_cg,
        asked_at=now - 2 * H,
        reason="材料未到",
        new_due_at=now + 2 * D,
        status=ExtensionStatus.ASKED,
    )
    return Cases(a, b, c, d, e, f, g, h, i)


def more(w: World, now: dt.datetime, n: int = 20) -> None:
    """``n`` more cases of every kind in both streets, for the constant-query checks."""
    kinds = (
        (w.c1, w.unit_s1, S.DISPATCHED, now - D),
        (w.c2, w.unit_s2, S.DISPATCHED, now + D),
        (w.c1, w.unit_c1, S.FEEDBACK, now + D),
        (w.c2, None, S.REPORTED, None),
        (w.c1, w.line_cg, S.REWORK, now - 2 * D),
    )
    for k in range(n):
        region, unit, status, due = kinds[k % len(kinds)]
        case = make_case(
            region,
            unit,
            status=status,
            due=due,
            feedback=now - H if status == S.FEEDBACK else None,
            reported=now - (k + 1) * H,
        )
        if k % 4 == 0 and unit is not None:
            ExtensionRequest.objects.create(
                case=case, unit=unit, asked_at=now, reason="x", new_due_at=now + 3 * D
            )
