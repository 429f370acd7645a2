"""The leader's dashboard over 1,000,000 cases on PostgreSQL: its case aggregates as the code
runs them, beside the same aggregates written as plain SQL over the base tables.

    createdb -h 127.0.0.1 -U postgres bench_boards
    python bench/dashboard.py --database-url postgres://postgres@127.0.0.1:5432/bench_boards
    BENCH_DATABASE_URL=postgres://…/bench_boards make bench      # the same, with the others

The database (named ``bench…``, so real data is never written to) is migrated and given the
demo district without its case history, then topped up to ``--cases`` cases with
``INSERT … SELECT generate_series`` in batches: spread over the district's communities, the
categories, the sources and the statuses of a case's life, reported over the last two years,
each dispatched case with its lead unit. A second run reuses what is there. Then it prints, best
of ``--repeat``: each aggregate of the leader's view (open and overdue cases, by street, per
month) through the dashboard's code (``Case.objects.visible_to(leader)``) and as plain SQL, and
the whole page ``/board/leader/``, ``/api/v1/dashboard/leader`` and the big screen's refresh.
Without a PostgreSQL URL it
says so and does nothing.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
BATCH = 100_000
PREFIX = "B"  # case numbers of generated cases: B000000001 …


def database_url(given: str | None) -> str | None:
    url = given or os.environ.get("BENCH_DATABASE_URL")
    if not url or urlparse(url).scheme not in {"postgres", "postgresql", "pgsql"}:
        return None
    return url


def setup(url: str) -> None:
    name = urlparse(url).path.lstrip("/")
    if not name.startswith("bench"):
        raise SystemExit(f"refusing to load a million cases into {name!r}: use a bench… database")
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "chuangcheng.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    timings, result = [], None
    for _i in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        timings.append(time.perf_counter() - t0)
    return min(timings), result


# Statuses over a case's life, with their share per thousand; closed cases dominate a history.
STATUSES = (
    ("closed", 850),
    ("rejected", 30),
    ("merged", 20),
    ("reported", 10),
    ("registered", 10),
    ("dispatched", 40),
    ("rework", 10),
    ("feedback", 20),
    ("suspended", 10),
)
SOURCES = ("inspection", "supervisor", "resident", "hotline", "superior")


def _values(rows: list[tuple[Any, ...]]) -> str:
    return ", ".join(
        "(" + ", ".join("NULL" if v is None else str(v) for v in r) + ")" for r in rows
    )


def lookup_tables(cursor: Any) -> None:
    """Small temporary tables the generator picks from by index: communities with their
    territorial unit, categories with their line unit, statuses by cumulative share."""
    from chuangcheng.cases.models import Category
    from chuangcheng.orgs.enums import RegionLevel, UnitKind
    from chuangcheng.orgs.models import Region, Unit

    units = {u.region_id: u.pk for u in Unit.objects.filter(kind=UnitKind.TERRITORIAL)}
    places = [
        (k, r.pk, units.get(r.pk) or units.get(r.parent_id))
        for k, r in enumerate(Region.objects.filter(level=RegionLevel.COMMUNITY).order_by("path"))
    ]
    lines = list(
        Unit.objects.filter(kind=UnitKind.LINE).order_by("path").values_list("pk", flat=True)
    )
    categories = [
        (k, c.pk, c.line_unit_id or lines[k % len(lines)], c.handle_hours)
        for k, c in enumerate(Category.objects.filter(parent__isnull=False).order_by("code"))
    ]
    bounds, total = [], 0
    for name, share in STATUSES:
        bounds.append((f"'{name}'", total, total + share))
        total += share
    cursor.execute("DROP TABLE IF EXISTS b_place, b_category, b_status, b_source")
    cursor.execute("CREATE TEMP TABLE b_place (k int, region_id bigint, unit_id bigint)")
    cursor.execute(f"INSERT INTO b_place VALUES {_values(places)}")
    cursor.execute("CREATE TEMP TABLE b_category (k int, id bigint, line_id bigint, hours int)")
    cursor.execute(f"INSERT INTO b_category VALUES {_values(categories)}")
    cursor.execute("CREATE TEMP TABLE b_status (name text, lo int, hi int)")
    cursor.execute(f"INSERT INTO b_status VALUES {_values(bounds)}")
    cursor.execute("CREATE TEMP TABLE b_source (k int, name text)")
    cursor.execute(
        f"INSERT INTO b_source VALUES {_values([(k, repr(s)) for k, s in enumerate(SOURCES)])}"
    )
    # Unanalysed temporary tables make the planner expect millions of rows and compile the
    # insert with JIT, which costs more than the insert itself.
    cursor.execute("ANALYZE b_place, b_category, b_status, b_source")


# One batch of cases: every random draw made once per row in ``draw``, then joined to the
# lookup tables. Timestamps follow the life of a case: registered 1 h after the report,
# dispatched 2 h after, due ``hours`` later, handled and closed before the deadline for most.
INSERT_CASES = """
WITH draw AS (
    SELECT g, random() AS r_place, random() AS r_cat, random() AS r_src,
           floor(random() * 1000)::int AS r_status, random() AS r_age, random() AS r_late
    FROM generate_series(%(first)s, %(last)s) AS g
), shaped AS (
    SELECT d.*, p.region_id, p.unit_id, c.id AS category_id, c.line_id, c.hours, s.name AS status,
           src.name AS source,
           %(now)s::timestamptz - (d.r_age * interval '730 days') AS reported
    FROM draw d
    JOIN b_place p ON p.k = floor(d.r_place * (SELECT count(*) FROM b_place))
    JOIN b_category c ON c.k = floor(d.r_cat * (SELECT count(*) FROM b_category))
    JOIN b_status s ON d.r_status >= s.lo AND d.r_status < s.hi
    JOIN b_source src ON src.k = floor(d.r_src * 5)
)
INSERT INTO cases_case (
    number, source, status, priority, category_id, description, region_id, address,
    territorial_unit_id, line_unit_id, reporter_name, reporter_phone, notice_version,
    external_id, reported_at, registered_at, dispatched_at, due_at, feedback_at, closed_at,
    closed_on_time, rework_count, extension_count, was_suspended, recurrent, public, version,
    updated_at
)
SELECT
    %(prefix)s || lpad(g::text, 9, '0'), source, status, 'normal', category_id, '基准测试案件',
    region_id, '', unit_id, line_id, '', '', '', '', reported,
    CASE WHEN status NOT IN ('reported') THEN reported + interval '1 hour' END,
    CASE WHEN status NOT IN ('reported', 'registered', 'rejected', 'merged')
         THEN reported + interval '2 hours' END,
    CASE WHEN status NOT IN ('reported', 'registered', 'rejected', 'merged')
         THEN reported + interval '2 hours' + hours * interval '1 hour' END,
    CASE WHEN status IN ('feedback', 'closed')
         THEN reported + interval '2 hours' + (hours * (0.5 + r_late * 0.7)) * interval '1 hour'
    END,
    CASE WHEN status = 'closed'
         THEN reported + interval '2 hours' + (hours * (0.6 + r_late * 0.7)) * interval '1 hour'
    END,
    CASE WHEN status = 'closed' THEN r_late < 0.72 END,
    CASE WHEN status = 'rework' THEN 1 ELSE 0 END, 0, status = 'suspended', false, 'pending', 0,
    %(now)s
FROM shaped
"""

INSERT_ASSIGNMENTS = """
INSERT INTO cases_caseassignment (case_id, unit_id, lead, dispatched_at, feedback, feedback_at)
SELECT id, CASE WHEN id %% 3 = 0 THEN line_unit_id ELSE territorial_unit_id END, true,
       dispatched_at, '', feedback_at
FROM cases_case
WHERE number >= %(lo)s AND number <= %(hi)s AND dispatched_at IS NOT NULL
"""


def top_up(target: int) -> tuple[int, float]:
    """Add generated cases until the table holds ``target``; (cases added, seconds)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chuangcheng.cases.models import Case

    have = Case.objects.count()
    if have >= target:
        return 0, 0.0
    already = Case.objects.filter(number__startswith=PREFIX).count()
    t0 = time.perf_counter()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SET jit = off")
        cursor.execute("SELECT setseed(0.42)")
        lookup_tables(cursor)
        first = already + 1
        last_wanted = already + (target - have)
        while first <= last_wanted:
            last = min(first + BATCH - 1, last_wanted)
            with transaction.atomic():
                cursor.execute(
                    INSERT_CASES, {"first": first, "last": last, "now": now, "prefix": PREFIX}
                )
                cursor.execute(
                    INSERT_ASSIGNMENTS,
                    {"lo": f"{PREFIX}{first:09d}", "hi": f"{PREFIX}{last:09d}"},
                )
            print(f"  … {last - already:,} cases", flush=True)
            first = last + 1
    return last_wanted - already, time.perf_counter() - t0


OPEN = "('reported', 'registered', 'dispatched', 'rework', 'feedback', 'suspended')"
AT_UNIT = "('dispatched', 'rework')"
PLAIN_SQL = {
    "open and overdue": f"""
        SELECT count(*), count(*) FILTER (WHERE c.status IN {AT_UNIT} AND c.due_at < %(now)s)
        FROM cases_case c JOIN orgs_region r ON r.id = c.region_id
        WHERE r.path LIKE %(prefix)s AND c.status IN {OPEN}""",
    "by street": f"""
        SELECT substring(r.path FROM '^[^/]+/[^/]+/') AS street, count(*),
               count(*) FILTER (WHERE c.status IN {AT_UNIT} AND c.due_at < %(now)s)
        FROM cases_case c JOIN orgs_region r ON r.id = c.region_id
        WHERE r.path LIKE %(prefix)s AND c.status IN {OPEN}
        GROUP BY 1""",
    "per month": """
        SELECT date_trunc('month', c.reported_at AT TIME ZONE 'Asia/Shanghai') AS m, count(*)
        FROM cases_case c JOIN orgs_region r ON r.id = c.region_id
        WHERE r.path LIKE %(prefix)s AND c.reported_at >= %(start)s
        GROUP BY 1""",
}


def measure(repeat: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from chuangcheng.accounts.models import User
    from chuangcheng.cases.domain.periods import current_month
    from chuangcheng.cases.models import Case
    from chuangcheng.command.domain.boards import board_region
    from chuangcheng.command.domain.boards_cases import (
        by_street,
        open_and_overdue,
        per_month,
        streets_under,
    )

    leader = User.objects.get(username="leader")
    region = board_region(leader, "leader")
    assert region is not None
    now = timezone.now()
    today = timezone.localdate(now)
    start = current_month(today).previous_months(12)[0].bounds()[0]
    streets = streets_under(region)

    def cases() -> Any:
        return Case.objects.visible_to(leader)

    code = {
        "open and overdue": lambda: open_and_overdue(cases(), now),
        "by street": lambda: by_street(cases(), streets, now),
        "per month": lambda: per_month(cases(), today),
    }
    params = {"now": now, "prefix": region.path + "%", "start": start}
    print(f"{'aggregate':<18} {'code':>9} {'plain SQL':>10}")
    for name, run in code.items():
        took, _found = best(run, repeat)

        def plain(sql: str = PLAIN_SQL[name]) -> Any:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        took_sql, _rows = best(plain, repeat)
        print(f"{name:<18} {took * 1000:>7.0f} ms {took_sql * 1000:>7.0f} ms")
    client = Client()
    client.force_login(leader)
    for path in ("/board/leader/", "/api/v1/dashboard/leader", "/command/screen/data.json"):
        client.get(path)  # computes the live runs once
        took, response = best(lambda p=path: client.get(p), repeat)
        assert response.status_code == 200, response.status_code
        print(f"whole page {path}: best {took * 1000:.0f} ms of {repeat}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="PostgreSQL; default: $BENCH_DATABASE_URL")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    url = database_url(args.database_url)
    if url is None:
        print("skipped: needs a PostgreSQL database (--database-url or BENCH_DATABASE_URL)")
        return
    setup(url)
    import io

    from django.core.management import call_command
    from django.db import connection

    from chuangcheng.cases.catalog import load_categories
    from chuangcheng.cases.models import Case
    from chuangcheng.demo.loader import load_demo

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_demo(include_cases=False, stdout=io.StringIO())
    load_categories()
    took_setup = time.perf_counter() - t0
    print(f"database: {connection.vendor} {connection.pg_version}; setup {took_setup:.1f} s")
    added, took = top_up(args.cases)
    if added:
        print(f"generated {added:,} cases in {took:.1f} s ({added / took:,.0f} a second)")
    with connection.cursor() as cursor:
        # Statistics as a live database has them (autovacuum may not have run yet): without
        # them the planner takes the small region table for two rows and loops over it.
        cursor.execute("ANALYZE")
    print(f"cases: {Case.objects.count():,}")
    measure(args.repeat)


if __name__ == "__main__":
    main()
