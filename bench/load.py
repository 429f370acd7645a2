"""Load test: a fresh database, a small seeded district, the app under waitress (a threaded WSGI
server) on loopback, and locust (bench/load/locustfile.py) driving office, hotline-clerk and
resident users. Then it checks that no request failed and that every submission locust saw
accepted is a row in the database (none lost; a request still in flight when the run stops may
add a row whose answer locust never saw — reported, not failed), and prints the figures.

    python bench/load.py                 # the long form: 100 users, 5 minutes
    python bench/load.py --short         # 10 users, 20 seconds (tests/robust/test_load_short.py)

SQLite file in var/bench/load.sqlite3 unless BENCH_DATABASE_URL (or --database-url) names a
database to use, whose tables are emptied first. Exit status 1 when a check fails."""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
LOCUSTFILE = ROOT / "bench" / "load" / "locustfile.py"
SUBMISSIONS = ("submit:case", "submit:open311")
# High per-address and per-key limits: every locust user shares one loopback address.
HIGH_LIMITS = {
    "OPEN311_RATE_LIMIT": "1000000",
    "SURVEY_RATE_LIMIT": "1000000",
    "PRACTICE_ORDER_RATE_LIMIT": "1000000",
    "PRACTICE_WISH_RATE_LIMIT": "1000000",
    "PUBLIC_RATE_LIMIT": "1000000/1m",  # COUNT/WINDOW (core.ratelimit)
    "LOGIN_RATE_LIMIT": "1000000/1m",
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--short", action="store_true", help="10 users for 20 seconds")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--run-time", default="5m")
    parser.add_argument("--threads", type=int, default=4, help="waitress worker threads")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8105")))
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()
    if args.short:
        args.users, args.spawn_rate, args.run_time = 10, 10, "20s"
    return args


def _environment(database_url: str) -> dict[str, str]:
    from chuangcheng.config import SETTINGS

    known = {s.name for s in SETTINGS}
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    env.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    for name, high in HIGH_LIMITS.items():
        if name in known:
            env[name] = os.environ.get(f"LOAD_{name}", high)
    return env


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangcheng.settings")
    sys.path[:0] = [str(ROOT / "src"), str(ROOT)]
    import django

    django.setup()


def _seed() -> dict[str, str]:
    """The district the users work on: streets with boundaries, one point, the case categories,
    two office users (one a hotline clerk) with API tokens, and an Open311 key."""
    from decimal import Decimal

    from django.core.management import call_command
    from tests.factories import (
        PointFactory,
        PointTypeFactory,
        RegionFactory,
        UnitFactory,
        UserFactory,
        grant,
    )
    from tests.open311.conftest import square

    from chuangcheng.accounts.enums import Role
    from chuangcheng.accounts.models import ApiToken
    from chuangcheng.cases.catalog import load_categories
    from chuangcheng.open311.domain.keys import issue_key
    from chuangcheng.orgs.enums import RegionLevel, UnitKind

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    load_categories()
    d: Any = RegionFactory(code="110101", name="东城区", level=RegionLevel.DISTRICT)
    s1 = RegionFactory(
        code="110101001",
        name="东华门街道",
        parent=d,
        boundary=square(116.40, 39.92, 116.42, 39.94),
    )
    c1 = RegionFactory(
        code="110101001001",
        name="多福巷社区",
        level=RegionLevel.COMMUNITY,
        parent=s1,
        boundary=square(116.40, 39.92, 116.41, 39.93),
    )
    unit_s1 = UnitFactory(
        code="S001", name="东华门街道办事处", kind=UnitKind.TERRITORIAL, region=s1
    )
    unit_c1 = UnitFactory(
        code="C001", name="多福巷社区居委会", kind=UnitKind.TERRITORIAL, region=c1, parent=unit_s1
    )
    line = UnitFactory(code="L001", name="区城管委", kind=UnitKind.LINE, region=d)
    PointFactory(
        code="P00001",
        name="多福巷",
        type=PointTypeFactory(code="alley", name="背街小巷"),
        region=c1,
        territorial_unit=unit_c1,
        line_unit=line,
        lng=Decimal("116.405000"),
        lat=Decimal("39.925000"),
    )
    office: Any = UserFactory(username="office", display_name="文明办王科长")
    grant(office, Role.OFFICE, region=d)
    clerk: Any = UserFactory(username="clerk", display_name="热线值班员")
    grant(clerk, Role.OFFICE, region=d)
    _, key = issue_key(name="市民通", owner="压测", region=d, actor=office)
    return {
        "LOAD_OFFICE_TOKEN": ApiToken.issue(office, "load")[1],
        "LOAD_CLERK_TOKEN": ApiToken.issue(clerk, "load")[1],
        "LOAD_OPEN311_KEY": key,
    }


def _rows() -> int:
    from chuangcheng.cases.models import Case

    return Case.objects.count()


def _wait_for(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with status {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer {url} within {seconds:.0f} s")


def _seconds(run_time: str) -> float:
    units = {"s": 1, "m": 60, "h": 3600}
    return float(run_time[:-1]) * units[run_time[-1]] if run_time[-1] in units else float(run_time)


def _stats(prefix: Path) -> list[dict[str, str]]:
    with Path(f"{prefix}_stats.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def main() -> int:
    args = _arguments()
    VAR.mkdir(parents=True, exist_ok=True)
    database_url = args.database_url
    if not database_url:
        db_file = VAR / "load.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_file}{suffix}").unlink(missing_ok=True)
        database_url = f"sqlite:///{db_file}"
    _setup(database_url)
    env = _environment(database_url)
    started = time.monotonic()
    env.update(_seed())
    print(f"seeded in {time.monotonic() - started:.1f} s")
    from django.db import connection

    connection.close()  # the server and this process then read and write the file separately

    host = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "waitress",
            f"--listen=127.0.0.1:{args.port}",
            f"--threads={args.threads}",
            "chuangcheng.wsgi:application",
        ],
        cwd=ROOT,
        env=env,
        stdout=(VAR / f"load-{args.port}-server.log").open("wb"),
        stderr=subprocess.STDOUT,
    )
    prefix = VAR / f"load-{args.port}"
    try:
        _wait_for(f"{host}/open311/v2/services.json", server)
        rows_before = _rows()
        connection.close()
        # Submissions stop a fifth of the run (8–60 s) before its end, longer than any answer
        # took, so none is in flight when locust stops.
        seconds = _seconds(args.run_time)
        env["LOAD_SUBMIT_UNTIL"] = str(time.time() + seconds - max(8.0, min(60.0, seconds / 5)))
        subprocess.run(
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                args.run_time,
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--stop-timeout",
                "30",
                "--loglevel",
                "WARNING",
                "--exit-code-on-error",
                "0",
            ],
            cwd=ROOT,
            env=env,
            check=True,
        )
        rows_after = _rows()
    finally:
        server.terminate()
        server.wait(30)
    return _report(_stats(prefix), rows_after - rows_before, args)


def _report(stats: list[dict[str, str]], rows: int, args: argparse.Namespace) -> int:
    total = next(s for s in stats if s["Name"] == "Aggregated")
    by_name = {s["Name"]: s for s in stats}
    submitted = sum(
        int(by_name[n]["Request Count"]) - int(by_name[n]["Failure Count"])
        for n in SUBMISSIONS
        if n in by_name
    )
    failures = int(total["Failure Count"])
    figures = [
        ("users / run time", f"{args.users} / {args.run_time}"),
        ("requests", total["Request Count"]),
        ("requests per second", f"{float(total['Requests/s']):.1f}"),
        ("p50 / p95 / p99 (ms)", f"{total['50%']} / {total['95%']} / {total['99%']}"),
        ("failed requests", str(failures)),
        ("submissions accepted (locust)", str(submitted)),
        ("case rows created (database)", str(rows)),
    ]
    print("\n| figure | value |\n|---|---|")
    for name, value in figures:
        print(f"| {name} | {value} |")
    print("\n| request | count | failures | p50 | p95 | p99 |\n|---|---|---|---|---|---|")
    for s in stats:
        if s["Name"] != "Aggregated":
            print(
                f"| {s['Type']} {s['Name']} | {s['Request Count']} | {s['Failure Count']} "
                f"| {s['50%']} | {s['95%']} | {s['99%']} |"
            )
    problems = []
    if failures:
        problems.append(f"{failures} requests failed (see var/bench/load-PORT_failures.csv)")
    # A submission is lost when the server accepted it and no row exists. A row without an
    # accepted answer is a request the server finished after locust stopped waiting for it
    # (still in flight at the end of the run): stored, so not lost, and reported.
    if rows < submitted:
        problems.append(f"{submitted} submissions accepted but only {rows} rows created")
    elif rows > submitted:
        print(f"note: {rows - submitted} submissions were answered after the run stopped (stored)")
    if not submitted:
        problems.append("no submission was accepted")
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
