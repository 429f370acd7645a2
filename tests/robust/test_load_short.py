"""The load test's short form (bench/load.py --short): 10 locust users for 20 seconds against the
app under waitress; no request fails and every accepted submission is a row."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.skipif(
    importlib.util.find_spec("locust") is None or importlib.util.find_spec("waitress") is None,
    reason="locust and waitress (the dev extras) are not installed",
)
def test_short_load_run_loses_nothing(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    env["BENCH_DATABASE_URL"] = f"sqlite:///{tmp_path / 'load.sqlite3'}"
    run = subprocess.run(  # the runner sets Django up itself, outside pytest's settings
        [sys.executable, str(ROOT / "bench" / "load.py"), "--short", "--port", str(_free_port())],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "| failed requests | 0 |" in run.stdout
    assert "FAILED" not in run.stdout
