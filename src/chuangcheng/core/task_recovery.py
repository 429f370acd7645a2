"""Recovery of tasks whose worker died: django-tasks-db marks a task RUNNING when a worker claims
it and never looks at it again, so a worker killed mid-task (SIGKILL, OOM, power loss) leaves the
task RUNNING forever. ``chuangcheng worker`` names itself ``host:pid:token`` and, on start and
periodically, puts such tasks back to READY (docs/adr/0014-security.md). Tasks therefore run
at least once; their effects must be idempotent (docs/adr/0004)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket

from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult

log = logging.getLogger("chuangcheng.worker")

# This process's token: tells a restarted worker that reuses a dead one's pid (pid 1 in a
# container) apart from it.
_TOKEN = get_random_string(8)


def worker_id() -> str:
    """``host:pid:token``, at most 64 characters (django-tasks-db's limit)."""
    host = socket.gethostname()[:40]
    return f"{host}:{os.getpid()}:{_TOKEN}"


def _alive(owner: str) -> bool | None:
    """Whether the worker named ``owner`` still runs: True/False for a worker of this host,
    None when it cannot be told (another host, or a name not of our form)."""
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:40]:
        return None
    try:
        pid = int(parts[1])
    except ValueError:
        return None
    if pid == os.getpid():
        return parts[2] == _TOKEN
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # a live process of another user
    return True


def requeue_abandoned(*, lease: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Put back to READY every RUNNING task whose worker (its last claimer) is known dead, or,
    when that cannot be told, that has run longer than ``lease``; returns how many."""
    now = now or timezone.now()
    requeued = 0
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only(
        "id", "worker_ids", "started_at"
    )
    for task in running:
        owner = task.worker_ids[-1] if task.worker_ids else ""
        alive = _alive(owner)
        expired = task.started_at is None or now - task.started_at > lease
        if alive is False or (alive is None and expired):
            # Conditional on the claim we saw, so a task finished or re-claimed meanwhile stays.
            requeued += DBTaskResult.objects.filter(
                pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
            ).update(status=TaskResultStatus.READY, started_at=None)
            log.warning("requeued task %s abandoned by worker %s", task.pk, owner or "?")
    return requeued
