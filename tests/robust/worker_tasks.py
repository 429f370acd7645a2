"""A task for the worker-crash test (tests/robust/test_worker_crash.py): it writes its effect
under an idempotency key, then, while the gate file exists, blocks so the test can SIGKILL the
worker mid-task."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import connection, transaction
from django.tasks import task

EFFECT_TABLE = "robust_task_effect"


@task()
def write_effect_once(key: str, gate: str) -> int:
    with transaction.atomic(), connection.cursor() as cursor:
        # The idempotency key: a rerun after a crash finds the row and adds nothing.
        cursor.execute(
            f"INSERT INTO {EFFECT_TABLE} (key) VALUES (%s) ON CONFLICT (key) DO NOTHING",
            [key],
        )
    gate_path = Path(gate)
    if gate_path.exists():
        gate_path.with_suffix(".started").touch()
        while True:  # the effect is committed, the task is not finished: the worker dies here
            time.sleep(0.2)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {EFFECT_TABLE} WHERE key = %s", [key])
        return int(cursor.fetchone()[0])
