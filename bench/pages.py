"""Response time and query count of the main pages and API lists, on the demo district and with
10× the points.

    python bench/pages.py        # scratch SQLite file var/bench/pages.sqlite3, recreated
    python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/bench_pages

The database given is migrated and loaded with the demo district; it must be a scratch database.
For each page and user: the median wall time of 5 requests (after one warm-up request) and the
number of queries of one request. The query counts must not grow with the number of points; a
warning line names every page where they do.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = "var/bench/pages.sqlite3"
RUNS = 5
FACTOR = 10
USERS = ("office", "unit_donghuamen")
OFFICE_ONLY = {"/accounts/users/", "/cases/intake/", "/inspections/rounds/"}


def setup(database_url: str | None) -> None:
    if database_url is None:
        path = ROOT / SCRATCH
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        database_url = f"sqlite:///{SCRATCH}" if Path.cwd() == ROOT else f"sqlite:///{path}"
    # Never the DATABASE_URL of the environment: the bench must not load into real data.
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "chuangcheng.settings"
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    os.environ.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def paths() -> list[str]:
    from chuangcheng.frameworks.models import Framework

    active = Framework.objects.filter(status="active").order_by("-version").first()
    if active is None:  # no framework in the demo: the newest one, if any
        active = Framework.objects.order_by("-pk").first()
    result = [
        "/",
        "/points/",
        "/points/map/data.json",
        "/frameworks/",
    ]
    if active is not None:
        result.append(f"/frameworks/{active.pk}/")
    return [
        *result,
        "/regions/",
        "/units/",
        "/accounts/users/",
        "/cases/",
        "/cases/intake/",
        "/cases/map/data.json",
        "/cases/figures/",
        "/inspections/rounds/",
        "/inbox/",
        "/api/v1/points?limit=50",
        "/api/v1/cases?limit=50",
        "/api/v1/units",
    ]


def measure(username: str, path: str) -> tuple[int, float]:
    """(queries of one request, median ms of RUNS requests)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from chuangcheng.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(path)  # warm-up (template loading, caches)
    if response.status_code != 200:
        raise SystemExit(f"{username} {path}: HTTP {response.status_code}")
    times = []
    queries = 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (username, path, response.status_code)
        queries = len(ctx.captured_queries)
    return queries, statistics.median(times)


def measure_all(pages: list[str]) -> dict[tuple[str, str], tuple[int, float]]:
    out = {}
    for username in USERS:
        for path in pages:
            if path in OFFICE_ONLY and username != "office":
                continue
            out[(path, username)] = measure(username, path)
    return out


def multiply_points() -> tuple[int, int]:
    """Add (FACTOR - 1) copies of every point with new codes; (points before, points after)."""
    from chuangcheng.points.models import Point

    originals = list(Point.objects.order_by("pk"))
    copies = []
    serial = 0
    for n in range(1, FACTOR):
        for p in originals:
            serial += 1
            copies.append(
                Point(
                    code=f"X{serial:07d}",
                    name=f"{p.name}（副本{n}）",
                    type_id=p.type_id,
                    address=p.address,
                    lng=p.lng,
                    lat=p.lat,
                    region_id=p.region_id,
                    territorial_unit_id=p.territorial_unit_id,
                    line_unit_id=p.line_unit_id,
                    active=p.active,
                    note=p.note,
                )
            )
    Point.objects.bulk_create(copies, batch_size=500)
    return len(originals), Point.objects.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="a scratch database (default: " + SCRATCH + ")")
    args = parser.parse_args()
    setup(args.database_url)
    import django
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):  # the nested framework import prints
        call_command("demo", "load", stdout=io.StringIO())
    print(f"migrate + demo load: {time.perf_counter() - started:.1f} s")
    pages = paths()
    small = measure_all(pages)
    before, after = multiply_points()
    print(f"points: {before} (demo), {after} ({FACTOR}×)")
    large = measure_all(pages)

    head = (
        "page",
        "user",
        "queries (demo)",
        "ms (demo)",
        f"queries ({FACTOR}×)",
        f"ms ({FACTOR}×)",
    )
    rows: list[tuple[Any, ...]] = []
    for key, (q1, ms1) in small.items():
        q2, ms2 = large[key]
        rows.append((*key, q1, f"{ms1:.1f}", q2, f"{ms2:.1f}"))
    widths = [max(len(str(r[i])) for r in [head, *rows]) for i in range(len(head))]
    line = "  ".join(f"{{:<{w}}}" if i < 2 else f"{{:>{w}}}" for i, w in enumerate(widths))
    print(line.format(*head))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print(line.format(*r))
    differ = [(k, small[k][0], large[k][0]) for k in small if small[k][0] != large[k][0]]
    for (path, user), q1, q2 in differ:
        print(f"WARNING: {path} as {user}: {q1} queries on the demo, {q2} with {FACTOR}× points")
    if not differ:
        print("query counts are the same at both sizes")
    print(f"cpus: {os.cpu_count()}, database: {django.db.connection.vendor}, median of {RUNS}")


if __name__ == "__main__":
    main()
