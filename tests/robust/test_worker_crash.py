"""A worker killed mid-task: the next worker reruns the task (core/task_recovery.py) and its
effect, written under an idempotency key, happens exactly once. Runs the real ``chuangcheng
worker`` process against the test database (SQLite file or PostgreSQL)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.robust.worker_tasks import EFFECT_TABLE, write_effect_once

ROOT = Path(__file__).resolve().parents[2]
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _database_url() -> str:
    db: dict[str, Any] = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _start_worker(log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{ROOT}",
        "SECRET_KEY_FILE": os.environ.get("SECRET_KEY_FILE", str(ROOT / "var" / "secret.key")),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.Popen(
        [sys.executable, "-m", "chuangcheng", "worker", "--no-scheduler", "--recover-every", "1"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait(condition: Any, what: str, log: Path, seconds: float = 60) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out waiting for {what}; worker log:\n{log.read_text(errors='replace')}")


@pytest.fixture
def effect_table(transactional_db: None) -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE {EFFECT_TABLE} (key VARCHAR(64) PRIMARY KEY)")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {EFFECT_TABLE}")


def _effects(key: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {EFFECT_TABLE} WHERE key = %s", [key])
        return int(cursor.fetchone()[0])


def _status(pk: Any) -> str:
    return str(DBTaskResult.objects.get(pk=pk).status)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_killed_worker_task_reruns_and_its_effect_happens_once(
    effect_table: None, tmp_path: Path
) -> None:
    gate = tmp_path / "gate"
    gate.touch()
    log = tmp_path / "worker.log"
    with override_settings(TASKS=DB_TASKS):
        result = write_effect_once.enqueue("case-42-notice", str(gate))
    pk = result.id
    assert _status(pk) == TaskResultStatus.READY

    first = _start_worker(log)
    try:
        _wait(gate.with_suffix(".started").exists, "the task to start", log)
        assert _status(pk) == TaskResultStatus.RUNNING
        assert _effects("case-42-notice") == 1
        gate.unlink()  # the rerun must not block
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    finally:
        if first.poll() is None:
            first.kill()
    # The dead worker left its task RUNNING: without recovery nothing would ever run it again.
    assert _status(pk) == TaskResultStatus.RUNNING

    second = _start_worker(log)
    try:
        _wait(lambda: _status(pk) == TaskResultStatus.SUCCESSFUL, "the rerun to finish", log)
    finally:
        second.send_signal(signal.SIGTERM)
        try:
            second.wait(10)
        except subprocess.TimeoutExpired:
            second.kill()
    task = DBTaskResult.objects.get(pk=pk)
    assert task.return_value == 1
    assert len(task.worker_ids) == 2
    assert task.worker_ids[0] != task.worker_ids[1]
    assert _effects("case-42-notice") == 1
    assert settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend")
