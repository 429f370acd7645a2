"""Inspection history for the demo's score trends, loaded after :mod:`chuangcheng.demo.rounds`.

``load_score_history(stdout)`` creates, once, finished 模拟测评 rounds before last month's:
quarterly in the year before last, monthly since January of last year, each over about 36 points
drawn across the district. Compliance improves over time (about 74 % to 90 % 符合), some streets
and some clauses (小广告, 停放, 占道 …) lag. These are past rounds: their failures were handled
back then, so they open no cases. One 负面清单 event is recorded the month before last. Then the
office's monthly snapshots are published for each past month and the two past years, as a real
office would have done, so trends read stored figures. Fixed seeds make every load the same.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangcheng.accounts.models import User
from chuangcheng.cases.domain.periods import Period, month_period, parse_period
from chuangcheng.core import audit
from chuangcheng.core.models import AuditAction
from chuangcheng.demo import catalog
from chuangcheng.frameworks.enums import FrameworkStatus
from chuangcheng.frameworks.models import Framework
from chuangcheng.inspections.domain import checklist
from chuangcheng.inspections.enums import Result, RoundKind, RoundStatus
from chuangcheng.inspections.models import Inspection, Observation, Round, RoundPoint
from chuangcheng.orgs.models import Region
from chuangcheng.points.models import Point
from chuangcheng.scoring.domain.compute import compute_run
from chuangcheng.scoring.models import NegativeEvent

SEED = 20241
PREFIX = "（历史）"
POINTS_PER_ROUND = 36
HARD_WORDS = ("小广告", "停放", "占道", "乱贴", "垃圾", "油烟")


def history_months(today: dt.date) -> list[Period]:
    """Quarter-end months of the year before last, then every month from January of last year
    to the month before last (last month has the demo's own mock round)."""
    months = [month_period(today.year - 2, m) for m in (3, 6, 9, 12)]
    year, month = today.year - 1, 1
    last = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    before_last = (last - dt.timedelta(days=1)).replace(day=1)
    while (year, month) <= (before_last.year, before_last.month):
        months.append(month_period(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _pass_chance(index: int, total: int, street_bias: float, hard: bool) -> float:
    progress = index / max(1, total - 1)
    return 0.74 + 0.16 * progress + street_bias - (0.07 if hard else 0.0)


@transaction.atomic
def load_score_history(stdout: Any = None, *, today: dt.date | None = None) -> int:
    """Create the history rounds and snapshots; returns the observations written (0 when the
    history exists already)."""
    today = today or timezone.localdate()
    if Round.objects.filter(name__startswith=PREFIX).exists():
        return 0
    framework = Framework.objects.get(code=catalog.FRAMEWORK_CODE, status=FrameworkStatus.ACTIVE)
    district = Region.objects.get(code=catalog.DISTRICT_CODE)
    walker = User.objects.get(username="inspector")
    office = User.objects.get(username="office")
    rng = random.Random(SEED)
    clauses = checklist.field_clauses(framework)
    hard = {c.id for c in clauses if any(w in c.text for w in HARD_WORDS)}
    points = [
        p
        for p in Point.objects.filter(active=True, region__path__startswith=district.path)
        .select_related("region")
        .order_by("code")
        if checklist.for_type(clauses, p.type_id)
    ]
    street_paths = sorted({"/".join(p.region.path.split("/")[:3]) for p in points})
    bias = {path: rng.uniform(-0.06, 0.04) for path in street_paths}
    months = history_months(today)
    written = 0
    for index, period in enumerate(months):
        round_ = Round.objects.create(
            name=f"{PREFIX}{period.start.year}年{period.start.month}月模拟测评",
            kind=RoundKind.MOCK,
            framework=framework,
            region=district,
            period_start=period.start,
            period_end=period.last_day,
            seed=SEED + index,
            status=RoundStatus.CLOSED,
            created_by=office,
        )
        drawn = sorted(rng.sample(points, min(POINTS_PER_ROUND, len(points))), key=lambda p: p.code)
        rps = RoundPoint.objects.bulk_create(
            [
                RoundPoint(round=round_, point=p, seq=i, inspector=walker)
                for i, p in enumerate(drawn)
            ]
        )
        inspections = []
        for rp in rps:
            day = period.start + dt.timedelta(days=rng.randrange(20))
            when = timezone.make_aware(dt.datetime.combine(day, dt.time(9 + rng.randrange(8))))
            inspections.append(
                Inspection(
                    round_point=rp,
                    client_id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    inspector=walker,
                    observed_at=when,
                    received_at=when + dt.timedelta(hours=2),
                    lng=rp.point.lng,
                    lat=rp.point.lat,
                )
            )
        Inspection.objects.bulk_create(inspections)
        observations = []
        for inspection, point in zip(inspections, drawn, strict=True):
            street = "/".join(point.region.path.split("/")[:3])
            for clause in checklist.for_type(clauses, point.type_id):
                roll = rng.random()
                chance = _pass_chance(index, len(months), bias[street], clause.id in hard)
                if roll < 0.05:
                    result = Result.NA
                elif roll < 0.05 + 0.95 * chance:
                    result = Result.PASS
                else:
                    result = Result.FAIL
                observations.append(
                    Observation(inspection=inspection, clause_id=clause.id, result=result)
                )
        Observation.objects.bulk_create(observations)
        written += len(observations)
    _negative_event(framework, months[-1], office)
    audit.record(
        "demo", AuditAction.IMPORT, district, note=f"demo score history: {written} observations"
    )
    snapshots = _publish_snapshots(framework, district, today, office)
    if stdout is not None:
        stdout.write(
            _(
                "Demo score history: %(rounds)d past rounds with %(obs)d observations, "
                "%(snapshots)d published score snapshots."
            )
            % {"rounds": len(months), "obs": written, "snapshots": snapshots}
        )
    return written


def _negative_event(framework: Framework, period: Period, office: User) -> None:
    clause = (
        framework.nodes.filter(score__isnull=False, text__contains="垃圾").order_by("seq").first()
    )
    street = (
        Region.objects.filter(code="110101009").first()
        or Region.objects.filter(level="street").order_by("code").first()
    )
    if clause is None or street is None:
        return
    unit = street.units.filter(parent__isnull=True).order_by("code").first()
    event = NegativeEvent.objects.create(
        clause=clause,
        region=street,
        unit=unit,
        occurred_on=period.start + dt.timedelta(days=11),
        deduction=Decimal("0.5"),
        title="背街小巷垃圾堆积被媒体曝光",
        description="市级媒体报道胡同内垃圾堆积三日未清运，已责令整改并通报。",
        recorded_by=office,
    )
    audit.record(office, AuditAction.CREATE, event, note="demo negative-list event")


def _publish_snapshots(framework: Framework, district: Region, today: dt.date, office: User) -> int:
    """Each past month of the last twelve and the two past years, as published snapshots."""
    periods = [parse_period(str(today.year - 2)), parse_period(str(today.year - 1))]
    last = today.replace(day=1) - dt.timedelta(days=1)
    periods += month_period(last.year, last.month).previous_months(12)
    for period in periods:
        compute_run(
            framework=framework,
            region=district,
            period=period,
            actor=office,
            note=_("Monthly assessment (demo)"),
        )
    return len(periods)
