"""``chuangcheng worker``: the task worker (django-tasks-db ``db_worker``) with the periodic-job
scheduler running beside it in a thread, so one process does all background work. Before working
and then every ``--recover-every`` seconds it requeues tasks whose worker died
(core/task_recovery.py)."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections, connection

from chuangcheng.core import scheduler, task_recovery

log = logging.getLogger("chuangcheng.scheduler")


def _recover_loop(lease: dt.timedelta, every: float) -> None:
    while True:
        time.sleep(every)
        try:
            close_old_connections()
            task_recovery.requeue_abandoned(lease=lease)
        except Exception:  # the recovery must never end the worker; it retries next round
            log.exception("task recovery failed")
        finally:
            connection.close()


class Command(BaseCommand):
    help = "Run the background task worker and the periodic-job scheduler."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue-name", default="*", help="Task queues to work on (default: all)."
        )
        parser.add_argument(
            "--no-scheduler",
            action="store_true",
            help="Only work on tasks (when another process runs `chuangcheng scheduler`).",
        )
        parser.add_argument(
            "--lease",
            type=int,
            default=3600,
            help="Seconds after which a running task of a worker on another host is requeued "
            "(default: 3600).",
        )
        parser.add_argument(
            "--recover-every",
            type=float,
            default=60.0,
            help="Seconds between checks for tasks whose worker died (default: 60).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        lease = dt.timedelta(seconds=options["lease"])
        task_recovery.requeue_abandoned(lease=lease)
        threading.Thread(
            target=_recover_loop,
            args=(lease, options["recover_every"]),
            name="task-recovery",
            daemon=True,
        ).start()
        if not options["no_scheduler"]:
            # A daemon thread: it ends with the worker, which handles SIGINT/SIGTERM itself.
            thread = threading.Thread(target=scheduler.loop, name="scheduler", daemon=True)
            thread.start()
        call_command(
            "db_worker",
            queue_name=options["queue_name"],
            reload=False,
            worker_id=task_recovery.worker_id(),
            verbosity=options["verbosity"],
        )
