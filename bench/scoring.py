"""Scoring speed: a full recompute over ~500,000 inspection item results, and the incremental
update after one new inspection.

    python bench/scoring.py                 # scratch SQLite file var/bench/scoring.sqlite3
    python bench/scoring.py --database-url postgres://postgres@127.0.0.1:5432/bench_scoring
    python bench/scoring.py --points 1000 --months 12 --items 500000

The database is migrated and loaded with the demo district (without its case history), topped up
to ``--points`` active points, and given ``--months`` months of inspections (the year before the
current one) with about ``--items`` judged item results in all (90 % 符合). Then it prints:
the time to score the whole year and one month (district, 17 streets and every unit), the
number of rows stored, and the time for one new inspection to update the live runs (the goal in
issue 4: full recompute within 3 s on SQLite on one core).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "var/bench/scoring.sqlite3"


def setup(database_url: str | None) -> None:
    if database_url is None:
        path = ROOT / SCRATCH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{path}"
    # Never the DATABASE_URL of the environment: the bench must not write into real data.
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "chuangcheng.settings"
    os.environ.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def top_up_points(target: int, rng: random.Random) -> int:
    from chuangcheng.points.models import Point

    points = list(Point.objects.filter(active=True).order_by("pk"))
    extra = []
    for i in range(max(0, target - len(points))):
        model = points[i % len(points)]
        extra.append(
            Point(
                code=f"B{i:06d}",
                name=f"{model.name}（加{i}）",
                type_id=model.type_id,
                region_id=model.region_id,
                territorial_unit_id=model.territorial_unit_id,
                line_unit_id=model.line_unit_id,
                lng=model.lng,
                lat=model.lat,
                active=True,
            )
        )
    Point.objects.bulk_create(extra, batch_size=1000)
    return Point.objects.filter(active=True).count()


def generate(months: int, items: int, rng: random.Random) -> tuple[int, int, int]:
    """Rounds by month (as many per month as needed to reach ``items``), each point inspected
    once per round, every field clause of its type judged."""
    from django.utils import timezone

    from chuangcheng.frameworks.models import Framework
    from chuangcheng.inspections.domain import checklist
    from chuangcheng.inspections.enums import Result, RoundKind, RoundStatus
    from chuangcheng.inspections.models import Inspection, Observation, Round, RoundPoint
    from chuangcheng.orgs.models import Region
    from chuangcheng.points.models import Point

    framework = Framework.objects.get(status="active")
    district = Region.objects.filter(level="district").order_by("path").first()
    assert district is not None
    clauses = checklist.field_clauses(framework)
    points = list(Point.objects.filter(active=True).values_list("pk", "type_id"))
    per_point = {pk: [c.id for c in checklist.for_type(clauses, t)] for pk, t in points}
    per_visit = sum(len(v) for v in per_point.values()) or 1
    visits = max(1, round(items / (months * per_visit)))
    year = timezone.localdate().year - 1
    n_rounds = n_inspections = n_obs = 0
    for month in range(1, months + 1):
        start = dt.date(year, month, 1)
        for visit in range(visits):
            rnd = Round.objects.create(
                name=f"bench {year}-{month:02d} #{visit}",
                kind=RoundKind.ROUTINE,
                framework=framework,
                region=district,
                period_start=start,
                period_end=start + dt.timedelta(days=27),
                seed=visit,
                status=RoundStatus.CLOSED,
            )
            n_rounds += 1
            rps = RoundPoint.objects.bulk_create(
                [RoundPoint(round=rnd, point_id=pk, seq=i) for i, (pk, _t) in enumerate(points)],
                batch_size=2000,
            )
            moments = [
                timezone.make_aware(
                    dt.datetime.combine(start + dt.timedelta(days=rng.randrange(28)), dt.time(9))
                )
                for _rp in rps
            ]
            inspections = Inspection.objects.bulk_create(
                [
                    Inspection(
                        round_point=rp,
                        client_id=uuid.uuid4(),
                        observed_at=when,
                        received_at=when,
                    )
                    for rp, when in zip(rps, moments, strict=True)
                ],
                batch_size=2000,
            )
            n_inspections += len(inspections)
            batch = []
            for inspection, rp in zip(inspections, rps, strict=True):
                for clause_id in per_point[rp.point_id]:
                    result = Result.PASS if rng.random() < 0.9 else Result.FAIL
                    batch.append(
                        Observation(inspection=inspection, clause_id=clause_id, result=result)
                    )
            Observation.objects.bulk_create(batch, batch_size=5000)
            n_obs += len(batch)
    return n_rounds, n_inspections, n_obs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--points", type=int, default=1000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--items", type=int, default=500_000)
    args = parser.parse_args()
    setup(args.database_url)

    import io

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from chuangcheng.cases.domain.periods import parse_period
    from chuangcheng.demo.loader import load_demo
    from chuangcheng.scoring.domain.reading import campaign_region, default_framework

    rng = random.Random(4)
    began = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(include_cases=False, stdout=io.StringIO())
    points = top_up_points(args.points, rng)
    began_gen = time.perf_counter()
    rounds, inspections, observations = generate(args.months, args.items, rng)
    print(f"database: {connection.vendor}; setup {began_gen - began:.1f} s")
    print(
        f"generated {points} points, {rounds} rounds, {inspections} inspections, "
        f"{observations} item results in {time.perf_counter() - began_gen:.1f} s"
    )
    framework, region = default_framework(), campaign_region()
    year = parse_period(str(timezone.localdate().year - 1))
    month = parse_period(f"{year.start.year}-06")
    measure_full(framework, region, year, month)
    measure_incremental(framework, region, year, month)


def measure_full(framework: Any, region: Any, year: Any, month: Any) -> None:
    from chuangcheng.scoring.domain.compute import compute_run

    for label, period in (("year", year), ("month", month)):
        timings = []
        for _i in range(3):
            t0 = time.perf_counter()
            run = compute_run(framework=framework, region=region, period=period)
            timings.append(time.perf_counter() - t0)
        print(
            f"full recompute, {label} {period.key}: best {min(timings):.2f} s of 3 "
            f"({run.rows.count()} rows stored)"
        )


def measure_incremental(framework: Any, region: Any, year: Any, month: Any) -> None:
    from django.utils import timezone

    from chuangcheng.inspections.enums import Result
    from chuangcheng.inspections.models import Inspection, Observation, Round, RoundPoint
    from chuangcheng.scoring.domain.compute import compute_run
    from chuangcheng.scoring.domain.incremental import apply_inspection
    from chuangcheng.scoring.enums import RunKind

    live = compute_run(framework=framework, region=region, period=month, kind=RunKind.LIVE)
    compute_run(framework=framework, region=region, period=year, kind=RunKind.LIVE)
    rp = RoundPoint.objects.filter(round__period_start=month.start).select_related("round").first()
    assert rp is not None
    clause_ids = list(
        Observation.objects.filter(inspection__round_point=rp).values_list("clause_id", flat=True)
    )
    moment = timezone.make_aware(
        dt.datetime.combine(month.start + dt.timedelta(days=3), dt.time(15))
    )
    timings = []
    written = 0
    for i in range(3):
        # A re-inspection of the same point in a round of its own (a round holds a point once).
        extra = Round.objects.create(
            name=f"bench re-inspection {i}",
            kind=rp.round.kind,
            framework=framework,
            region=rp.round.region,
            period_start=month.start,
            period_end=month.start,
            seed=i,
            status=rp.round.status,
        )
        inspection = Inspection.objects.create(
            round_point=RoundPoint.objects.create(round=extra, point_id=rp.point_id),
            client_id=uuid.uuid4(),
            observed_at=moment,
        )
        Observation.objects.bulk_create(
            [
                Observation(inspection=inspection, clause_id=c, result=Result.FAIL)
                for c in clause_ids
            ]
        )
        t0 = time.perf_counter()
        written = apply_inspection(inspection.pk)
        timings.append(time.perf_counter() - t0)
    live.refresh_from_db()
    print(
        f"incremental update after one inspection of {len(clause_ids)} items (month and year "
        f"live runs): best {min(timings) * 1000:.0f} ms of 3 ({written} rows written)"
    )


if __name__ == "__main__":
    main()
