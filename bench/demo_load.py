"""Time ``chuangcheng demo load`` on an empty database and print the figures.

    python bench/demo_load.py                      # a scratch SQLite file, deleted afterwards
    python bench/demo_load.py --database-url postgres://postgres@127.0.0.1:5432/bench_demo

The database given must be empty (it is migrated, then loaded). The framework import step runs
when the ``framework`` command is installed; otherwise the figure excludes it and says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty database (default: scratch SQLite)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # Never the DATABASE_URL of the environment: the bench must not load into real data.
        os.environ["DATABASE_URL"] = args.database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangcheng.settings")
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
        import django

        django.setup()
        from django.core.management import call_command, get_commands

        from chuangcheng.demo.loader import load_demo

        call_command("migrate", verbosity=0)
        with_framework = "framework" in get_commands()
        started = time.perf_counter()
        result = load_demo(include_framework=with_framework)
        first = time.perf_counter() - started
        started = time.perf_counter()
        again = load_demo(include_framework=with_framework)
        second = time.perf_counter() - started
        assert result.created and not again.created
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items())
        note = "" if with_framework else " (framework import not installed: not included)"
        print(f"demo load: {first:.2f} s{note}; {counts}")
        print(f"demo load again (already loaded, no change): {second:.3f} s")
        print(f"cpus: {os.cpu_count()}, database: {django.db.connection.vendor}")


if __name__ == "__main__":
    main()
