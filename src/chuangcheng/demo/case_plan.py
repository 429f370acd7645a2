"""The demo's case histories as plans: for each case, when it was reported and each later step
with its time. Planning is pure (no database): :mod:`chuangcheng.demo.cases` then plays each plan
through the real domain functions at the planned times.

Historical cases run their whole course before the moment of loading; a handful of cases
(:data:`OPEN_CASES`) are left open at chosen points — some overdue, some due soon — so the
office's queue and each demo unit's 我的待办 have work in them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from django.utils import timezone

from chuangcheng.cases.enums import CaseSource
from chuangcheng.demo import case_texts as texts

HISTORY_DAYS = 182
HISTORICAL = 520
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

SOURCES = (
    (CaseSource.INSPECTION, 32),
    (CaseSource.SUPERVISOR, 26),
    (CaseSource.RESIDENT, 24),
    (CaseSource.HOTLINE, 18),
)
# What each source does not report: inspectors do not witness emergencies or night noise;
# people calling in do not audit signage and service windows.
NOT_FROM = {
    CaseSource.INSPECTION: {"S0106", "S0301", "S0401", "S0402"},
    CaseSource.SUPERVISOR: {"S0601", "B0602", "S0401", "S0402"},
    CaseSource.RESIDENT: {"S0202", "S0601", "B0602", "S0505", "B0301"},
    CaseSource.HOTLINE: {"S0202", "S0601", "B0602", "S0505", "B0301", "B0303"},
}
# Hours of the day reports come in (07:00–21:00), busier in the morning and late afternoon.
REPORT_HOURS = (7, 8, 9, 9, 10, 10, 10, 11, 11, 14, 15, 15, 16, 16, 17, 18, 19, 20)


@dataclass
class Step:
    """One thing done to the case: ``kind`` is dispatch, register, reject, suspend, resume,
    ask (an extension of ``hours``), decide (``grant``), feedback, fail or pass."""

    kind: str
    at: dt.datetime
    text: str = ""
    hours: int = 0
    grant: bool = False
    photo: bool = False


@dataclass
class Plan:
    t0: dt.datetime
    source: str
    code: str
    photo: bool
    steps: list[Step] = field(default_factory=list)
    lead: str = ""  # a unit code (open cases only); else the lead follows the category
    street: str = ""  # where to place it (open cases only)
    seq: int = 0

    @property
    def end(self) -> dt.datetime:
        return self.steps[-1].at if self.steps else self.t0

    def shift(self, delta: dt.timedelta) -> None:
        self.t0 += delta
        for step in self.steps:
            step.at += delta


def office_hours(moment: dt.datetime) -> dt.datetime:
    """Move a time outside 08:00–20:00 (local) to the next morning: staff act by day. Keeps
    the order of times (never moves one before another)."""
    local = timezone.localtime(moment)
    if 8 <= local.hour < 20:
        return moment
    day = local.date() + (dt.timedelta(days=1) if local.hour >= 20 else dt.timedelta())
    morning = dt.datetime.combine(day, dt.time(8, 0), tzinfo=local.tzinfo)
    return morning + dt.timedelta(minutes=local.minute % 30)


def _pick_kind(rng: random.Random, source: str) -> str:
    codes = [c for c in texts.KINDS if c not in NOT_FROM[CaseSource(source)]]
    return rng.choices(codes, [texts.KINDS[c].weight for c in codes])[0]


def _hours(rng: random.Random, lo: float, hi: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(lo, hi))


def history(
    rng: random.Random, now: dt.datetime, handle_hours: dict[str, int], urgent: set[str]
) -> list[Plan]:
    """:data:`HISTORICAL` cases reported over the last :data:`HISTORY_DAYS` days, each run to
    its end (closed, not registered, or suspended) half an hour before ``now``."""
    plans = []
    today = timezone.localtime(now).date()
    limit = now - 30 * MIN
    for _ in range(HISTORICAL):
        source = rng.choices([s for s, _w in SOURCES], [w for _s, w in SOURCES])[0]
        code = _pick_kind(rng, source)
        day = today - dt.timedelta(days=rng.randint(1, HISTORY_DAYS))
        start = dt.datetime.combine(
            day,
            dt.time(rng.choice(REPORT_HOURS), rng.randint(0, 59)),
            tzinfo=timezone.get_current_timezone(),
        )
        plan = Plan(t0=start, source=source, code=code, photo=_with_photo(rng, source))
        _course(plan, rng, dt.timedelta(hours=handle_hours[code]), urgent=code in urgent)
        if plan.end > limit:
            plan.shift(limit - plan.end)
        plans.append(plan)
    plans.sort(key=lambda p: p.t0)
    return plans


def _with_photo(rng: random.Random, source: str) -> bool:
    share = {CaseSource.INSPECTION: 0.6, CaseSource.SUPERVISOR: 0.55, CaseSource.RESIDENT: 0.5}
    return rng.random() < share.get(CaseSource(source), 0.0)


def _course(plan: Plan, rng: random.Random, handle: dt.timedelta, *, urgent: bool) -> None:
    """Fill in the steps of a case that runs its course: about 4 % not registered, 2 %
    suspended (most taken up again), 7 % asking for more time, 9 % handled late, 11 % failing
    the first re-check. Emergencies are handled around the clock; the rest in office hours,
    but never pushed past the deadline by that."""
    steps = plan.steps

    def by_day(moment: dt.datetime, before: dt.datetime | None = None) -> dt.datetime:
        if urgent:
            return moment
        moved = office_hours(moment)
        return moment if before is not None and moment < before <= moved else moved

    at = plan.t0
    if rng.random() < 0.04:
        steps.append(
            Step("reject", by_day(at + _hours(rng, 0.5, 6)), rng.choice(texts.REJECT_REASONS))
        )
        return
    at = by_day(
        at + (dt.timedelta(minutes=rng.randint(10, 50)) if urgent else _hours(rng, 0.3, 18))
    )
    steps.append(Step("dispatch", at))
    due = at + handle
    if rng.random() < 0.02:
        at = by_day(at + handle * rng.uniform(0.1, 0.4))
        steps.append(Step("suspend", at, rng.choice(texts.SUSPEND_REASONS)))
        if rng.random() < 0.3:
            return
        at = by_day(at + dt.timedelta(days=rng.randint(7, 30)))
        steps.append(Step("resume", at))
        due = at + handle
    start = at
    if rng.random() < 0.07:
        asked = by_day(start + (due - start) * rng.uniform(0.3, 0.6), due)
        more = rng.choice((48, 72, 120))
        grant = rng.random() < 0.8
        steps.append(Step("ask", asked, rng.choice(texts.EXTENSION_REASONS), hours=more))
        at = by_day(asked + _hours(rng, 1, 6))
        steps.append(Step("decide", at, grant=grant))
        if grant:
            due += dt.timedelta(hours=more)
    if rng.random() < 0.09:
        done = due + _hours(rng, 2, max(6.0, handle.total_seconds() / 3600))
    else:
        done = start + (due - start) * rng.uniform(0.15, 0.92)
    at = by_day(max(done, at + 30 * MIN), due)
    fixes = texts.KINDS[plan.code].fixes
    steps.append(Step("feedback", at, rng.choice(fixes), photo=plan.photo and rng.random() < 0.8))
    failures = 1 if rng.random() < 0.11 else 0
    if failures and rng.random() < 0.15:
        failures = 2
    for _ in range(failures):
        at = by_day(at + _hours(rng, 1, 8))
        steps.append(Step("fail", at, rng.choice(texts.REWORK_NOTES)))
        at = by_day(at + max(handle * rng.uniform(0.1, 0.5), 30 * MIN), due)
        steps.append(Step("feedback", at, rng.choice(fixes), photo=plan.photo))
    at = by_day(at + _hours(rng, 1, 8))
    steps.append(Step("pass", at, rng.choice(texts.VERIFY_NOTES)))


class Open(NamedTuple):
    """A case left open: its state, category, lead unit (a unit code) or street, and when its
    deadline is relative to now (hours; negative = overdue)."""

    state: str
    code: str
    source: str
    lead: str = ""
    street: str = ""
    due_in: float = 0


OPEN_CASES: tuple[Open, ...] = (
    Open("reported", "S0101", CaseSource.RESIDENT, street="110101001"),
    Open("reported", "S0502", CaseSource.HOTLINE, street="110101006"),
    Open("registered", "S0104", CaseSource.SUPERVISOR, street="110101001"),
    Open("dispatched", "S0101", CaseSource.INSPECTION, lead="110101001", due_in=-30),
    Open("dispatched", "B0102", CaseSource.HOTLINE, lead="cgw", street="110101002", due_in=-5),
    Open("dispatched", "S0602", CaseSource.INSPECTION, lead="scjg", street="110101011", due_in=-50),
    Open("dispatched", "S0201", CaseSource.SUPERVISOR, lead="110101002", due_in=6),
    Open("dispatched", "S0103", CaseSource.RESIDENT, lead="110101001001", due_in=10),
    Open("dispatched", "S0502", CaseSource.INSPECTION, lead="110101011", due_in=22),
    Open("rework", "B0105", CaseSource.INSPECTION, lead="cgw", street="110101001", due_in=-10),
    Open("rework", "S0104", CaseSource.SUPERVISOR, lead="110101001", due_in=30),
    Open("feedback", "S0202", CaseSource.INSPECTION, lead="110101002", due_in=20),
    Open("feedback", "S0501", CaseSource.HOTLINE, lead="110101011", due_in=8),
    Open("feedback", "S0103", CaseSource.INSPECTION, lead="110101001001", due_in=12),
    Open("suspended", "B0502", CaseSource.HOTLINE, lead="110101003", due_in=40),
)


def still_open(rng: random.Random, now: dt.datetime, handle_hours: dict[str, int]) -> list[Plan]:
    """The plans of :data:`OPEN_CASES`, timed back from ``now``."""
    plans = []
    for spec in OPEN_CASES:
        handle = dt.timedelta(hours=handle_hours[spec.code])
        due = now + dt.timedelta(hours=spec.due_in)
        dispatched = due - handle
        if spec.state in ("reported", "registered"):
            t0 = now - _hours(rng, 2, 6)
        else:
            t0 = dispatched - _hours(rng, 1, 4)
        plan = Plan(
            t0=t0,
            source=spec.source,
            code=spec.code,
            photo=spec.source != CaseSource.HOTLINE,
            lead=spec.lead,
            street=spec.street,
        )
        fix = rng.choice(texts.KINDS[spec.code].fixes)
        if spec.state == "registered":
            plan.steps.append(Step("register", t0 + HOUR))
        elif spec.state != "reported":
            plan.steps.append(Step("dispatch", dispatched))
        if spec.state == "rework":
            # Handled, then sent back before the deadline (and before now).
            span = min(due, now) - HOUR - dispatched
            plan.steps.append(Step("feedback", dispatched + span * 0.4, fix, photo=True))
            plan.steps.append(Step("fail", dispatched + span * 0.7, rng.choice(texts.REWORK_NOTES)))
        elif spec.state == "feedback":
            plan.steps.append(Step("feedback", now - 3 * HOUR, fix, photo=True))
        elif spec.state == "suspended":
            plan.steps.append(Step("suspend", dispatched + handle * 0.2, texts.SUSPEND_REASONS[0]))
        plans.append(plan)
    return plans
